package org.sockoptbridge;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A close racing with a set must never apply the option to another socket that reused the fd
 * number. Attackers hammer TCP_KEEPIDLE=STRAY on sockets that closers are closing; owners keep
 * opening sockets (which the kernel gives the lowest free fd numbers, so the numbers just freed)
 * and setting their own value. Every surviving socket must hold exactly its owner's value,
 * read back by the JDK, not by the bridge.
 */
class CloseRaceStressTest {
    private static final int STRAY = 7777;
    private static final Duration RUN_FOR = Duration.ofSeconds(3);

    @Test
    void setsRacingWithCloseNeverReachASocketThatReusedTheFdNumber() throws Exception {
        ConcurrentLinkedQueue<SocketControl> doomed = new ConcurrentLinkedQueue<>();
        // Bounded, so owners cannot open victims faster than the closer closes them (fd limit).
        ArrayBlockingQueue<SocketChannel> toClose = new ArrayBlockingQueue<>(64);
        List<List<SocketChannel>> survivorsByOwner = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        AtomicInteger refusedAsClosed = new AtomicInteger();
        AtomicInteger strayAttempts = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        int owners = 2;
        CountDownLatch ownersDone = new CountDownLatch(owners);

        for (int owner = 0; owner < owners; owner++) {
            int ownValue = 100 + owner;
            List<SocketChannel> survivors = new ArrayList<>();
            survivorsByOwner.add(survivors);
            threads.add(new Thread(() -> {
                try {
                    while (!stop.get()) {
                        // A victim for the attackers, closed soon by a closer...
                        SocketChannel victim = SocketChannel.open();
                        doomed.add(SocketControl.of(victim));
                        toClose.put(victim);
                        // ...and an owned socket that may get the number a victim just freed.
                        SocketChannel mine = SocketChannel.open();
                        SocketControl.of(mine).set(SockOpt.TCP_KEEPIDLE, Duration.ofSeconds(ownValue));
                        if (survivors.size() < 200) {
                            survivors.add(mine);
                        } else {
                            mine.close();
                        }
                    }
                } catch (Throwable t) {
                    unexpected.compareAndSet(null, t);
                } finally {
                    ownersDone.countDown();
                }
            }, "owner-" + owner));
        }
        threads.add(new Thread(() -> {
            while (!stop.get() || !toClose.isEmpty()) {
                SocketChannel victim;
                try {
                    victim = toClose.poll(10, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (victim != null) {
                    try {
                        victim.close();
                    } catch (IOException e) {
                        unexpected.compareAndSet(null, e);
                    }
                }
            }
        }, "closer"));
        for (int i = 0; i < 2; i++) {
            threads.add(new Thread(() -> {
                while (!stop.get()) {
                    SocketControl target = doomed.poll();
                    if (target == null) {
                        continue;
                    }
                    for (int attempt = 0; attempt < 50; attempt++) {
                        strayAttempts.incrementAndGet();
                        try {
                            target.set(SockOpt.TCP_KEEPIDLE, Duration.ofSeconds(STRAY));
                        } catch (SocketClosedException expected) {
                            refusedAsClosed.incrementAndGet();
                            break;
                        } catch (Throwable t) {
                            unexpected.compareAndSet(null, t);
                        }
                    }
                }
            }, "attacker-" + i));
        }
        threads.forEach(Thread::start);
        Thread.sleep(RUN_FOR.toMillis());
        stop.set(true);
        assertTrue(ownersDone.await(30, TimeUnit.SECONDS));
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        assertNull(unexpected.get(), () -> "unexpected failure: " + unexpected.get());
        assertTrue(refusedAsClosed.get() > 0, "the race must actually have happened");

        int checked = 0;
        for (int owner = 0; owner < owners; owner++) {
            for (SocketChannel survivor : survivorsByOwner.get(owner)) {
                assertEquals(100 + owner, survivor.getOption(ExtendedSocketOptions.TCP_KEEPIDLE),
                        "a stray set reached a socket that reused a closed socket's fd number");
                survivor.close();
                checked++;
            }
        }
        System.out.printf("close race: %d stray set attempts, %d refused as closed, %d surviving sockets intact%n",
                strayAttempts.get(), refusedAsClosed.get(), checked);
    }
}
