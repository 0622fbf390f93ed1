package org.sockoptbridge.examples;

import java.net.InetSocketAddress;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import org.sockoptbridge.OptionSettings;

/**
 * An echo server on Netty's epoll transport. Netty creates and binds the listener itself, so the
 * policy goes where a Netty user puts socket setup: {@code AcceptedSocketPolicy.install(fd, ...)}
 * in the listener's {@code handler}, before bind, and {@code policy.applyTo(fd)} in the
 * {@code childHandler}; both reach the socket through {@code fd().intValue()}, which the epoll
 * channels expose. The bootstrap is {@link NettyEchoServer#startNative}, shared with io_uring.
 *
 * <pre>
 * java -cp ... org.sockoptbridge.examples.NettyEpollEchoServer 8080
 * </pre>
 */
public final class NettyEpollEchoServer {
    private NettyEpollEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        NettyEchoServer.serve(args, NettyEpollEchoServer::start);
    }

    public static NettyEchoServer start(InetSocketAddress address, OptionSettings perConnection)
            throws InterruptedException {
        Epoll.ensureAvailability();
        return NettyEchoServer.startNative(address, perConnection, EpollIoHandler.newFactory(),
                EpollServerSocketChannel.class);
    }
}
