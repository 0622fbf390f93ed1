package org.sockoptbridge.examples;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.unix.UnixChannel;
import org.sockoptbridge.AcceptedSocketPolicy;
import org.sockoptbridge.OptionSettings;

/**
 * What the Netty examples share: Netty 4.2's event loops (one thread for accepting, one for the
 * connections, on the transport's {@link IoHandlerFactory}), the listener, and shutting them
 * down. Each example builds its own {@code ServerBootstrap}; the socket options are set there.
 */
public final class NettyEchoServer implements AutoCloseable {
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel listener;

    /** Binds a listener on the given event loops: an example's bootstrap. */
    interface Binder {
        Channel bind(EventLoopGroup boss, EventLoopGroup workers) throws InterruptedException;
    }

    /** An example's start method: the address and the options every accepted socket gets. */
    interface Starter {
        NettyEchoServer start(InetSocketAddress address, OptionSettings perConnection) throws Exception;
    }

    private NettyEchoServer(EventLoopGroup boss, EventLoopGroup workers, Channel listener) {
        this.boss = boss;
        this.workers = workers;
        this.listener = listener;
    }

    /** Runs the binder on two fresh event loop groups of the transport; shuts them down if it fails. */
    static NettyEchoServer start(IoHandlerFactory transport, Binder binder) throws InterruptedException {
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, transport);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(1, transport);
        try {
            return new NettyEchoServer(boss, workers, binder.bind(boss, workers));
        } catch (InterruptedException | RuntimeException e) {
            boss.shutdownGracefully();
            workers.shutdownGracefully();
            throw e;
        }
    }

    /**
     * The bootstrap of Netty's native transports, epoll and io_uring, whose channels are
     * {@link UnixChannel}s with an {@code fd()}. Netty creates the listener's socket when it
     * constructs the channel and binds it later, so the listener's {@code handler}, which runs at
     * registration, sees the fd before bind: the policy is installed there, and what this platform
     * copies into accepted sockets is set once. The {@code childHandler} applies the rest, if any,
     * to each connection's fd. A raw fd has no close lock, but Netty closes a channel only on its
     * own event loop, the thread running the handler: the fd stays open meanwhile.
     */
    static NettyEchoServer startNative(InetSocketAddress address, OptionSettings perConnection,
                                       IoHandlerFactory transport, Class<? extends ServerChannel> listenerType)
            throws InterruptedException {
        AtomicReference<AcceptedSocketPolicy> policy = new AtomicReference<>();
        return start(transport, (boss, workers) -> new ServerBootstrap()
                .group(boss, workers)
                .channel(listenerType)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel listener) {
                        policy.set(AcceptedSocketPolicy.install(((UnixChannel) listener).fd().intValue(), perConnection));
                    }
                })
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel connection) {
                        policy.get().applyTo(((UnixChannel) connection).fd().intValue()); // nothing where inherited
                        connection.pipeline().addLast(EchoHandler.INSTANCE);
                    }
                })
                .bind(address).sync().channel());
    }

    /** An example's {@code main(port)}: {@link ExampleMain#checkedPolicy()}, then serve until the listener closes. */
    static void serve(String[] args, Starter starter) throws Exception {
        OptionSettings perConnection = ExampleMain.checkedPolicy();
        try (NettyEchoServer server = starter.start(new InetSocketAddress(ExampleMain.port(args)), perConnection)) {
            System.out.println("echo on " + server.localAddress() + "; accepted sockets get " + perConnection);
            server.listener.closeFuture().sync();
        }
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
