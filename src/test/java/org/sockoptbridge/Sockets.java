package org.sockoptbridge;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** Real loopback sockets for the tests. */
final class Sockets {
    private Sockets() {
    }

    /** A connected TCP pair on 127.0.0.1: [client, accepted]. */
    static SocketChannel[] connectedPair() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel client = SocketChannel.open(listener.getLocalAddress());
            return new SocketChannel[] {client, listener.accept()};
        }
    }

    static InetAddress ipv6Loopback() throws IOException {
        return Inet6Address.getByName("::1");
    }
}
