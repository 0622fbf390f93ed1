package org.sockoptbridge.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import org.sockoptbridge.AcceptedSocketPolicy;
import org.sockoptbridge.ListenerBuilder;
import org.sockoptbridge.OptionSettings;
import org.sockoptbridge.SockoptException;

/**
 * An echo server on one thread with a plain NIO {@link Selector}. {@link ListenerBuilder} opens the
 * listener and installs the accepted-socket policy on it; the accept loop then calls
 * {@link AcceptedSocketPolicy#applyTo} on every accepted channel. Where this platform copies the
 * listener's options into accepted sockets (Linux), that call does nothing; elsewhere it sets the
 * policy in one native call. The server never has to know which.
 *
 * <pre>
 * java -cp ... org.sockoptbridge.examples.NioSelectorEchoServer 8080
 * </pre>
 */
public final class NioSelectorEchoServer implements AutoCloseable {
    private final ServerSocketChannel listener;
    private final AcceptedSocketPolicy policy;
    private final Selector selector;
    private final Thread loop;
    private volatile boolean running = true;

    public static void main(String[] args) throws Exception {
        OptionSettings perConnection = ExampleMain.checkedPolicy();
        try (NioSelectorEchoServer server = start(new InetSocketAddress(ExampleMain.port(args)), perConnection)) {
            System.out.println("echo on " + server.localAddress() + "; accepted sockets get " + perConnection
                    + (server.policy.inheritedFromListener() ? " from the listener" : " per connection"));
            server.loop.join();
        }
    }

    public static NioSelectorEchoServer start(InetSocketAddress address, OptionSettings perConnection) throws IOException {
        ListenerBuilder builder = ListenerBuilder.tcp(address).backlog(1024).acceptedSocketPolicy(perConnection);
        ServerSocketChannel listener = builder.bind();
        try {
            return new NioSelectorEchoServer(listener, builder.policy());
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    private NioSelectorEchoServer(ServerSocketChannel listener, AcceptedSocketPolicy policy) throws IOException {
        this.listener = listener;
        this.policy = policy;
        this.selector = Selector.open();
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        this.loop = new Thread(this::run, "nio-echo-" + listener.socket().getLocalPort());
        loop.start();
    }

    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) listener.getLocalAddress();
    }

    private void run() {
        try {
            while (running) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isAcceptable()) {
                        accept();
                    } else {
                        try {
                            echo(key);
                        } catch (IOException e) {
                            key.channel().close(); // this connection only
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            if (running) {
                e.printStackTrace();
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel connection = listener.accept(); // a failure here is the listener's: it ends the loop
        if (connection == null) {
            return;
        }
        try {
            policy.applyTo(connection); // nothing to do where the listener's options are inherited
            connection.configureBlocking(false);
            connection.register(selector, SelectionKey.OP_READ, ByteBuffer.allocate(8192));
        } catch (IOException | SockoptException e) {
            connection.close(); // this connection only: it is not served without its policy
        }
    }

    /** Reads what is there and writes it back; waits for OP_WRITE only while the peer is slow. */
    private static void echo(SelectionKey key) throws IOException {
        SocketChannel connection = (SocketChannel) key.channel();
        ByteBuffer pending = (ByteBuffer) key.attachment();
        if (key.isReadable() && connection.read(pending) < 0) {
            connection.close();
            return;
        }
        pending.flip();
        connection.write(pending);
        pending.compact();
        key.interestOps(pending.position() > 0 ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            loop.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }
}
