package org.sockoptbridge.kernel;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.sockoptbridge.OptionName;
import org.sockoptbridge.OptionSettings;
import org.sockoptbridge.SockOpt;
import org.sockoptbridge.SocketControl;
import org.sockoptbridge.junit.EnabledIfSocketOptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What TCP_USER_TIMEOUT set through the bridge does to a connection whose path is cut silently
 * ({@link SilentlyCutPath}: no reset, no ICMP), on the Linux kernel the tests run on.
 *
 * <p>With data in flight, keep-alive is no help: net/ipv4/tcp_timer.c, tcp_keepalive_timer,
 * reschedules without probing while packets are out ("It is alive without keepalive"), and the
 * retransmissions that run instead give up only after net.ipv4.tcp_retries2 (about 15 minutes).
 * The user timeout bounds them: tcp_write_timeout gives up once user-timeout has passed since the
 * first retransmission of the oldest unacknowledged segment (retransmits_timed_out with
 * icsk_user_timeout, counted from retrans_stamp, which tcp_retransmit_skb in net/ipv4/tcp_output.c
 * saves), and tcp_clamp_rto_to_user_timeout makes the retransmission timer fire at that moment
 * rather than at the next backed-off retransmission. So the connection ends the user timeout after
 * the first retransmission (on an idle veth a tail-loss probe, then the 200 ms minimum
 * retransmission timeout: about 0.4 s after the send).
 *
 * <p>With the connection idle and keep-alive on, the user timeout replaces TCP_KEEPCNT:
 * tcp_keepalive_timer drops the connection at the first tick at which nothing has been received
 * for the user timeout and at least one probe is unanswered. So it shortens the keep-alive kill
 * when it is shorter than idle + interval x count, and lengthens it when it is longer.
 */
class UserTimeoutDeadPeerTest {
    private static final Duration USER_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration IDLE = Duration.ofSeconds(2);
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final int COUNT = 3;
    /** Scheduling and timer-wheel slack on a loaded machine; the kernel's own clock is milliseconds. */
    private static final Duration SLACK = Duration.ofSeconds(2);
    /** How much earlier than the kernel's deadline the JVM may see the error (clock reads, jiffies). */
    private static final double EARLY_TOLERANCE_S = 0.05;

    @Test
    @EnabledIfSocketOptions({OptionName.TCP_USER_TIMEOUT, OptionName.TCP_KEEPIDLE, OptionName.TCP_KEEPINTVL, OptionName.TCP_KEEPCNT})
    void userTimeoutDropsAConnectionWithUnacknowledgedDataWhereKeepAliveAloneKeepsRetransmitting() throws Exception {
        try (SilentlyCutPath path = SilentlyCutPath.open()) {
            SocketChannel bounded = path.connect(OptionSettings.builder().set(SockOpt.TCP_USER_TIMEOUT, USER_TIMEOUT)
                    .build())[0];
            SocketChannel keepAliveOnly = path.connect(OptionSettings.builder().keepAlive(IDLE, INTERVAL, COUNT)
                    .build())[0];
            assertEquals(USER_TIMEOUT, SocketControl.of(bounded).get(SockOpt.TCP_USER_TIMEOUT));
            assertEquals(Duration.ZERO, SocketControl.of(keepAliveOnly).get(SockOpt.TCP_USER_TIMEOUT));

            CompletableFuture<Long> boundedDead = SilentlyCutPath.readUntilTimedOut(bounded, "user-timeout");
            CompletableFuture<Long> keepAliveOnlyDead = SilentlyCutPath.readUntilTimedOut(keepAliveOnly, "keep-alive-only");
            long cut = System.nanoTime();
            path.cut();
            // When the first retransmission, which starts the user timeout's clock, can come at the
            // latest: a tail-loss probe no later than the retransmission timeout (tcp_schedule_loss_probe
            // takes the earlier of 2 x srtt + 200 ms and the RTO; the probe does not start the clock),
            // then the retransmission timer, re-armed with the RTO. About 0.4 s on an idle veth; a
            // loaded machine that delayed the ping-pong inflates the RTT sample, and the RTO with it.
            double rtoMillis = SilentlyCutPath.retransmissionTimeoutMillis(
                    SilentlyCutPath.linesOf(path.clientSockets(), bounded));
            Duration firstRetransmission = Duration.ofMillis((long) Math.ceil(2 * rtoMillis));
            // Data that can never be acknowledged: the kernel sends it now and retransmits it from then on.
            long boundedSent = System.nanoTime();
            assertEquals(1000, bounded.write(ByteBuffer.allocate(1000)));
            long keepAliveOnlySent = System.nanoTime();
            assertEquals(1000, keepAliveOnly.write(ByteBuffer.allocate(1000)));

            // The user timeout plus one retransmission: its clock starts at the first retransmission.
            Duration bound = USER_TIMEOUT.plus(firstRetransmission).plus(SLACK);
            long boundedDiedAt;
            try {
                boundedDiedAt = boundedDead.get(bound.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                fail("the connection with a " + USER_TIMEOUT.toMillis() + " ms user timeout was not dropped within "
                        + bound.toMillis() + " ms of sending data the peer never acknowledged:\n" + path.clientSockets());
                return;
            }
            double boundedLived = SilentlyCutPath.secondsBetween(boundedSent, boundedDiedAt);

            // Keep-alive alone would have ended an idle connection after idle + interval x count = 5 s.
            Duration watch = USER_TIMEOUT.multipliedBy(4);
            long watchEnds = keepAliveOnlySent + watch.toNanos();
            while (System.nanoTime() < watchEnds && !keepAliveOnlyDead.isDone()) {
                Thread.sleep(50);
            }
            String sockets = path.clientSockets();
            String keepAliveOnlyState = SilentlyCutPath.linesOf(sockets, keepAliveOnly);
            System.out.printf("user timeout %d ms, unacknowledged data on a silently cut path: read failed with ETIMEDOUT "
                            + "%.3f s after the send (%.3f s after the cut; RTO %.0f ms, limit %.3f s); the same connection "
                            + "with keep-alive only (idle %ds interval %ds count %d) %s %.3f s after its send: %s%n",
                    USER_TIMEOUT.toMillis(), boundedLived, SilentlyCutPath.secondsBetween(cut, boundedDiedAt), rtoMillis,
                    bound.toMillis() / 1000.0,
                    IDLE.toSeconds(), INTERVAL.toSeconds(), COUNT,
                    keepAliveOnlyDead.isDone() ? "had ended" : "was still open",
                    SilentlyCutPath.secondsBetween(keepAliveOnlySent, System.nanoTime()), keepAliveOnlyState);

            assertTrue(boundedLived >= USER_TIMEOUT.toMillis() / 1000.0 - EARLY_TOLERANCE_S,
                    "dropped " + boundedLived + " s after the send, before the user timeout ran out: something else ended it");
            assertFalse(keepAliveOnlyDead.isDone(), "keep-alive only must not end a connection that is retransmitting: "
                    + SilentlyCutPath.outcome(keepAliveOnlyDead));
            assertTrue(keepAliveOnlyState.startsWith("ESTAB"), "keep-alive only: still ESTAB after " + watch + ":\n" + sockets);
            // ss shows the retransmission timer, not the keep-alive one: the kernel is resending the data.
            assertTrue(keepAliveOnlyState.contains("timer:(on,"), "keep-alive only is retransmitting:\n" + sockets);
        }
    }

    /**
     * Both directions at once, on idle connections: keep-alive idle 2 s, interval 1 s, count 3
     * alone ends at 5 s; with a 10 s user timeout the probes go on until 10 s; with count 9 (11 s)
     * and a 3 s user timeout it ends at 3 s.
     */
    @Test
    @EnabledIfSocketOptions({OptionName.TCP_USER_TIMEOUT, OptionName.TCP_KEEPIDLE, OptionName.TCP_KEEPINTVL, OptionName.TCP_KEEPCNT})
    void userTimeoutDecidesWhenUnansweredKeepAliveProbesEndTheConnection() throws Exception {
        Duration longTimeout = Duration.ofSeconds(10);
        Duration shortTimeout = Duration.ofSeconds(3);
        int manyProbes = 9;
        try (SilentlyCutPath path = SilentlyCutPath.open()) {
            SocketChannel plain = path.connect(OptionSettings.builder().keepAlive(IDLE, INTERVAL, COUNT).build())[0];
            long plainHeard = System.nanoTime();
            SocketChannel longer = path.connect(OptionSettings.builder().keepAlive(IDLE, INTERVAL, COUNT)
                    .set(SockOpt.TCP_USER_TIMEOUT, longTimeout).build())[0];
            long longerHeard = System.nanoTime();
            SocketChannel shorter = path.connect(OptionSettings.builder().keepAlive(IDLE, INTERVAL, manyProbes)
                    .set(SockOpt.TCP_USER_TIMEOUT, shortTimeout).build())[0];
            long shorterHeard = System.nanoTime();
            CompletableFuture<Long> plainDead = SilentlyCutPath.readUntilTimedOut(plain, "keep-alive");
            CompletableFuture<Long> longerDead = SilentlyCutPath.readUntilTimedOut(longer, "keep-alive+10s");
            CompletableFuture<Long> shorterDead = SilentlyCutPath.readUntilTimedOut(shorter, "keep-alive+3s");
            path.cut();

            long plainDiedAt = await(plainDead, plainHeard, keepAliveKill(COUNT).plus(SLACK), path, "keep-alive alone");
            String atPlainsDeath = SilentlyCutPath.linesOf(path.clientSockets(), longer);
            long shorterDiedAt = await(shorterDead, shorterHeard, shortTimeout.plus(INTERVAL).plus(SLACK), path,
                    "keep-alive with a 3 s user timeout");
            long longerDiedAt = await(longerDead, longerHeard, longTimeout.plus(INTERVAL).plus(SLACK), path,
                    "keep-alive with a 10 s user timeout");
            double plainLived = SilentlyCutPath.secondsBetween(plainHeard, plainDiedAt);
            double longerLived = SilentlyCutPath.secondsBetween(longerHeard, longerDiedAt);
            double shorterLived = SilentlyCutPath.secondsBetween(shorterHeard, shorterDiedAt);
            System.out.printf("keep-alive idle %ds interval %ds after the peer went silent, ETIMEDOUT after: count %d alone"
                            + " %.3f s; count %d with user timeout %d s %.3f s (count %d alone would be %d s); count %d with"
                            + " user timeout %d s %.3f s; the latter when the first ended: %s%n",
                    IDLE.toSeconds(), INTERVAL.toSeconds(), COUNT, plainLived, manyProbes, shortTimeout.toSeconds(),
                    shorterLived, manyProbes, keepAliveKill(manyProbes).toSeconds(), COUNT, longTimeout.toSeconds(),
                    longerLived, atPlainsDeath);

            assertTrue(plainLived >= keepAliveKill(COUNT - 1).toSeconds(), "keep-alive alone ended early: " + plainLived);
            assertTrue(atPlainsDeath.startsWith("ESTAB") && atPlainsDeath.contains("timer:(keepalive,"),
                    "with a 10 s user timeout it still probes when count 3 alone has given up: " + atPlainsDeath);
            assertTrue(longerLived >= longTimeout.toSeconds() - EARLY_TOLERANCE_S,
                    "a 10 s user timeout ends it no sooner than 10 s after the last thing heard: " + longerLived);
            assertTrue(shorterLived >= shortTimeout.toSeconds() - EARLY_TOLERANCE_S,
                    "a 3 s user timeout ends it no sooner than 3 s: " + shorterLived);
            assertTrue(shorterLived < keepAliveKill(manyProbes).toSeconds() - 2,
                    "a 3 s user timeout ends it well before count " + manyProbes + " alone would: " + shorterLived);
        }
    }

    /** When keep-alive alone ends an idle connection whose peer is gone: idle + interval x probes. */
    private static Duration keepAliveKill(int probes) {
        return IDLE.plus(INTERVAL.multipliedBy(probes));
    }

    /** The nanoTime of the read's ETIMEDOUT, or a failure once bound has passed since heard. */
    private static long await(CompletableFuture<Long> read, long heard, Duration bound, SilentlyCutPath path, String name)
            throws Exception {
        long left = heard + bound.toNanos() - System.nanoTime();
        try {
            return read.get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            fail(name + ": not ended within " + bound + " of the last thing heard:\n" + path.clientSockets());
            return 0;
        }
    }
}
