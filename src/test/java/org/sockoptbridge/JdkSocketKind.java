package org.sockoptbridge;

import java.io.Closeable;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * Every kind of JDK socket object the bridge accepts, each made open (bound or connected, so that
 * it has a native fd) on loopback. Connections end with a reset (SO_LINGER 0) so that stress
 * runs do not fill the ephemeral port range with TIME_WAIT. java.net.Socket appears twice: a socket made by
 * {@code new Socket()} wraps its implementation in a delegating one, an accepted socket does not.
 */
enum JdkSocketKind {
    SOCKET_CONNECTED {
        @Override
        Closeable open(Peers peers) throws IOException {
            Socket socket = new Socket(peers.loopback(), peers.drainedListenerPort());
            socket.setSoLinger(true, 0); // closed with a reset: no TIME_WAIT left holding a loopback port
            return socket;
        }
    },
    SOCKET_ACCEPTED {
        @Override
        Closeable open(Peers peers) throws IOException {
            return peers.acceptedSocket();
        }
    },
    SERVER_SOCKET {
        @Override
        Closeable open(Peers peers) throws IOException {
            return new ServerSocket(0, 1, peers.loopback());
        }
    },
    DATAGRAM_SOCKET {
        @Override
        Closeable open(Peers peers) throws IOException {
            return new DatagramSocket(new InetSocketAddress(peers.loopback(), 0));
        }
    },
    SOCKET_CHANNEL {
        @Override
        Closeable open(Peers peers) throws IOException {
            return SocketChannel.open();
        }
    },
    SERVER_SOCKET_CHANNEL {
        @Override
        Closeable open(Peers peers) throws IOException {
            return ServerSocketChannel.open();
        }
    },
    DATAGRAM_CHANNEL {
        @Override
        Closeable open(Peers peers) throws IOException {
            return DatagramChannel.open();
        }
    },
    ASYNC_SOCKET_CHANNEL {
        @Override
        Closeable open(Peers peers) throws IOException {
            return AsynchronousSocketChannel.open();
        }
    },
    ASYNC_SERVER_SOCKET_CHANNEL {
        @Override
        Closeable open(Peers peers) throws IOException {
            return AsynchronousServerSocketChannel.open();
        }
    };

    abstract Closeable open(Peers peers) throws IOException;

    /**
     * The listeners that connected and accepted java.net sockets need: one that accepts and closes
     * whatever connects (for clients), one that a test connects to and accepts from itself.
     */
    static final class Peers implements AutoCloseable {
        private final ServerSocketChannel drained;
        private final ServerSocket acceptor;
        private final Thread drainer;

        Peers() throws IOException {
            drained = ServerSocketChannel.open().bind(new InetSocketAddress(loopback(), 0), 1024);
            acceptor = new ServerSocket(0, 1024, loopback());
            drainer = new Thread(() -> {
                while (drained.isOpen()) {
                    // Closed normally; the client's reset (SO_LINGER 0) then ends both sides
                    // without TIME_WAIT. A reset from here could reach the client mid-setup.
                    try {
                        drained.accept().close();
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            }, "drainer");
            drainer.setDaemon(true);
            drainer.start();
        }

        InetAddress loopback() {
            return InetAddress.getLoopbackAddress();
        }

        int drainedListenerPort() throws IOException {
            return ((InetSocketAddress) drained.getLocalAddress()).getPort();
        }

        /** A java.net socket returned by accept(); its client is closed at once (the socket stays open). */
        synchronized Socket acceptedSocket() throws IOException {
            try (SocketChannel client = SocketChannel.open(acceptor.getLocalSocketAddress())) {
                Socket accepted = acceptor.accept();
                // The client ends with a reset after the accept (a reset connection still in the
                // queue makes accept fail), so thousands of these leave no TIME_WAIT entries
                // holding loopback ports that later tests bind.
                client.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
                return accepted;
            }
        }

        @Override
        public void close() throws Exception {
            drained.close();
            acceptor.close();
            drainer.join(TimeUnit.SECONDS.toMillis(10));
        }
    }
}
