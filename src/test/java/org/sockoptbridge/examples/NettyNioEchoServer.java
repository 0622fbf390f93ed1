package org.sockoptbridge.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.sockoptbridge.AcceptedSocketPolicy;
import org.sockoptbridge.ListenerBuilder;
import org.sockoptbridge.OptionSettings;
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
public final class NettyNioEchoServer {
    private static final System.Logger LOG = System.getLogger(NettyNioEchoServer.class.getName());

    private NettyNioEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        NettyEchoServer.serve(args, NettyNioEchoServer::start);
    }

    public static NettyEchoServer start(InetSocketAddress address, OptionSettings perConnection)
            throws IOException, InterruptedException {
        ListenerBuilder builder = ListenerBuilder.tcp(address).backlog(1024).acceptedSocketPolicy(perConnection);
        ServerSocketChannel bound = builder.bind();
        AcceptedSocketPolicy policy = builder.policy();
        try {
            return NettyEchoServer.start(NioIoHandler.newFactory(), (boss, workers) -> new ServerBootstrap()
                    .group(boss, workers)
                    .channelFactory(() -> new PolicyServerChannel(bound, policy))
                    .childHandler(new ChannelInitializer<NioSocketChannel>() {
                        @Override
                        protected void initChannel(NioSocketChannel connection) {
                            connection.pipeline().addLast(EchoHandler.INSTANCE);
                        }
                    })
                    .register().sync().channel());
        } catch (InterruptedException | RuntimeException e) {
            bound.close();
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
}
