package org.sockoptbridge;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sockoptbridge.junit.EnabledIfSocketOptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every option set through the bridge reads back through the bridge, and the JDK agrees. */
class OptionRoundTripTest {

    @BeforeAll
    static void everyOptionButIpv6IsSupportedHere() {
        SockoptBridge.requireSupport(OptionName.TCP_KEEPIDLE, OptionName.TCP_KEEPINTVL, OptionName.TCP_KEEPCNT,
                OptionName.SO_RCVBUF, OptionName.SO_SNDBUF, OptionName.SO_REUSEPORT);
    }

    @Test
    void keepAliveTimersRoundTripAndTheJdkReadsTheSameValues() throws IOException {
        SocketChannel[] pair = Sockets.connectedPair();
        try (SocketChannel client = pair[0]; SocketChannel accepted = pair[1]) {
            SocketControl control = SocketControl.of(accepted);
            assertFalse(accepted.getOption(StandardSocketOptions.SO_KEEPALIVE), "keep-alive starts off");

            control.set(SockOpt.TCP_KEEPIDLE, Duration.ofSeconds(45));
            control.set(SockOpt.TCP_KEEPINTVL, Duration.ofSeconds(7));
            control.set(SockOpt.TCP_KEEPCNT, 3);

            assertEquals(Duration.ofSeconds(45), control.get(SockOpt.TCP_KEEPIDLE));
            assertEquals(Duration.ofSeconds(7), control.get(SockOpt.TCP_KEEPINTVL));
            assertEquals(3, control.get(SockOpt.TCP_KEEPCNT));
            assertEquals(45, accepted.getOption(ExtendedSocketOptions.TCP_KEEPIDLE));
            assertEquals(7, accepted.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL));
            assertEquals(3, accepted.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT));
            assertTrue(accepted.getOption(StandardSocketOptions.SO_KEEPALIVE),
                    "setting a keep-alive timer must turn SO_KEEPALIVE on, or the timers never run");
        }
    }

    @Test
    void userTimeoutRoundTripsInMillisecondsAndLeavesKeepAliveOff() throws IOException {
        assumeTrue(isLinux(), "skipped: TCP_USER_TIMEOUT is Linux's");
        SocketChannel[] pair = Sockets.connectedPair();
        try (SocketChannel client = pair[0]; SocketChannel accepted = pair[1]) {
            SocketControl control = SocketControl.of(client);
            assertEquals(Duration.ZERO, control.get(SockOpt.TCP_USER_TIMEOUT), "off on a fresh connection");
            control.set(SockOpt.TCP_USER_TIMEOUT, Duration.ofMillis(2500));
            assertEquals(Duration.ofMillis(2500), control.get(SockOpt.TCP_USER_TIMEOUT));
            assertFalse(client.getOption(StandardSocketOptions.SO_KEEPALIVE),
                    "the user timeout acts without keep-alive, so the bridge leaves SO_KEEPALIVE alone");
            control.set(SockOpt.TCP_USER_TIMEOUT, Duration.ofMinutes(3));
            assertEquals(Duration.ofSeconds(180), control.get(SockOpt.TCP_USER_TIMEOUT));
            control.set(SockOpt.TCP_USER_TIMEOUT, Duration.ZERO);
            assertEquals(Duration.ZERO, control.get(SockOpt.TCP_USER_TIMEOUT));
            assertEquals(0L, SockoptBridge.capabilities().of(OptionName.TCP_USER_TIMEOUT).defaultValue());
        }
    }

    @Test
    void valuesSetByTheJdkReadBackThroughTheBridge() throws IOException {
        try (SocketChannel channel = SocketChannel.open()) {
            channel.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 321);
            channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            SocketControl control = SocketControl.of(channel);
            assertEquals(Duration.ofSeconds(321), control.get(SockOpt.TCP_KEEPIDLE));
            assertTrue(control.get(SockOpt.SO_REUSEPORT));
        }
    }

    @Test
    void reusePortRoundTripsOnEveryChannelType() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open();
             SocketChannel socket = SocketChannel.open();
             DatagramChannel datagram = DatagramChannel.open()) {
            for (java.nio.channels.NetworkChannel channel : new java.nio.channels.NetworkChannel[] {server, socket, datagram}) {
                SocketControl control = SocketControl.of(channel);
                control.set(SockOpt.SO_REUSEPORT, true);
                assertTrue(control.get(SockOpt.SO_REUSEPORT), channel.toString());
                assertTrue(channel.getOption(StandardSocketOptions.SO_REUSEPORT), channel.toString());
                control.set(SockOpt.SO_REUSEPORT, false);
                assertFalse(control.get(SockOpt.SO_REUSEPORT), channel.toString());
                assertFalse(channel.getOption(StandardSocketOptions.SO_REUSEPORT), channel.toString());
            }
        }
    }

    @Test
    void bufferSizesReadBackAsTheKernelHoldsThemWhichIsTwiceTheJdksFigureOnLinux() throws IOException {
        assumeTrue(isLinux(), "skipped: the doubling rule is Linux's (net/core/sock.c)");
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.INET)) {
            SocketControl control = SocketControl.of(channel);
            BufferSize receive = control.setBufferSize(SockOpt.SO_RCVBUF, 64 * 1024);
            BufferSize send = control.setBufferSize(SockOpt.SO_SNDBUF, 48 * 1024);

            assertEquals(BufferSize.Adjustment.DOUBLED, receive.adjustment(), receive.explanation());
            assertEquals(128 * 1024, receive.kernelBytes());
            assertEquals(96 * 1024, send.kernelBytes());
            assertEquals(128 * 1024, control.get(SockOpt.SO_RCVBUF));
            int jdkReceive = channel.getOption(StandardSocketOptions.SO_RCVBUF);
            int jdkSend = channel.getOption(StandardSocketOptions.SO_SNDBUF);
            assertEquals(2 * jdkReceive, control.get(SockOpt.SO_RCVBUF), "JDK halves what the kernel reports");
            assertEquals(2 * jdkSend, control.get(SockOpt.SO_SNDBUF), "JDK halves what the kernel reports");
        }
    }

    @Test
    void bufferRequestsAboveTheHostMaximumAreReportedAsClamped() throws IOException {
        assumeTrue(isLinux(), "skipped: net.core.rmem_max is Linux's");
        int rmemMax = HostSysctl.read("net/core/rmem_max");
        try (SocketChannel channel = SocketChannel.open()) {
            BufferSize size = SocketControl.of(channel).setBufferSize(SockOpt.SO_RCVBUF, rmemMax + 4096);
            assertEquals(BufferSize.Adjustment.CLAMPED_TO_HOST_MAXIMUM, size.adjustment(), size.explanation());
            assertEquals(2 * rmemMax, size.kernelBytes());
        }
    }

    @Test
    @EnabledIfSocketOptions(OptionName.IPV6_V6ONLY)
    void ipv6OnlyRoundTripsOnAnUnboundIpv6Socket() throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.INET6)) {
            SocketControl control = SocketControl.of(channel);
            assertFalse(control.get(SockOpt.IPV6_V6ONLY), "the JDK clears IPV6_V6ONLY on every IPv6 socket it creates");
            control.set(SockOpt.IPV6_V6ONLY, true);
            assertTrue(control.get(SockOpt.IPV6_V6ONLY));
            control.set(SockOpt.IPV6_V6ONLY, false);
            assertFalse(control.get(SockOpt.IPV6_V6ONLY));
        }
    }

    @Test
    void settingsApplyInOneCallAndReadBack() throws IOException {
        OptionSettings settings = OptionSettings.builder()
                .keepAlive(Duration.ofSeconds(60), Duration.ofSeconds(10), 5)
                .set(SockOpt.SO_SNDBUF, 32 * 1024)
                .set(SockOpt.SO_REUSEPORT, true)
                .build();
        try (SocketChannel channel = SocketChannel.open()) {
            SocketControl control = SocketControl.of(channel);
            control.apply(settings);
            assertEquals(Duration.ofSeconds(60), control.get(SockOpt.TCP_KEEPIDLE));
            assertEquals(Duration.ofSeconds(10), control.get(SockOpt.TCP_KEEPINTVL));
            assertEquals(5, control.get(SockOpt.TCP_KEEPCNT));
            assertTrue(control.get(SockOpt.SO_REUSEPORT));
            assertTrue(channel.getOption(StandardSocketOptions.SO_KEEPALIVE));
            assertEquals(32 * 1024, channel.getOption(StandardSocketOptions.SO_SNDBUF));
        }
    }

    @Test
    void rawFdFromTheJdkWorksLikeTheChannel() throws IOException {
        try (SocketChannel channel = SocketChannel.open()) {
            SocketControl byChannel = SocketControl.of(channel);
            SocketControl byFd = SocketControl.ofFd(byChannel.fd());
            byFd.set(SockOpt.TCP_KEEPCNT, 6);
            assertEquals(6, byChannel.get(SockOpt.TCP_KEEPCNT));
            assertEquals(6, channel.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT));
        }
    }

    @Test
    void defaultsAreReadOnAFreshRawSocketAndMatchTheHostSysctls() throws IOException {
        assumeTrue(isLinux(), "skipped: the defaults come from Linux sysctls");
        Capabilities caps = SockoptBridge.capabilities();
        assertEquals((long) HostSysctl.read("net/ipv4/tcp_keepalive_time"), caps.of(OptionName.TCP_KEEPIDLE).defaultValue());
        assertEquals((long) HostSysctl.read("net/ipv4/tcp_keepalive_intvl"), caps.of(OptionName.TCP_KEEPINTVL).defaultValue());
        assertEquals((long) HostSysctl.read("net/ipv4/tcp_keepalive_probes"), caps.of(OptionName.TCP_KEEPCNT).defaultValue());
        assertEquals(0L, caps.of(OptionName.SO_REUSEPORT).defaultValue());
        if (caps.ipv6Available()) {
            // Not what a JDK channel shows: the JDK clears IPV6_V6ONLY on every socket it creates.
            assertEquals((long) HostSysctl.read("net/ipv6/bindv6only"), caps.of(OptionName.IPV6_V6ONLY).defaultValue());
        }
    }

    static boolean isLinux() {
        return System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux");
    }
}
