package org.sockoptbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.sockoptbridge.kernel.HostCommand;
import org.sockoptbridge.kernel.TwoHosts;

/**
 * The kernel's own drops, seen through the CLI: listen (or connect) runs inside one network
 * namespace of {@link TwoHosts}, the other end in the other, and the test cuts the path. The
 * closed line must name the timer that did it, from the counters the dropped connection kept:
 * keep-alive 2,1,3 gives up after idle + interval x count = 5 s with three probes unanswered;
 * unacknowledged data (net.ipv4.tcp_retries2 = 3 in the listener's namespace) after its
 * retransmissions, keep-alive notwithstanding; a user timeout shorter than the keep-alive kill
 * ends it first.
 */
class KeepAliveCliIT {
    private static final Duration START = Duration.ofSeconds(30);
    /** idle 2 + interval 1 x count 3, and slack for a loaded machine. */
    private static final Duration KEEPALIVE_DROP = Duration.ofSeconds(5 + 10);

    @Test
    void listenReportsTheKeepAliveDropOfAnAcceptedConnection() throws Exception {
        try (TwoHosts hosts = TwoHosts.create();
             RunningCli listen = RunningCli.start(hosts.server().execPrefix(), "listen", "--host", TwoHosts.SERVER_IP,
                     "--keepalive", "2,1,3", "--duration", "120", "--json")) {
            int port = listen.nextEvent("listening", START).get("port").asInt();
            try (SocketChannel client = hosts.client().call(() -> SocketChannel.open(StandardProtocolFamily.INET))) {
                client.connect(new InetSocketAddress(InetAddress.getByName(TwoHosts.SERVER_IP), port));
                JsonNode accepted = listen.nextEvent("accepted", START);
                assertEquals(2, accepted.get("options").get("TCP_KEEPIDLE").asInt());
                assertTrue(client.read(ByteBuffer.allocate(4096)) > 0, "the accepted line arrives");

                long cut = System.nanoTime();
                hosts.cutClient();
                JsonNode closed = listen.nextEvent("closed", KEEPALIVE_DROP);
                double seconds = (System.nanoTime() - cut) / 1e9;
                System.out.printf("listen, keep-alive 2,1,3, client cut off: closed line %.2f s after the cut: %s%n",
                        seconds, closed);
                assertEquals("keepalive", closed.get("reason").asText(), closed.toString());
                assertEquals("3 keep-alive probes went unanswered (TCP_KEEPCNT=3)", closed.get("detail").asText());
                assertEquals("Connection timed out", closed.get("error").asText());
                assertEquals(3, closed.get("tcpInfo").get("probes").asInt());
                assertEquals(0, closed.get("tcpInfo").get("retransmits").asInt());
                assertEquals("CLOSE", closed.get("tcpInfo").get("state").asText());
                // The kernel counts from the last segment heard, about when listen accepted: one interval
                // less than idle + interval x count is a floor that still catches an early, non-keep-alive end.
                assertTrue(closed.get("seconds").asDouble() >= 2 + 1 * 2, "not before the probes could have run out");
            }
        }
    }

    @Test
    void connectReportsTheKeepAliveDropOfItsConnection() throws Exception {
        try (TwoHosts hosts = TwoHosts.create();
             ServerSocketChannel server = hosts.server().call(() -> ServerSocketChannel.open(StandardProtocolFamily.INET)
                     .bind(new InetSocketAddress(InetAddress.getByName(TwoHosts.SERVER_IP), 0)));
             RunningCli connect = RunningCli.start(hosts.client().execPrefix(), "connect",
                     TwoHosts.SERVER_IP + ":" + ((InetSocketAddress) server.getLocalAddress()).getPort(),
                     "--keepalive", "2,1,3", "--json");
             SocketChannel accepted = acceptWithin(server, START)) {
            assertEquals(2, connect.nextEvent("connected", START).get("options").get("TCP_KEEPIDLE").asInt());
            long cut = System.nanoTime();
            hosts.cutServer();
            JsonNode closed = connect.nextEvent("closed", KEEPALIVE_DROP);
            System.out.printf("connect, keep-alive 2,1,3, server cut off: closed line %.2f s after the cut: %s%n",
                    (System.nanoTime() - cut) / 1e9, closed);
            assertEquals("keepalive", closed.get("reason").asText(), closed.toString());
            assertEquals(3, closed.get("tcpInfo").get("probes").asInt());
            assertEquals(1, connect.exitCode(START), "a connection the kernel dropped is a failure");
        }
    }

    /**
     * Keep-alive 2,1,9 alone would give up 11 s after the last word from the peer; with a 3 s user
     * timeout Linux drops the connection at the first keep-alive tick past 3 s with a probe out
     * (net/ipv4/tcp_timer.c tcp_keepalive_timer), so after one or two probes, and the line says
     * user-timeout rather than keepalive.
     */
    @Test
    void connectReportsAUserTimeoutThatCutTheKeepAliveKillShort() throws Exception {
        try (TwoHosts hosts = TwoHosts.create();
             ServerSocketChannel server = hosts.server().call(() -> ServerSocketChannel.open(StandardProtocolFamily.INET)
                     .bind(new InetSocketAddress(InetAddress.getByName(TwoHosts.SERVER_IP), 0)));
             RunningCli connect = RunningCli.start(hosts.client().execPrefix(), "connect",
                     TwoHosts.SERVER_IP + ":" + ((InetSocketAddress) server.getLocalAddress()).getPort(),
                     "--keepalive", "2,1,9", "--user-timeout", "3s", "--json");
             SocketChannel accepted = acceptWithin(server, START)) {
            JsonNode connected = connect.nextEvent("connected", START);
            assertEquals(3000, connected.get("options").get("TCP_USER_TIMEOUT").asInt(), connected.toString());
            long cut = System.nanoTime();
            hosts.cutServer();
            // Well before the 11 s keep-alive alone would take, with slack for a loaded machine.
            JsonNode closed = connect.nextEvent("closed", Duration.ofSeconds(3 + 6));
            double seconds = (System.nanoTime() - cut) / 1e9;
            System.out.printf("connect, keep-alive 2,1,9 + user timeout 3 s, server cut off: closed line %.2f s after"
                    + " the cut: %s%n", seconds, closed);
            assertEquals("user-timeout", closed.get("reason").asText(), closed.toString());
            int probes = closed.get("tcpInfo").get("probes").asInt();
            assertTrue(probes >= 1 && probes < 9, "some probes out, fewer than TCP_KEEPCNT: " + closed);
            assertEquals(0, closed.get("tcpInfo").get("retransmits").asInt(), closed.toString());
            assertEquals(1, connect.exitCode(START), "a connection the kernel dropped is a failure");
        }
    }

    /**
     * The client stops hearing the server (its INPUT drops the server's packets) and then sends a
     * line: listen echoes it, the echo is never acknowledged, and the retransmission timer drops
     * the connection although keep-alive is set; the closed line says retransmission.
     */
    @Test
    void listenReportsUnacknowledgedDataAsARetransmissionDrop() throws Exception {
        String iptables = HostCommand.assumeTool("iptables", "iptables");
        try (TwoHosts hosts = TwoHosts.create()) {
            hosts.server().call(() -> Files.writeString(Path.of("/proc/sys/net/ipv4/tcp_retries2"), "3"));
            // Keep-alive 3,1,3: its first probe would go 3 s after the client last spoke, time enough
            // for iptables to start on a loaded machine before the client speaks again.
            try (RunningCli listen = RunningCli.start(hosts.server().execPrefix(), "listen", "--host",
                    TwoHosts.SERVER_IP, "--keepalive", "3,1,3", "--duration", "120", "--json");
                 SocketChannel client = hosts.client().call(() -> SocketChannel.open(StandardProtocolFamily.INET))) {
                int port = listen.nextEvent("listening", START).get("port").asInt();
                client.connect(new InetSocketAddress(InetAddress.getByName(TwoHosts.SERVER_IP), port));
                listen.nextEvent("accepted", START);
                assertTrue(client.read(ByteBuffer.allocate(4096)) > 0, "the accepted line arrives");

                hosts.client().exec(iptables, "-A", "INPUT", "-s", TwoHosts.SERVER_IP, "-j", "DROP");
                long sent = System.nanoTime();
                client.write(ByteBuffer.wrap("unheard echo\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
                JsonNode closed = listen.nextEvent("closed", Duration.ofSeconds(30));
                System.out.printf("listen, echo never acknowledged (tcp_retries2=3, keep-alive 3,1,3): closed line"
                        + " %.2f s after the send: %s%n", (System.nanoTime() - sent) / 1e9, closed);
                assertEquals("retransmission", closed.get("reason").asText(), closed.toString());
                assertTrue(closed.get("tcpInfo").get("retransmits").asInt() > 0, closed.toString());
                assertEquals(0, closed.get("tcpInfo").get("probes").asInt(), closed.toString());
                assertEquals(13, closed.get("bytesIn").asLong(), "it read the line it could not echo back");
            }
        }
    }

    /** accept() within the wait: a command that never connects fails the test instead of hanging it. */
    private static SocketChannel acceptWithin(ServerSocketChannel server, Duration wait) throws Exception {
        server.configureBlocking(false);
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            SocketChannel accepted = server.accept();
            if (accepted != null) {
                return accepted;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("nothing connected within " + wait.toSeconds() + " s");
    }
}
