package org.sockoptbridge;

import java.io.Closeable;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every socket type a Java server has, with no JVM flags: the bridge writes SO_REUSEPORT and
 * SO_RCVBUF, and the JDK's own getOption on the same object sees them.
 */
class EverySocketTypeTest {
    private final List<Closeable> open = new ArrayList<>();

    private <T extends Closeable> T keep(T closeable) {
        open.add(closeable);
        return closeable;
    }

    @org.junit.jupiter.api.AfterEach
    void closeAll() throws IOException {
        for (Closeable c : open) {
            c.close();
        }
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    interface JdkOptionReader {
        <T> T get(SocketOption<T> option) throws IOException;
    }

    private static void assertBridgeWritesWhatTheJdkReads(Object socket, JdkOptionReader jdk) throws IOException {
        SocketControl control = SocketControl.of(socket);
        control.set(SockOpt.SO_REUSEPORT, true);
        assertTrue(jdk.get(StandardSocketOptions.SO_REUSEPORT), socket.getClass().getName());
        control.set(SockOpt.SO_REUSEPORT, false);
        assertFalse(jdk.get(StandardSocketOptions.SO_REUSEPORT), socket.getClass().getName());
        control.set(SockOpt.SO_RCVBUF, 40_000);
        int expectedJdkView = OptionRoundTripTest.isLinux() ? control.get(SockOpt.SO_RCVBUF) / 2 : control.get(SockOpt.SO_RCVBUF);
        assertEquals(expectedJdkView, (int) jdk.get(StandardSocketOptions.SO_RCVBUF), socket.getClass().getName());
    }

    @Test
    void nioChannels() throws IOException {
        for (NetworkChannel channel : List.of(keep(SocketChannel.open()), keep(ServerSocketChannel.open()),
                keep(DatagramChannel.open()))) {
            assertBridgeWritesWhatTheJdkReads(channel, channel::getOption);
        }
    }

    @Test
    void asynchronousChannels() throws Exception {
        AsynchronousServerSocketChannel server = keep(AsynchronousServerSocketChannel.open().bind(loopback()));
        AsynchronousSocketChannel client = keep(AsynchronousSocketChannel.open());
        client.connect(server.getLocalAddress()).get(10, TimeUnit.SECONDS);
        AsynchronousSocketChannel accepted = keep(server.accept().get(10, TimeUnit.SECONDS));
        assertBridgeWritesWhatTheJdkReads(server, server::getOption);
        assertBridgeWritesWhatTheJdkReads(client, client::getOption);
        assertBridgeWritesWhatTheJdkReads(accepted, accepted::getOption);
    }

    @Test
    void javaNetSocketsConnectedAcceptedAndListening() throws IOException {
        ServerSocket server = keep(new ServerSocket());
        server.bind(loopback());
        Socket client = keep(new Socket());
        client.connect(server.getLocalSocketAddress());
        Socket accepted = keep(server.accept());
        assertBridgeWritesWhatTheJdkReads(server, server::getOption);
        assertBridgeWritesWhatTheJdkReads(client, client::getOption);
        assertBridgeWritesWhatTheJdkReads(accepted, accepted::getOption);
    }

    @Test
    void socketsOfChannelsAreTheirChannels() throws IOException {
        ServerSocketChannel serverChannel = keep(ServerSocketChannel.open().bind(loopback()));
        SocketChannel clientChannel = keep(SocketChannel.open(serverChannel.getLocalAddress()));
        assertEquals(SocketControl.of(serverChannel).fd(), SocketControl.of(serverChannel.socket()).fd());
        assertEquals(SocketControl.of(clientChannel).fd(), SocketControl.of(clientChannel.socket()).fd());
        assertBridgeWritesWhatTheJdkReads(clientChannel.socket(), clientChannel.socket()::getOption);
    }

    @Test
    void datagramSockets() throws IOException {
        DatagramSocket socket = keep(new DatagramSocket(loopback()));
        assertBridgeWritesWhatTheJdkReads(socket, socket::getOption);
    }

    @Test
    void aJavaNetSocketBeforeConnectHasNoFdYetAndSaysSo() {
        Socket unconnected = keep(new Socket());
        WrongSocketStateException e = assertThrows(WrongSocketStateException.class, () -> SocketControl.of(unconnected));
        assertTrue(e.getMessage().contains("bind() or connect()"), e.getMessage());
    }

    @Test
    void closedSocketsOfEveryTypeAreRefusedAsClosed() throws Exception {
        ServerSocket server = keep(new ServerSocket());
        server.bind(loopback());
        Socket client = keep(new Socket());
        client.connect(server.getLocalSocketAddress());
        AsynchronousSocketChannel async = keep(AsynchronousSocketChannel.open());
        DatagramSocket datagram = keep(new DatagramSocket(loopback()));
        for (Closeable socket : List.<Closeable>of(server, client, async, datagram)) {
            SocketControl control = SocketControl.of(socket);
            socket.close();
            assertThrows(SocketClosedException.class, () -> control.set(SockOpt.SO_REUSEPORT, true),
                    socket.getClass().getName());
        }
    }
}
