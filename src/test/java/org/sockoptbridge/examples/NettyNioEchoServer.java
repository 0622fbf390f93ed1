package org.sockoptbridge.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.sockoptbridge.AcceptedSocketPolicy;
import org.sockoptbridge.ListenerBuilder;
import org.sockoptbridge.OptionName;
import org.sockoptbridge.OptionSettings;
import org.sockoptbridge.SockOpt;
import org.sockoptbridge.SockoptBridge;
import org.sockoptbridge.SockoptException;

/**
 * An echo server on Netty's NIO transport, around a listener made by {@link ListenerBuilder}
 * (so it can have IPV6_V6ONLY, SO_REUSEPORT and the accepted-socket policy, set in the kernel's
 * order before bind). Netty wraps the bound JDK channel; {@code bootstrap.register()} starts
 * accepting on it ({@code bind()} would try to bind it a second time).
 *
 * <p>Where the policy is applied to each connection: Netty's {@code NioSocketChannel} keeps its
 * JDK channel behind a protected {@code javaChannel()}, so a {@code childHandler} cannot reach it.
 * The one place that holds the accepted JDK channel in the open is the listener's
 * {@code doReadMessages}, which a subclass may override (Netty's own is: accept, wrap). So
 * {@link PolicyServerChannel} accepts, applies the policy to the JDK channel (under the JDK's own
 * close lock), then wraps it. Where the listener's options are inherited (Linux), applyTo does
 * nothing and this subclass costs nothing; it is there so the same code is right elsewhere.
 *
 * <pre>
 * java -cp ... org.sockoptbridge.examples.NettyNioEchoServer 8080
 * </pre>
 */
public final class NettyNioEchoServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NettyNioEchoServer.class.getName());

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
        try (NettyNioEchoServer server = start(new InetSocketAddress(port), perConnection)) {
            System.out.println("echo on " + server.localAddress() + "; accepted sockets get " + perConnection);
            server.listener.closeFuture().sync();
        }
    }

    public static NettyNioEchoServer start(InetSocketAddress address, OptionSettings perConnection)
            throws IOException, InterruptedException {
        ListenerBuilder builder = ListenerBuilder.tcp(address).backlog(1024).acceptedSocketPolicy(perConnection);
        ServerSocketChannel bound = builder.bind();
        AcceptedSocketPolicy policy = builder.policy();
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup(1);
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(boss, workers)
                    .channelFactory(() -> new PolicyServerChannel(bound, policy))
                    .childHandler(new ChannelInitializer<NioSocketChannel>() {
                        @Override
                        protected void initChannel(NioSocketChannel connection) {
                            connection.pipeline().addLast(EchoHandler.INSTANCE);
                        }
                    });
            Channel listener = bootstrap.register().sync().channel();
            return new NettyNioEchoServer(boss, workers, listener);
        } catch (InterruptedException | RuntimeException e) {
            bound.close();
            boss.shutdownGracefully();
            workers.shutdownGracefully();
            throw e;
        }
    }

    /** Netty's NIO listener, applying the accepted-socket policy before it wraps each connection. */
    static final class PolicyServerChannel extends NioServerSocketChannel {
        private final AcceptedSocketPolicy policy;

        PolicyServerChannel(ServerSocketChannel bound, AcceptedSocketPolicy policy) {
            super(bound);
            this.policy = policy;
        }

        @Override
        protected int doReadMessages(List<Object> accepted) throws Exception {
            SocketChannel connection = javaChannel().accept();
            if (connection == null) {
                return 0;
            }
            try {
                policy.applyTo(connection); // nothing to do where the listener's options are inherited
            } catch (SockoptException e) {
                // Close this connection only: an exception thrown from here would close the listener.
                LOG.log(System.Logger.Level.WARNING, "closing an accepted connection without its policy: " + e.getMessage());
                connection.close();
                return 0;
            }
            accepted.add(new NioSocketChannel(this, connection));
            return 1;
        }
    }

    private NettyNioEchoServer(EventLoopGroup boss, EventLoopGroup workers, Channel listener) {
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
