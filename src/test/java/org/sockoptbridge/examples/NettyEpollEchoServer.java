package org.sockoptbridge.examples;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import org.sockoptbridge.AcceptedSocketPolicy;
import org.sockoptbridge.OptionName;
import org.sockoptbridge.OptionSettings;
import org.sockoptbridge.SockOpt;
import org.sockoptbridge.SockoptBridge;

/**
 * An echo server on Netty's epoll transport. Netty creates and binds the listener itself, so the
 * policy goes where a Netty user puts socket setup: in the listener's {@code handler} (it runs
 * when the listener is registered, before Netty binds it) when this platform copies listener
 * options into accepted sockets, otherwise in the {@code childHandler}, once per connection.
 * Both reach the socket through its fd ({@code fd().intValue()}), which the epoll channels expose.
 *
 * <pre>
 * java -cp ... org.sockoptbridge.examples.NettyEpollEchoServer 8080
 * </pre>
 */
public final class NettyEpollEchoServer implements AutoCloseable {
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel listener;

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        SockoptBridge.requireSupport(OptionName.TCP_KEEPIDLE, OptionName.TCP_KEEPINTVL, OptionName.TCP_KEEPCNT);
        OptionSettings perConnection = OptionSettings.builder()
                .keepAlive(Duration.ofSeconds(60), Duration.ofSeconds(10), 5)
                .set(SockOpt.SO_RCVBUF, 256 * 1024)
                .build();
        try (NettyEpollEchoServer server = start(new InetSocketAddress(port), perConnection)) {
            System.out.println("echo on " + server.localAddress() + "; accepted sockets get " + perConnection);
            server.listener.closeFuture().sync();
        }
    }

    public static NettyEpollEchoServer start(InetSocketAddress address, OptionSettings perConnection)
            throws InterruptedException {
        Epoll.ensureAvailability();
        // Installed on the listener's fd when Netty registers it (before bind): what accepted
        // sockets inherit is set there once; the rest, if any, is applied to each child.
        AtomicReference<AcceptedSocketPolicy> policy = new AtomicReference<>();
        EventLoopGroup boss = new EpollEventLoopGroup(1);
        EventLoopGroup workers = new EpollEventLoopGroup(1);
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(EpollServerSocketChannel.class)
                    .handler(new ChannelInitializer<EpollServerSocketChannel>() {
                        @Override
                        protected void initChannel(EpollServerSocketChannel listener) {
                            policy.set(AcceptedSocketPolicy.install(listener.fd().intValue(), perConnection));
                        }
                    })
                    .childHandler(new ChannelInitializer<EpollSocketChannel>() {
                        @Override
                        protected void initChannel(EpollSocketChannel connection) {
                            // Nothing to do where everything is inherited. A raw fd has no close lock,
                            // but Netty closes a channel only on its own event loop, which is the
                            // thread running this: it stays open.
                            policy.get().applyTo(connection.fd().intValue());
                            connection.pipeline().addLast(EchoHandler.INSTANCE);
                        }
                    });
            Channel listener = bootstrap.bind(address).sync().channel();
            return new NettyEpollEchoServer(boss, workers, listener);
        } catch (InterruptedException | RuntimeException e) {
            boss.shutdownGracefully();
            workers.shutdownGracefully();
            throw e;
        }
    }

    private NettyEpollEchoServer(EventLoopGroup boss, EventLoopGroup workers, Channel listener) {
        this.boss = boss;
        this.workers = workers;
        this.listener = listener;
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
