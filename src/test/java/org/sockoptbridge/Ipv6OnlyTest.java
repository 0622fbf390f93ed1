package org.sockoptbridge;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import org.junit.jupiter.api.Test;
import org.sockoptbridge.junit.EnabledIfSocketOptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IPV6_V6ONLY, which the JDK cannot set at all, works between open() and bind() and is refused after. */
@EnabledIfSocketOptions(OptionName.IPV6_V6ONLY)
class Ipv6OnlyTest {

    @Test
    void setBeforeBindTakesEffectAndIpv4ClientsCannotReachTheListener() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET6)) {
            SocketControl control = SocketControl.of(listener);
            control.set(SockOpt.IPV6_V6ONLY, true);
            listener.bind(new InetSocketAddress(InetAddress.getByName("::"), 0));
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();

            assertTrue(control.get(SockOpt.IPV6_V6ONLY), "still set after bind");
            // What the kernel does with it: an IPv4 client is refused, an IPv6 client connects.
            assertThrows(java.net.ConnectException.class,
                    () -> SocketChannel.open(new InetSocketAddress("127.0.0.1", port)).close());
            try (SocketChannel v6 = SocketChannel.open(new InetSocketAddress(Sockets.ipv6Loopback(), port))) {
                assertTrue(v6.isConnected());
            }
        }
    }

    @Test
    void withoutItTheJdksIpv6ListenerAlsoAcceptsIpv4() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET6)) {
            listener.bind(new InetSocketAddress(InetAddress.getByName("::"), 0));
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            try (SocketChannel v4 = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
                assertTrue(v4.isConnected(), "dual-stack is the JDK's only behaviour");
            }
        }
    }

    @Test
    void setAfterBindIsRefusedWithTheTimingRuleAndLeavesTheSocketAsItWas() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET6)) {
            listener.bind(new InetSocketAddress(InetAddress.getByName("::"), 0));
            SocketControl control = SocketControl.of(listener);
            WrongSocketStateException e = assertThrows(WrongSocketStateException.class,
                    () -> control.set(SockOpt.IPV6_V6ONLY, true));
            BadInputTest.assertMessageNames(e, "IPV6_V6ONLY=true", "before", "bind()", "EINVAL");
            assertEquals(false, control.get(SockOpt.IPV6_V6ONLY));
        }
    }
}
