package org.sockoptbridge;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.Objects;

/**
 * Opens a listener with its options set in the order the kernel needs: open, pre-bind options
 * (IPV6_V6ONLY and SO_REUSEPORT only work before bind; SO_RCVBUF before listen so that the
 * window scale offered to every accepted connection fits it), bind, listen with the backlog.
 * The result is a plain JDK channel, usable with any Selector or framework.
 *
 * <pre>{@code
 * ListenerBuilder builder = ListenerBuilder.tcp(new InetSocketAddress("::", 8080))
 *         .ipv6Only(true).reusePort(true).receiveBufferSize(1 << 20).backlog(4096)
 *         .acceptedSocketPolicy(perConnection);
 * ServerSocketChannel listener = builder.bind();
 * log.info(builder.backlogReport().toString()); // "backlog 4096", or "... capped to 128 by net.core.somaxconn=128"
 * AcceptedSocketPolicy policy = builder.policy();
 * }</pre>
 */
public final class ListenerBuilder {
    private final InetSocketAddress address;
    private final boolean datagram;
    private final OptionSettings.Builder preBind = OptionSettings.builder();
    private int backlog = 128;
    private OptionSettings acceptedSettings;
    private BacklogReport backlogReport;
    private AcceptedSocketPolicy policy;

    private ListenerBuilder(InetSocketAddress address, boolean datagram) {
        this.address = Objects.requireNonNull(address, "address");
        this.datagram = datagram;
    }

    /**
     * A TCP listener.
     *
     * @param address where to bind; {@code ::} or another IPv6 address opens an IPv6 socket
     * @return a builder for that listener
     */
    public static ListenerBuilder tcp(InetSocketAddress address) {
        return new ListenerBuilder(address, false);
    }

    /**
     * A UDP socket; see {@link #bindDatagram()}.
     *
     * @param address where to bind; {@code ::} or another IPv6 address opens an IPv6 socket
     * @return a builder for that socket
     */
    public static ListenerBuilder udp(InetSocketAddress address) {
        return new ListenerBuilder(address, true);
    }

    /**
     * IPv6 only, no IPv4-mapped addresses: lets an IPv4 listener bind the same port.
     *
     * @param on true for IPv6 only, false for dual stack
     * @return this builder
     */
    public ListenerBuilder ipv6Only(boolean on) {
        preBind.set(SockOpt.IPV6_V6ONLY, on);
        return this;
    }

    /**
     * Share the port with other sockets that set it too (Linux load-balances among them).
     *
     * @param on true to share
     * @return this builder
     */
    public ListenerBuilder reusePort(boolean on) {
        preBind.set(SockOpt.SO_REUSEPORT, on);
        return this;
    }

    /**
     * SO_RCVBUF, set before {@code listen()} so that the window scale offered to every accepted
     * connection fits it.
     *
     * @param bytes the size to ask for (Linux holds twice that, clamped by net.core.rmem_max)
     * @return this builder
     */
    public ListenerBuilder receiveBufferSize(int bytes) {
        preBind.set(SockOpt.SO_RCVBUF, bytes);
        return this;
    }

    /**
     * SO_SNDBUF.
     *
     * @param bytes the size to ask for (Linux holds twice that, clamped by net.core.wmem_max)
     * @return this builder
     */
    public ListenerBuilder sendBufferSize(int bytes) {
        preBind.set(SockOpt.SO_SNDBUF, bytes);
        return this;
    }

    /**
     * The accept queue length to ask for; the host may cap it (see {@link #backlogReport()}).
     *
     * @param backlog at least 1; 128 when not set
     * @return this builder
     * @throws IllegalArgumentException when backlog is below 1
     */
    public ListenerBuilder backlog(int backlog) {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1, got " + backlog);
        }
        this.backlog = backlog;
        return this;
    }

    /**
     * Options for every accepted socket, installed on the listener (see {@link AcceptedSocketPolicy}).
     *
     * @param settings the per-connection options
     * @return this builder
     */
    public ListenerBuilder acceptedSocketPolicy(OptionSettings settings) {
        this.acceptedSettings = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /**
     * Opens, sets the pre-bind options in one native call, binds and listens.
     *
     * @return the bound, listening channel; the caller closes it
     * @throws IOException from opening or binding; the channel is closed again
     * @throws SockoptException when an option is refused; the channel is closed again
     * @throws IllegalStateException on a {@link #udp} builder
     */
    public ServerSocketChannel bind() throws IOException {
        if (datagram) {
            throw new IllegalStateException("a udp() builder binds with bindDatagram()");
        }
        OptionSettings options = preBind.build();
        ServerSocketChannel listener = ServerSocketChannel.open(family());
        try {
            SocketControl control = SocketControl.of(listener);
            control.apply(options);
            if (acceptedSettings != null) {
                policy = AcceptedSocketPolicy.install(listener, acceptedSettings);
            }
            listener.bind(address, backlog);
            backlogReport = backlogReport(control);
            return listener;
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    /**
     * Opens a UDP socket, sets the pre-bind options in one native call, and binds it.
     *
     * @return the bound channel; the caller closes it
     * @throws IOException from opening or binding; the channel is closed again
     * @throws SockoptException when an option is refused; the channel is closed again
     * @throws IllegalStateException on a {@link #tcp} builder
     */
    public DatagramChannel bindDatagram() throws IOException {
        if (!datagram) {
            throw new IllegalStateException("a tcp() builder binds with bind()");
        }
        OptionSettings options = preBind.build();
        DatagramChannel channel = DatagramChannel.open(family());
        try {
            SocketControl.of(channel).apply(options);
            channel.bind(address);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * {@return after {@link #bind()}: the backlog asked for, the host's cap, and what the kernel applies}
     *
     * @throws IllegalStateException before {@link #bind()}
     */
    public BacklogReport backlogReport() {
        requireBound();
        return backlogReport;
    }

    /**
     * {@return after {@link #bind()}: the installed accepted-socket policy, or null if none was given}
     *
     * @throws IllegalStateException before {@link #bind()}
     */
    public AcceptedSocketPolicy policy() {
        requireBound();
        return policy;
    }

    private void requireBound() {
        if (backlogReport == null) {
            throw new IllegalStateException("call bind() first");
        }
    }

    private ProtocolFamily family() {
        return address.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    /**
     * The limit read back from the listener where the platform reports it; else computed from the
     * host's cap, which every OS the bridge knows applies as min(backlog, cap) to a backlog of 1 or
     * more (PlatformFacts.acceptQueueRule); else unknown, never assumed to be the request.
     */
    private BacklogReport backlogReport(SocketControl control) {
        HostLimit cap = HostLimit.read(HostLimit.Kind.ACCEPT_QUEUE_MAX);
        int effective;
        try {
            effective = control.acceptQueue().limit();
        } catch (SockoptException notReported) {
            effective = cap.isKnown() ? (int) Math.min(backlog, cap.value()) : -1;
        }
        return new BacklogReport(backlog, cap, effective);
    }
}
