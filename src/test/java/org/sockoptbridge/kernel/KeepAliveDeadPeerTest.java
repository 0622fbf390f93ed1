package org.sockoptbridge.kernel;

import java.net.StandardSocketOptions;
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
import org.sockoptbridge.TcpInfo;
import org.sockoptbridge.junit.EnabledIfSocketOptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keep-alive timers set through the bridge make the kernel declare a silent peer dead: a path
 * between two network namespaces ({@link SilentlyCutPath}), two idle connections across it. A has
 * keep-alive idle 2 s, interval 1 s, count 3; B has SO_KEEPALIVE on with the kernel's default
 * timers. Then the path is cut silently. Linux sends the count-th unanswered probe and then
 * resets the connection with ETIMEDOUT at idle + interval x count after the last thing received
 * (net/ipv4/tcp_timer.c, tcp_keepalive_timer). A blocked read on A must fail with "Connection
 * timed out" in that window; B must still be established.
 */
class KeepAliveDeadPeerTest {
    private static final Duration IDLE = Duration.ofSeconds(2);
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final int COUNT = 3;
    private static final Duration SLACK = Duration.ofSeconds(3);

    @Test
    @EnabledIfSocketOptions({OptionName.TCP_KEEPIDLE, OptionName.TCP_KEEPINTVL, OptionName.TCP_KEEPCNT})
    void keepAliveTimersSetThroughTheBridgeDetectADeadPeerWhileDefaultTimersDoNot() throws Exception {
        try (SilentlyCutPath path = SilentlyCutPath.open()) {
            SocketChannel b = path.connect(OptionSettings.builder().build())[0];
            b.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            SocketChannel a = path.connect(OptionSettings.builder().keepAlive(IDLE, INTERVAL, COUNT).build())[0];
            long lastHeardOnA = System.nanoTime();

            assertEquals(IDLE, SocketControl.of(a).get(SockOpt.TCP_KEEPIDLE));
            assertTrue(a.getOption(StandardSocketOptions.SO_KEEPALIVE), "the bridge switches SO_KEEPALIVE on with the timers");
            Duration bIdle = SocketControl.of(b).get(SockOpt.TCP_KEEPIDLE);
            assertTrue(bIdle.toSeconds() > 60, "B keeps the namespace's default idle time (tcp_keepalive_time): " + bIdle);

            CompletableFuture<Long> aDead = SilentlyCutPath.readUntilTimedOut(a, "A");
            CompletableFuture<Long> bDead = SilentlyCutPath.readUntilTimedOut(b, "B");
            long cut = System.nanoTime();
            path.cut();

            Duration bound = IDLE.plus(INTERVAL.multipliedBy(COUNT)).plus(SLACK);
            long detectedAt;
            try {
                detectedAt = aDead.get(bound.toMillis() - (System.nanoTime() - cut) / 1_000_000, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                fail("A was not reported dead within " + bound.toSeconds() + " s of cutting the path");
                return;
            }
            double sinceLastHeard = SilentlyCutPath.secondsBetween(lastHeardOnA, detectedAt);
            String clientSockets = path.clientSockets();
            System.out.printf("keep-alive dead-peer detection: idle %ds interval %ds count %d -> read failed %.2f s after"
                            + " the cut, %.2f s after A last heard from the peer (expected about %d s, limit %d s); connection B (default idle %ds) at that time:%n%s%n",
                    IDLE.toSeconds(), INTERVAL.toSeconds(), COUNT, SilentlyCutPath.secondsBetween(cut, detectedAt),
                    sinceLastHeard, IDLE.plus(INTERVAL.multipliedBy(COUNT)).toSeconds(), bound.toSeconds(), bIdle.toSeconds(),
                    SilentlyCutPath.linesOf(clientSockets, b));

            // The kernel's clock starts at the last segment received: idle + interval x count after it,
            // so one interval less is a safe floor that still catches an early, non-keep-alive end.
            assertTrue(sinceLastHeard >= IDLE.plus(INTERVAL.multipliedBy(COUNT - 1)).toSeconds(),
                    "A died " + sinceLastHeard + " s after it last heard from the peer, before its probes could have"
                            + " run out: something other than keep-alive ended it");
            // What the dropped connection keeps until it is closed tells which timer dropped it:
            // every keep-alive probe unanswered, no retransmission (net/ipv4/tcp_timer.c).
            TcpInfo aInfo = SocketControl.of(a).tcpInfo();
            System.out.println("A after the drop: " + aInfo);
            assertEquals(TcpInfo.State.CLOSE, aInfo.state(), aInfo.toString());
            assertEquals(COUNT, aInfo.probes(), "the keep-alive probes sent and unanswered: " + aInfo);
            assertEquals(0, aInfo.retransmits(), aInfo.toString());
            TcpInfo bInfo = SocketControl.of(b).tcpInfo();
            assertEquals(TcpInfo.State.ESTABLISHED, bInfo.state(), bInfo.toString());
            assertEquals(0, bInfo.probes(), "B's first probe is hours away: " + bInfo);
            assertFalse(bDead.isDone(), "B must still be open: " + SilentlyCutPath.outcome(bDead));
            assertTrue(b.isOpen());
            assertTrue(SilentlyCutPath.linesOf(clientSockets, b).startsWith("ESTAB"),
                    "B must still be ESTAB in the client namespace:\n" + clientSockets);
        }
    }
}
