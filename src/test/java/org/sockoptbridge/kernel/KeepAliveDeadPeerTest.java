package org.sockoptbridge.kernel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
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
import org.sockoptbridge.SockoptBridge;
import org.sockoptbridge.TcpInfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Keep-alive timers set through the bridge make the kernel declare a silent peer dead: two
 * network namespaces joined by a veth pair, a server in one, two client connections in the
 * other. A has keep-alive idle 2 s, interval 1 s, count 3; B has SO_KEEPALIVE on with the
 * kernel's default timers. Then the server's side vanishes (its address is removed: every
 * packet to it is dropped, nothing answers, no ICMP comes back). Linux sends the count-th
 * unanswered probe and then resets the connection with ETIMEDOUT at idle + interval x count
 * after the last thing received (net/ipv4/tcp_timer.c, tcp_keepalive_timer). A blocked read on
 * A must fail with "Connection timed out" in that window; B must still be established.
 */
class KeepAliveDeadPeerTest {
    private static final Duration IDLE = Duration.ofSeconds(2);
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final int COUNT = 3;
    private static final Duration SLACK = Duration.ofSeconds(3);

    @Test
    void keepAliveTimersSetThroughTheBridgeDetectADeadPeerWhileDefaultTimersDoNot() throws Exception {
        for (OptionName option : new OptionName[] {OptionName.TCP_KEEPIDLE, OptionName.TCP_KEEPINTVL, OptionName.TCP_KEEPCNT}) {
            assumeTrue(SockoptBridge.capabilities().isSupported(option),
                    "skipped: " + SockoptBridge.capabilities().of(option).explanation());
        }
        String ss = HostCommand.assumeTool("ss", "iproute2");

        SocketChannel a = null;
        SocketChannel b = null;
        SocketChannel[] accepted = new SocketChannel[2];
        ServerSocketChannel listener = null;
        TwoHosts hosts = null;
        try {
            hosts = TwoHosts.create();
            NetNamespace server = hosts.server();
            NetNamespace client = hosts.client();
            listener = server.call(() -> {
                ServerSocketChannel l = ServerSocketChannel.open(StandardProtocolFamily.INET);
                l.bind(new InetSocketAddress(InetAddress.getByName(TwoHosts.SERVER_IP), 0));
                return l;
            });
            InetSocketAddress serverAddress = (InetSocketAddress) listener.getLocalAddress();
            a = client.call(() -> SocketChannel.open(StandardProtocolFamily.INET));
            b = client.call(() -> SocketChannel.open(StandardProtocolFamily.INET));
            a.connect(serverAddress);
            accepted[0] = listener.accept();
            b.connect(serverAddress);
            accepted[1] = listener.accept();

            SocketControl aControl = SocketControl.of(a);
            aControl.apply(OptionSettings.builder().keepAlive(IDLE, INTERVAL, COUNT).build());
            assertEquals(IDLE, aControl.get(SockOpt.TCP_KEEPIDLE));
            assertTrue(a.getOption(StandardSocketOptions.SO_KEEPALIVE), "the bridge switches SO_KEEPALIVE on with the timers");
            b.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            Duration bIdle = SocketControl.of(b).get(SockOpt.TCP_KEEPIDLE);
            assertTrue(bIdle.toSeconds() > 60, "B keeps the namespace's default idle time (tcp_keepalive_time): " + bIdle);

            // Traffic both ways on both, so both are fully established and A's idle clock starts now.
            pingPong(b, accepted[1]);
            pingPong(a, accepted[0]);
            long lastHeardOnA = System.nanoTime();
            CompletableFuture<Long> aDead = readUntilError(a, "A");
            CompletableFuture<Long> bDead = readUntilError(b, "B");

            long cut = System.nanoTime();
            hosts.cutServer();

            Duration bound = IDLE.plus(INTERVAL.multipliedBy(COUNT)).plus(SLACK);
            long detectedAt;
            try {
                detectedAt = aDead.get(bound.toMillis() - elapsedMillis(cut), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                fail("A was not reported dead within " + bound.toSeconds() + " s of cutting the path");
                return;
            }
            double seconds = (detectedAt - cut) / 1e9;
            double sinceLastHeard = (detectedAt - lastHeardOnA) / 1e9;
            String clientSockets = client.exec(ss, "-t", "-n", "-o", "-H").stdout();
            System.out.printf("keep-alive dead-peer detection: idle %ds interval %ds count %d -> read failed %.2f s after"
                            + " the cut, %.2f s after A last heard from the peer (expected about %d s, limit %d s); connection B (default idle %ds) at that time:%n%s",
                    IDLE.toSeconds(), INTERVAL.toSeconds(), COUNT, seconds, sinceLastHeard,
                    IDLE.plus(INTERVAL.multipliedBy(COUNT)).toSeconds(), bound.toSeconds(), bIdle.toSeconds(), clientSockets);

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
            assertFalse(bDead.isDone(), "B must still be open: " + outcome(bDead));
            assertTrue(b.isOpen());
            int bPort = ((InetSocketAddress) b.getLocalAddress()).getPort();
            assertTrue(clientSockets.lines().anyMatch(l -> l.startsWith("ESTAB") && l.contains(TwoHosts.CLIENT_IP + ":" + bPort + " ")),
                    "B must still be ESTAB in the client namespace:\n" + clientSockets);
        } finally {
            for (SocketChannel channel : new SocketChannel[] {a, b, accepted[0], accepted[1]}) {
                if (channel != null) {
                    channel.close();
                }
            }
            if (listener != null) {
                listener.close();
            }
            if (hosts != null) {
                hosts.close();
            }
        }
    }

    private static void pingPong(SocketChannel clientSide, SocketChannel serverSide) throws IOException {
        clientSide.write(ByteBuffer.wrap(new byte[] {1}));
        assertEquals(1, serverSide.read(ByteBuffer.allocate(1)));
        serverSide.write(ByteBuffer.wrap(new byte[] {2}));
        assertEquals(1, clientSide.read(ByteBuffer.allocate(1)));
    }

    /** A blocking read on its own thread: completes with the nanoTime of the error the kernel reports. */
    private static CompletableFuture<Long> readUntilError(SocketChannel channel, String name) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                int n = channel.read(ByteBuffer.allocate(16));
                result.completeExceptionally(new AssertionError(name + ": read returned " + n + " instead of failing"));
            } catch (java.nio.channels.AsynchronousCloseException e) {
                result.completeExceptionally(e); // closed by the test at the end
            } catch (IOException e) {
                long at = System.nanoTime();
                if (String.valueOf(e.getMessage()).contains("Connection timed out")) {
                    result.complete(at);
                } else {
                    result.completeExceptionally(new AssertionError(name + ": expected ETIMEDOUT, got " + e, e));
                }
            }
        }, "read-" + name);
        reader.setDaemon(true);
        reader.start();
        return result;
    }

    private static String outcome(CompletableFuture<Long> future) {
        try {
            return "read ended at " + future.getNow(null);
        } catch (RuntimeException e) {
            return String.valueOf(e.getCause());
        }
    }

    private static long elapsedMillis(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
