package org.sockoptbridge;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;
import org.sockoptbridge.junit.EnabledIfSocketOptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Listeners set up in the kernel's order, their accept queue, and the accepted-socket policy. */
class ListenerTest {
    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    @EnabledIfSocketOptions({OptionName.IPV6_V6ONLY, OptionName.SO_REUSEPORT, OptionName.SO_RCVBUF})
    void builderSetsPreBindOptionsAndReturnsAPlainJdkChannel() throws IOException {
        ListenerBuilder builder = ListenerBuilder.tcp(new InetSocketAddress(InetAddress.getByName("::"), 0))
                .ipv6Only(true).reusePort(true).receiveBufferSize(256 * 1024).backlog(64);
        try (ServerSocketChannel listener = builder.bind()) {
            assertEquals("sun.nio.ch.ServerSocketChannelImpl", listener.getClass().getName());
            SocketControl control = SocketControl.of(listener);
            assertTrue(control.get(SockOpt.IPV6_V6ONLY), "set before bind, still set after");
            assertTrue(listener.getOption(StandardSocketOptions.SO_REUSEPORT));
            assertEquals(512 * 1024, control.get(SockOpt.SO_RCVBUF));
            assertEquals(64, builder.backlogReport().effective());
            assertFalse(builder.backlogReport().capped());
        }
    }

    @Test
    void aBacklogAboveSomaxconnIsReportedAsCapped() throws IOException {
        assumeTrue(OptionRoundTripTest.isLinux(), "skipped: net.core.somaxconn is Linux's");
        int somaxconn = HostSysctl.read("net/core/somaxconn");
        ListenerBuilder builder = ListenerBuilder.tcp(LOOPBACK_ANY_PORT).backlog(somaxconn + 1000);
        try (ServerSocketChannel listener = builder.bind()) {
            BacklogReport report = builder.backlogReport();
            assertTrue(report.capped(), report.toString());
            assertEquals(HostLimit.known(HostLimit.Kind.ACCEPT_QUEUE_MAX, "net.core.somaxconn", somaxconn), report.hostCap());
            assertEquals(somaxconn, report.effective(), "read back from the kernel");
            assertEquals("backlog " + (somaxconn + 1000) + " requested, capped to " + somaxconn + " by net.core.somaxconn="
                    + somaxconn, report.toString());
        }
    }

    @Test
    void aDatagramChannelIsBoundWithItsPreBindOptions() throws IOException {
        try (DatagramChannel first = ListenerBuilder.udp(LOOPBACK_ANY_PORT).reusePort(true).bindDatagram()) {
            InetSocketAddress taken = (InetSocketAddress) first.getLocalAddress();
            try (DatagramChannel second = ListenerBuilder.udp(taken).reusePort(true).bindDatagram()) {
                assertEquals(taken.getPort(), ((InetSocketAddress) second.getLocalAddress()).getPort());
            }
        }
    }

    @Test
    void aFullAcceptQueueIsVisibleAndTheHostCountsTheOverflows() throws Exception {
        assumeTrue(OptionRoundTripTest.isLinux(), "skipped: TCP_INFO accept queue and /proc/net/netstat are Linux's");
        HostCapabilities.assumeAcceptQueueReported();
        ListenerBuilder builder = ListenerBuilder.tcp(LOOPBACK_ANY_PORT).backlog(8);
        List<SocketChannel> clients = new ArrayList<>();
        try (ServerSocketChannel listener = builder.bind()) {
            SocketControl control = SocketControl.of(listener);
            assertEquals(new AcceptQueue(0, 8), control.acceptQueue());
            long overflowsBefore = listenOverflows();
            for (int i = 0; i < 30; i++) {
                SocketChannel client = SocketChannel.open();
                client.configureBlocking(false);
                client.connect(listener.getLocalAddress());
                clients.add(client);
            }
            AcceptQueue queue = awaitFull(control);
            assertTrue(queue.isFull(), "never accepted, the queue fills up: " + queue);
            assertEquals(8, queue.limit());
            long overflowsAfter = awaitOverflowsAbove(overflowsBefore);
            assertTrue(overflowsAfter > overflowsBefore,
                    "TcpExt ListenOverflows must count the dropped connections: " + overflowsBefore + " -> " + overflowsAfter);
            System.out.printf("accept queue %s; ListenOverflows %d -> %d%n", queue, overflowsBefore, overflowsAfter);
        } finally {
            for (SocketChannel client : clients) {
                client.close();
            }
        }
    }

    @Test
    void acceptQueueOfASocketThatDoesNotListenIsAWrongStateError() throws IOException {
        HostCapabilities.assumeAcceptQueueReported(); // else every socket gets the platform's EOPNOTSUPP
        try (SocketChannel notListening = SocketChannel.open()) {
            assertThrows(WrongSocketStateException.class, () -> SocketControl.of(notListening).acceptQueue());
        }
    }

    @Test
    void linuxCopiesTheListenersOptionsSoThePolicyCostsNothingPerConnection() throws IOException {
        assumeTrue(OptionRoundTripTest.isLinux(), "skipped: inheritance is asserted for Linux (sk_clone_lock)");
        // TCP_USER_TIMEOUT too: sk_clone_lock copies the whole tcp_sock, and inet_csk_clone_lock
        // resets the retransmission and probe counters but not icsk_user_timeout.
        assertEquals(EnumSet.of(OptionName.TCP_KEEPIDLE, OptionName.TCP_KEEPINTVL, OptionName.TCP_KEEPCNT,
                OptionName.SO_RCVBUF, OptionName.SO_SNDBUF, OptionName.TCP_USER_TIMEOUT),
                AcceptedSocketPolicy.inheritedOptions());
        OptionSettings settings = OptionSettings.builder()
                .keepAlive(Duration.ofSeconds(33), Duration.ofSeconds(4), 5)
                .set(SockOpt.SO_SNDBUF, 96 * 1024)
                .set(SockOpt.TCP_USER_TIMEOUT, Duration.ofMillis(4321))
                .build();
        ListenerBuilder builder = ListenerBuilder.tcp(LOOPBACK_ANY_PORT).acceptedSocketPolicy(settings);
        try (ServerSocketChannel listener = builder.bind();
             SocketChannel client = SocketChannel.open(listener.getLocalAddress());
             SocketChannel accepted = listener.accept()) {
            AcceptedSocketPolicy policy = builder.policy();
            assertTrue(policy.inheritedFromListener());
            assertEquals(EnumSet.noneOf(OptionName.class), policy.perConnectionOptions());
            policy.applyTo(accepted); // nothing to do
            // The accepted socket has the policy without any call on it; read by the JDK.
            assertEquals(33, accepted.getOption(ExtendedSocketOptions.TCP_KEEPIDLE));
            assertEquals(4, accepted.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL));
            assertEquals(5, accepted.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT));
            assertTrue(accepted.getOption(StandardSocketOptions.SO_KEEPALIVE));
            assertEquals(96 * 1024, accepted.getOption(StandardSocketOptions.SO_SNDBUF));
            // The JDK cannot read this one; the accepted socket holds it all the same.
            assertEquals(Duration.ofMillis(4321), SocketControl.of(accepted).get(SockOpt.TCP_USER_TIMEOUT));
            assertEquals(Duration.ZERO, SocketControl.of(client).get(SockOpt.TCP_USER_TIMEOUT), "the client's own");
        }
    }

    private static AcceptQueue awaitFull(SocketControl listener) throws InterruptedException {
        AcceptQueue queue = listener.acceptQueue();
        for (int i = 0; i < 100 && !queue.isFull(); i++) {
            Thread.sleep(50);
            queue = listener.acceptQueue();
        }
        return queue;
    }

    private static long awaitOverflowsAbove(long before) throws IOException, InterruptedException {
        long now = listenOverflows();
        for (int i = 0; i < 100 && now <= before; i++) {
            Thread.sleep(50);
            now = listenOverflows();
        }
        return now;
    }

    /** TcpExt ListenOverflows from /proc/net/netstat: a header line of names, then a line of values. */
    static long listenOverflows() throws IOException {
        String text;
        try (InputStream in = Files.newInputStream(Path.of("/proc/net/netstat"))) {
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        String[] lines = text.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith("TcpExt:") && lines[i + 1].startsWith("TcpExt:")) {
                String[] names = lines[i].trim().split("\\s+");
                String[] values = lines[i + 1].trim().split("\\s+");
                for (int k = 1; k < names.length; k++) {
                    if (names[k].equals("ListenOverflows")) {
                        return Long.parseLong(values[k]);
                    }
                }
            }
        }
        throw new IllegalStateException("no TcpExt ListenOverflows in /proc/net/netstat");
    }

    /** The per-connection path (macOS's, reported): forced here, since Linux inherits everything. */
    @Test
    void policyAppliesPerConnectionWhereNothingIsInherited() throws Exception {
        ChildJvm.Outcome outcome = ChildJvm.run(ChildJvm.testClasspath(),
                java.util.List.of("-D" + AcceptedSocketPolicy.INHERIT_PROPERTY + "=none"), PerConnectionPolicyMain.class);
        assertEquals(0, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains("ok: accepted socket after applyTo: keep-alive 61/11/4"), outcome.output());
        assertTrue(outcome.output().contains("ok: accepted socket after applyTo: TCP_USER_TIMEOUT 4321ms"), outcome.output());
    }
}
