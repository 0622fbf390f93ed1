package org.sockoptbridge.kernel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.sockoptbridge.OptionName;
import org.sockoptbridge.OptionSettings;
import org.sockoptbridge.SocketControl;
import org.sockoptbridge.SockoptBridge;
import org.sockoptbridge.TcpInfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The other timer that drops a connection with ETIMEDOUT: data sent to a peer that vanished is
 * retransmitted until net.ipv4.tcp_retries2 gives up (net/ipv4/tcp_timer.c tcp_write_timeout),
 * and keep-alive, however short, never runs meanwhile (tcp_keepalive_timer does nothing while
 * data is in flight). TCP_INFO tells the two apart afterwards: retransmissions counted, no probes,
 * where a keep-alive drop has probes and no retransmissions (KeepAliveDeadPeerTest).
 *
 * <p>The server's namespace gets tcp_retries2 = 3 (a per-namespace sysctl of the namespace this
 * test made): the kernel gives up at the first retransmission timeout after (2^4 - 1) x
 * TCP_RTO_MIN = 3 s have passed since the original send (tcp_model_timeout), which with the
 * doubling timeouts (0.2, 0.4, 0.8, 1.6, 3.2 s) is about 6 s, instead of the default's 15 minutes.
 */
class RetransmissionTimeoutTest {
    private static final int RETRIES = 3;
    private static final Duration BOUND = Duration.ofSeconds(12);

    @Test
    void unacknowledgedDataEndsTheConnectionThroughRetransmissionsWhichTcpInfoCountsNotProbes() throws Exception {
        for (OptionName option : new OptionName[] {OptionName.TCP_KEEPIDLE, OptionName.TCP_KEEPINTVL, OptionName.TCP_KEEPCNT}) {
            assumeTrue(SockoptBridge.capabilities().isSupported(option),
                    "skipped: " + SockoptBridge.capabilities().of(option).explanation());
        }
        SocketChannel client = null;
        SocketChannel accepted = null;
        ServerSocketChannel listener = null;
        TwoHosts hosts = null;
        try {
            hosts = TwoHosts.create();
            NetNamespace server = hosts.server();
            listener = server.call(() -> {
                Files.writeString(Path.of("/proc/sys/net/ipv4/tcp_retries2"), String.valueOf(RETRIES));
                ServerSocketChannel l = ServerSocketChannel.open(StandardProtocolFamily.INET);
                l.bind(new InetSocketAddress(InetAddress.getByName(TwoHosts.SERVER_IP), 0));
                return l;
            });
            assertEquals(String.valueOf(RETRIES), server.exec("cat", "/proc/sys/net/ipv4/tcp_retries2").stdout().trim());
            client = hosts.client().call(() -> SocketChannel.open(StandardProtocolFamily.INET));
            client.connect(listener.getLocalAddress());
            accepted = listener.accept();
            SocketControl control = SocketControl.of(accepted);
            // Keep-alive shorter than the retransmissions: if it could run, it would drop the connection first.
            control.apply(OptionSettings.builder().keepAlive(Duration.ofSeconds(1), Duration.ofSeconds(1), 1).build());
            accepted.write(ByteBuffer.wrap(new byte[] {1}));
            assertEquals(1, client.read(ByteBuffer.allocate(1)));

            hosts.cutClient();
            long sent = System.nanoTime();
            accepted.write(ByteBuffer.wrap(new byte[100]));
            TcpInfo inFlight = control.tcpInfo();
            assertTrue(inFlight.unackedSegments() >= 1, "the data is in flight: " + inFlight);

            SocketChannel dropped = accepted;
            IOException failure = assertThrows(IOException.class, () -> readWithin(dropped, BOUND));
            double seconds = (System.nanoTime() - sent) / 1e9;
            TcpInfo info = control.tcpInfo();
            System.out.printf("unacknowledged data, tcp_retries2=%d, keep-alive 1,1,1: dropped %.2f s after the send"
                    + " (%s); TCP_INFO then: %s%n", RETRIES, seconds, failure.getMessage(), info);
            assertTrue(failure.getMessage().contains("timed out"), "ETIMEDOUT, not " + failure);
            assertEquals(TcpInfo.State.CLOSE, info.state(), info.toString());
            assertTrue(info.retransmits() > 0, "the retransmission timer dropped it: " + info);
            assertEquals(0, info.probes(), "keep-alive never probed while data was in flight: " + info);
            assertEquals(0, info.unackedSegments(), "the drop empties the send queue: " + info);
        } finally {
            for (java.io.Closeable closeable : new java.io.Closeable[] {client, accepted, listener, hosts}) {
                if (closeable != null) {
                    closeable.close();
                }
            }
        }
    }

    /** A blocking read that must fail within the bound; a read that returns is a test failure. */
    private static void readWithin(SocketChannel channel, Duration bound) throws IOException {
        CompletableFuture<IOException> outcome = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                int n = channel.read(ByteBuffer.allocate(16));
                outcome.completeExceptionally(new AssertionError("read returned " + n + " instead of failing"));
            } catch (IOException e) {
                outcome.complete(e);
            }
        }, "read-dropped");
        reader.setDaemon(true);
        reader.start();
        IOException e;
        try {
            e = outcome.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException timeout) {
            throw new AssertionError("not dropped within " + bound.toSeconds() + " s", timeout);
        } catch (Exception other) {
            throw new AssertionError(other);
        }
        throw e;
    }
}
