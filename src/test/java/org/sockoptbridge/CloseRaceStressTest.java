package org.sockoptbridge;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A close racing with a set must never apply the option to another socket that reused the fd
 * number, for every JDK socket type. Attackers hammer SO_REUSEPORT=true (one set, one batch) on
 * sockets that a closer is closing; the opener keeps opening victims (plain SocketChannels, which
 * the kernel gives the lowest free numbers, so the numbers just freed). Every victim must still
 * have SO_REUSEPORT off, read back by the JDK, not by the bridge.
 */
class CloseRaceStressTest {
    private static final Duration RUN_FOR = Duration.ofMillis(1500);
    private static final int VICTIMS_KEPT = 300;
    private static final OptionSettings STRAY_BATCH = OptionSettings.builder()
            .set(SockOpt.SO_REUSEPORT, true).set(SockOpt.SO_SNDBUF, 8192).build();

    private static JdkSocketKind.Peers peers;

    @BeforeAll
    static void listeners() throws Exception {
        peers = new JdkSocketKind.Peers();
    }

    @AfterAll
    static void closeListeners() throws Exception {
        peers.close();
    }

    @ParameterizedTest
    @EnumSource(JdkSocketKind.class)
    void setsRacingWithCloseNeverReachASocketThatReusedTheFdNumber(JdkSocketKind kind) throws Exception {
        ConcurrentLinkedQueue<SocketControl> doomed = new ConcurrentLinkedQueue<>();
        // Bounded, so the opener cannot open sockets faster than the closer closes them (fd limit).
        ArrayBlockingQueue<Closeable> toClose = new ArrayBlockingQueue<>(64);
        List<SocketChannel> victims = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        AtomicInteger refusedAsClosed = new AtomicInteger();
        AtomicInteger strayAttempts = new AtomicInteger();
        AtomicInteger contaminated = new AtomicInteger();
        AtomicInteger checked = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();

        Thread opener = new Thread(() -> {
            try {
                while (!stop.get()) {
                    Closeable socket = kind.open(peers);
                    doomed.add(SocketControl.of(socket));
                    toClose.put(socket);
                    SocketChannel victim = SocketChannel.open();
                    victims.add(victim);
                    if (victims.size() > VICTIMS_KEPT) {
                        checkAndClose(victims.remove(0), contaminated, checked);
                    }
                }
            } catch (Throwable t) {
                unexpected.compareAndSet(null, t);
            }
        }, "opener");
        threads.add(opener);
        threads.add(new Thread(() -> {
            while (!stop.get() || !toClose.isEmpty()) {
                try {
                    Closeable socket = toClose.poll(10, TimeUnit.MILLISECONDS);
                    if (socket != null) {
                        socket.close();
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    unexpected.compareAndSet(null, e);
                }
            }
        }, "closer"));
        for (int i = 0; i < 2; i++) {
            boolean batch = i == 1;
            threads.add(new Thread(() -> {
                while (!stop.get()) {
                    SocketControl target = doomed.poll();
                    if (target == null) {
                        Thread.onSpinWait();
                        continue;
                    }
                    for (int attempt = 0; attempt < 50; attempt++) {
                        strayAttempts.incrementAndGet();
                        try {
                            if (batch) {
                                target.apply(STRAY_BATCH);
                            } else {
                                target.set(SockOpt.SO_REUSEPORT, true);
                            }
                        } catch (SocketClosedException expected) {
                            refusedAsClosed.incrementAndGet();
                            break;
                        } catch (Throwable t) {
                            unexpected.compareAndSet(null, t);
                        }
                    }
                }
            }, batch ? "attacker-batch" : "attacker-set"));
        }
        threads.forEach(Thread::start);
        Thread.sleep(RUN_FOR.toMillis());
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        for (SocketChannel victim : victims) {
            checkAndClose(victim, contaminated, checked);
        }
        System.out.printf("close race %s: %d stray attempts, %d refused as closed, %d victims checked, %d contaminated%n",
                kind, strayAttempts.get(), refusedAsClosed.get(), checked.get(), contaminated.get());
        assertNull(unexpected.get(), () -> "unexpected failure: " + unexpected.get());
        assertTrue(refusedAsClosed.get() > 0, "the race must actually have happened");
        assertEquals(0, contaminated.get(), "victims whose SO_REUSEPORT a stray set turned on, of " + checked.get());
    }

    private static void checkAndClose(SocketChannel victim, AtomicInteger contaminated, AtomicInteger checked)
            throws IOException {
        if (victim.getOption(StandardSocketOptions.SO_REUSEPORT)) {
            contaminated.incrementAndGet();
        }
        checked.incrementAndGet();
        victim.close();
    }
}
