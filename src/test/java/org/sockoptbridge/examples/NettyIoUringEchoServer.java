package org.sockoptbridge.examples;

import java.net.InetSocketAddress;

import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import org.sockoptbridge.OptionSettings;

/**
 * An echo server on Netty 4.2's io_uring transport (io.netty:netty-transport-native-io_uring),
 * set up exactly as on epoll ({@link NettyEchoServer#startNative}): its channels expose
 * {@code fd()} too, and Netty creates the listener's socket before it registers and binds it.
 * Connections are accepted by an io_uring accept operation instead of accept4(2); the kernel
 * hands out the same child socket, cloned from the listener (net/core/sock.c sk_clone_lock), so
 * it inherits the listener's options just the same (the test reads them back).
 *
 * <pre>
 * java -cp ... org.sockoptbridge.examples.NettyIoUringEchoServer 8080
 * </pre>
 */
public final class NettyIoUringEchoServer {
    private NettyIoUringEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        NettyEchoServer.serve(args, NettyIoUringEchoServer::start);
    }

    public static NettyEchoServer start(InetSocketAddress address, OptionSettings perConnection)
            throws InterruptedException {
        IoUring.ensureAvailability(); // throws the cause where the kernel or a seccomp filter refuses io_uring
        return NettyEchoServer.startNative(address, perConnection, IoUringIoHandler.newFactory(),
                IoUringServerSocketChannel.class);
    }
}
