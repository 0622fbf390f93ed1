package org.sockoptbridge;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

import org.sockoptbridge.internal.BridgeLog;

/**
 * Options every accepted connection should have (keep-alive timers, buffer sizes), installed on
 * a listener. Where this platform copies a listener's options into the sockets it accepts
 * (Linux does: the child is cloned from the listener, net/core/sock.c sk_clone_lock), they are
 * set once on the listener and {@link #applyTo} costs nothing; where it does not (reported for
 * macOS), {@link #applyTo} sets them on each accepted socket in one native call. Which options
 * are inherited is detected once per JVM on a loopback connection, never assumed.
 *
 * <pre>{@code
 * AcceptedSocketPolicy policy = AcceptedSocketPolicy.install(listener, settings);
 * SocketChannel connection = listener.accept();
 * policy.applyTo(connection);   // zero system calls where the listener's options are inherited
 * }</pre>
 */
public final class AcceptedSocketPolicy {
    private final OptionSettings settings;
    private final OptionSettings perConnection;

    private AcceptedSocketPolicy(OptionSettings settings, OptionSettings perConnection) {
        this.settings = settings;
        this.perConnection = perConnection;
    }

    /**
     * Sets the inherited part of settings on the listener now (before or after bind) and keeps
     * the rest for {@link #applyTo}.
     *
     * @param listener the listening channel, open; bound or not
     * @param settings the options every accepted socket should have
     * @return the policy, to apply to each accepted socket
     * @throws SockoptException when the listener refuses an option; nothing of it stays set
     */
    public static AcceptedSocketPolicy install(ServerSocketChannel listener, OptionSettings settings) {
        return install(SocketControl.of(listener), settings);
    }

    /**
     * The same for a listener known by its fd, such as Netty's
     * {@code ((EpollServerSocketChannel) ch).fd().intValue()} (the caller keeps it open).
     *
     * @param listenerFd the listening socket's descriptor
     * @param settings the options every accepted socket should have
     * @return the policy, to apply to each accepted socket
     * @throws SockoptException when the listener refuses an option; nothing of it stays set
     */
    public static AcceptedSocketPolicy install(int listenerFd, OptionSettings settings) {
        return install(SocketControl.ofFd(listenerFd), settings);
    }

    private static AcceptedSocketPolicy install(SocketControl listener, OptionSettings settings) {
        Set<OptionName> inherited = inheritedOptions();
        OptionSettings onListener = settings.only(inherited);
        EnumSet<OptionName> rest = EnumSet.allOf(OptionName.class);
        rest.removeAll(inherited);
        OptionSettings perConnection = settings.only(rest);
        if (!onListener.isEmpty()) {
            listener.apply(onListener);
        }
        return new AcceptedSocketPolicy(settings, perConnection);
    }

    /**
     * Brings an accepted socket to the policy: nothing to do where everything is inherited.
     *
     * @param acceptedSocket the JDK socket or channel {@code accept()} returned
     * @throws SockoptException when an option is refused; none of the policy stays set on it
     */
    public void applyTo(Object acceptedSocket) {
        if (!perConnection.isEmpty()) {
            SocketControl.of(acceptedSocket).apply(perConnection);
        }
    }

    /**
     * The same for a raw fd (Netty epoll: {@code ((EpollSocketChannel) ch).fd().intValue()}).
     *
     * @param acceptedFd the accepted socket's descriptor, kept open by the caller
     * @throws SockoptException when an option is refused; none of the policy stays set on it
     */
    public void applyTo(int acceptedFd) {
        if (!perConnection.isEmpty()) {
            SocketControl.ofFd(acceptedFd).apply(perConnection);
        }
    }

    /** {@return true when accepted sockets get every option from the listener, so applyTo does nothing} */
    public boolean inheritedFromListener() {
        return perConnection.isEmpty();
    }

    /** {@return the options applyTo still sets on each accepted socket} */
    public Set<OptionName> perConnectionOptions() {
        return perConnection.options();
    }

    /** {@return every option of the policy, inherited or applied per connection} */
    public OptionSettings settings() {
        return settings;
    }

    /**
     * {@return the options this platform copies from a listener into accepted sockets, detected
     * once} Empty also when detection failed ({@link #inheritanceDetected()} tells): policies then
     * apply per connection, which is always correct, only slower.
     */
    public static Set<OptionName> inheritedOptions() {
        return Inheritance.DETECTED;
    }

    /**
     * {@return false when the detection could not run} For example the portable backend without
     * the --add-opens it needs to read a JDK channel's fd: then nothing is known about inheritance.
     */
    public static boolean inheritanceDetected() {
        return Inheritance.failure == null;
    }

    /** {@code -Dsockopt.bridge.acceptedSocketsInherit=none}: apply every policy per connection. */
    public static final String INHERIT_PROPERTY = "sockopt.bridge.acceptedSocketsInherit";

    private static final class Inheritance {
        private static Throwable failure;
        static final Set<OptionName> DETECTED = Collections.unmodifiableSet(detect());

        /**
         * Distinctive values on a loopback listener, then read back from the accepted child.
         * {@value #INHERIT_PROPERTY}{@code =none} skips detection and claims nothing is inherited:
         * the path platforms without inheritance (macOS) take, so it can be exercised anywhere.
         */
        private static EnumSet<OptionName> detect() {
            EnumSet<OptionName> inherited = EnumSet.noneOf(OptionName.class);
            if ("none".equals(System.getProperty(INHERIT_PROPERTY))) {
                BridgeLog.log(Level.DEBUG, "sockopt-bridge: -D" + INHERIT_PROPERTY + "=none: accepted-socket policies"
                        + " set every option on each accepted socket");
                return inherited;
            }
            Capabilities caps = SockoptBridge.capabilities();
            try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
                SocketControl onListener = SocketControl.of(listener);
                for (OptionName option : OptionName.values()) {
                    if (option.listenerValueMayPassToAccepted() && caps.isSupported(option)) {
                        onListener.set(key(option), distinctiveValue(option));
                    }
                }
                listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
                try (SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                     SocketChannel child = listener.accept()) {
                    SocketControl onChild = SocketControl.of(child);
                    for (OptionName option : OptionName.values()) {
                        if (option.listenerValueMayPassToAccepted() && caps.isSupported(option)
                                && onListener.get(key(option)).equals(onChild.get(key(option)))) {
                            inherited.add(option);
                        }
                    }
                }
            } catch (IOException | SockoptException e) {
                // Detection failed: claim nothing is inherited, so policies apply per connection.
                failure = e;
                BridgeLog.log(Level.WARNING, "sockopt-bridge could not detect which options accepted sockets inherit"
                        + " from their listener (" + e + "); accepted-socket policies set every option on each"
                        + " accepted socket: correct, one native call per connection");
                return EnumSet.noneOf(OptionName.class);
            }
            EnumSet<OptionName> notInherited = EnumSet.noneOf(OptionName.class);
            for (OptionName option : OptionName.values()) {
                if (option.listenerValueMayPassToAccepted() && caps.isSupported(option) && !inherited.contains(option)) {
                    notInherited.add(option);
                }
            }
            if (!notInherited.isEmpty()) {
                // Linux inherits them all and logs nothing; elsewhere this is the platform's way, worth knowing once.
                BridgeLog.log(Level.INFO, "sockopt-bridge: accepted sockets do not inherit " + notInherited
                        + " from their listener here; accepted-socket policies set them on each accepted socket");
            }
            return inherited;
        }

        @SuppressWarnings("unchecked")
        private static SockOpt<Object> key(OptionName option) {
            return (SockOpt<Object>) SockOpt.of(option);
        }

        /**
         * A value no default has, inside every kernel's range, different per option: a child that
         * reads it back got it from the listener. Buffer sizes are odd multiples of 8 KiB plus
         * 1000 so that even Linux's doubling and minimums cannot produce them by chance.
         */
        private static Object distinctiveValue(OptionName option) {
            int n = option.ordinal();
            switch (option.unit()) {
                case SECONDS: return Duration.ofSeconds(1234 + 11 * n);
                case MILLISECONDS: return Duration.ofMillis(12_345 + 11 * n); // a fresh socket has 0
                case COUNT: return 7; // Linux starts at 9, macOS at 8
                case BYTES: return (3 + 2 * n) * 8192 + 1000;
                default: return Boolean.TRUE;
            }
        }
    }
}
