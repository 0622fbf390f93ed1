package org.sockoptbridge;

import java.time.Duration;
import java.util.Objects;

import org.sockoptbridge.internal.Errnos;
import org.sockoptbridge.internal.JdkSockets;
import org.sockoptbridge.internal.JniShim;
import org.sockoptbridge.internal.NativeBackend;
import org.sockoptbridge.internal.SocketTarget;
import org.sockoptbridge.internal.SocketTarget.FdCall;
import org.sockoptbridge.internal.os.PlatformFacts;

/**
 * Options of one open socket. Create it once per socket (reading the fd out of a JDK object
 * costs a few JNI calls) and keep it as long as the socket lives.
 *
 * <pre>{@code
 * SocketControl control = SocketControl.of(channel);
 * control.set(SockOpt.TCP_KEEPIDLE, Duration.ofSeconds(60));
 * int kernelBytes = control.get(SockOpt.SO_RCVBUF);
 * }</pre>
 *
 * For a JDK channel, every call runs under the channel's own close lock, as the JDK's setOption
 * does, so a concurrent close makes it fail with {@link SocketClosedException} and never lets it
 * reach another socket that reused the fd number. A raw fd is the caller's to keep open.
 */
public final class SocketControl {
    /**
     * The native calls made under the socket's close lock. An enum, not lambdas: the first lambda
     * of a JVM costs milliseconds of bootstrap, and a server's first set is on its startup path.
     */
    private enum Call implements FdCall {
        SET {
            @Override
            public long apply(NativeBackend backend, int fd, int id, int value, int[] ids, int[] values) {
                return backend.setInt(fd, id, value);
            }
        },
        GET {
            @Override
            public long apply(NativeBackend backend, int fd, int id, int unused, int[] ids, int[] values) {
                return backend.getInt(fd, id);
            }
        },
        LISTEN_QUEUE {
            @Override
            public long apply(NativeBackend backend, int fd, int unused, int unused2, int[] ids, int[] values) {
                return backend.listenQueue(fd);
            }
        },
        TCP_INFO {
            @Override
            public long apply(NativeBackend backend, int fd, int unused, int unused2, int[] ids, int[] out) {
                return backend.tcpInfo(fd, out);
            }
        },
        KIND {
            @Override
            public long apply(NativeBackend backend, int fd, int unused, int unused2, int[] ids, int[] values) {
                return backend.socketKind(fd);
            }
        },
        SET_BATCH {
            @Override
            public long apply(NativeBackend backend, int fd, int unused, int count, int[] ids, int[] values) {
                return backend.setBatch(fd, ids, values, count);
            }
        }
    }


    private final SocketTarget target;
    private final OptionTable table = OptionTable.INSTANCE;

    private SocketControl(SocketTarget target) {
        this.target = target;
    }

    /**
     * Control of a JDK socket: {@code SocketChannel}, {@code ServerSocketChannel},
     * {@code DatagramChannel}, {@code AsynchronousSocketChannel},
     * {@code AsynchronousServerSocketChannel}, {@code Socket} (connected, or returned by
     * {@code accept()}), {@code ServerSocket} (bound), {@code DatagramSocket}.
     *
     * @param socket the JDK socket or channel; it stays the caller's to close
     * @return control of its options
     * @throws SocketClosedException if it is closed
     * @throws WrongSocketStateException for a {@code java.net} socket that has no native socket yet
     * @throws NativeLibraryUnavailableException when no backend loaded
     * @throws WrongSocketTypeException for an object the bridge cannot read an fd from
     */
    public static SocketControl of(Object socket) {
        Objects.requireNonNull(socket, "socket");
        OptionTable.INSTANCE.requireLoaded(); // binds the JNI readers used below
        if (isClosedJavaNetSocket(socket)) {
            // Checked first: a java.net socket closed before bind/connect never had an fd, and
            // "closed" is what its owner needs to hear, not "not connected yet".
            throw new SocketClosedException(null, null, 0, socket.getClass().getSimpleName() + " is closed");
        }
        SocketTarget target;
        try {
            target = JdkSockets.resolve(socket);
        } catch (JdkSockets.UnknownSocketTypeException e) {
            throw new WrongSocketTypeException(null, null, 0, e.getMessage());
        } catch (JdkSockets.NoNativeSocketYetException e) {
            throw new WrongSocketStateException(null, null, 0, e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            throw new WrongSocketTypeException(null, null, 0, "cannot read the fd of a " + socket.getClass().getName()
                    + " on this JDK (" + System.getProperty("java.version") + "): " + e);
        }
        if (!target.isOpen() || target.fd() < 0) {
            throw new SocketClosedException(null, null, 0, target.description() + " is closed");
        }
        return new SocketControl(target);
    }

    private static boolean isClosedJavaNetSocket(Object socket) {
        if (socket instanceof java.net.Socket client) {
            return client.isClosed();
        }
        if (socket instanceof java.net.ServerSocket server) {
            return server.isClosed();
        }
        return socket instanceof java.net.DatagramSocket datagram && datagram.isClosed();
    }

    /**
     * Control of a raw fd, such as Netty's {@code ((EpollSocketChannel) ch).fd().intValue()}.
     *
     * @param fd an open socket descriptor; the caller keeps it open while this is used
     * @return control of its options
     * @throws NativeLibraryUnavailableException when no backend loaded
     */
    public static SocketControl ofFd(int fd) {
        OptionTable.INSTANCE.requireLoaded();
        return new SocketControl(SocketTarget.rawFd(fd));
    }

    /** {@return the native fd (for diagnostics; closing it behind the owner's back breaks the owner)} */
    public int fd() {
        return target.fd();
    }

    /**
     * Sets one option. Keep-alive timers also turn SO_KEEPALIVE on: without it they do nothing.
     * The value is checked against this platform's range before any system call.
     *
     * @param <T> the option's value type
     * @param option the option
     * @param value its new value
     * @throws SockoptException (a subclass naming option, value, errno and platform) when it
     *         cannot be set; the socket is left as it was
     */
    public <T> void set(SockOpt<T> option, T value) {
        int nativeValue = option.toNative(value);
        int id = option.name().nativeId();
        if (!table.acceptsWithoutCheck(id, nativeValue)) {
            // Off the hot path: build the message text only when something is wrong.
            table.validate(option.name(), nativeValue, option.describe(value));
        }
        long rc = target.call(table.backend, Call.SET, id, nativeValue, null, null);
        if (rc != 0) {
            throw failure(option.name(), option.describe(value), rc);
        }
    }

    /**
     * Reads one option as the kernel holds it (buffer sizes: the kernel's value, see {@link SockOpt#SO_RCVBUF}).
     *
     * @param <T> the option's value type
     * @param option the option
     * @return its current value
     * @throws SockoptException when it cannot be read here
     */
    public <T> T get(SockOpt<T> option) {
        int id = option.name().nativeId();
        if (!table.isSupported(id)) {
            table.requireSupported(option.name(), null);
        }
        long rc = target.call(table.backend, Call.GET, id, 0, null, null);
        if (rc < 0) {
            throw failure(option.name(), null, rc);
        }
        return option.fromNative((int) rc);
    }

    /**
     * Sets a buffer size and reports what the kernel made of it (doubled, clamped, raised).
     *
     * @param option {@link SockOpt#SO_RCVBUF} or {@link SockOpt#SO_SNDBUF}
     * @param requestedBytes the size to ask for
     * @return what was asked for and what the kernel holds
     * @throws IllegalArgumentException for an option that is not a buffer size
     * @throws SockoptException when it cannot be set; the socket is left as it was
     */
    public BufferSize setBufferSize(SockOpt<Integer> option, int requestedBytes) {
        if (!option.name().isBufferSize()) {
            throw new IllegalArgumentException(option + " is not a buffer size");
        }
        set(option, requestedBytes);
        return BufferSize.of(option.name(), requestedBytes, get(option), table.bufferReadbackFactor);
    }

    /**
     * Applies all settings in one native call; on failure none of them stays applied.
     *
     * @param settings the options and values, validated when they were built
     * @throws SockoptException naming the option that failed; the socket is left as it was
     */
    public void apply(OptionSettings settings) {
        int count = settings.nativeIds.length;
        if (count == 0) {
            return;
        }
        long rc = target.call(table.backend, Call.SET_BATCH, 0, count, settings.nativeIds, settings.nativeValues);
        if (rc != 0) {
            if (rc == SocketTarget.CLOSED) {
                throw failure(null, null, rc);
            }
            OptionName option = settings.optionAt(JniShim.batchFailedIndex((int) rc));
            String value = option == null ? null : settings.describe(option);
            throw failure(option, value, -JniShim.batchErrno((int) rc));
        }
    }

    /**
     * The accept queue of a listening socket, read live from the kernel: export it, log it, or
     * shed load before the kernel starts dropping connections. Linux only (TCP_INFO).
     *
     * @return the queue's length and limit now
     * @throws WrongSocketStateException if the socket is not listening
     * @throws WrongSocketTypeException if it is not a TCP socket
     * @throws SockoptException where the platform does not report it
     */
    public AcceptQueue acceptQueue() {
        table.requireLoaded();
        long rc = target.call(table.backend, Call.LISTEN_QUEUE, 0, 0, null, null);
        if (rc >= 0) {
            return new AcceptQueue(JniShim.queueLength(rc), JniShim.queueLimit(rc));
        }
        int errno = (int) -rc;
        if (rc == SocketTarget.CLOSED || Errnos.is(errno, "EBADF") || Errnos.is(errno, "ENOTSOCK")) {
            throw failure(null, null, rc);
        }
        SocketKind kind = kindWhileOpen();
        if (kind == null) {
            throw new SocketClosedException(null, null, errno, target.description() + " was closed during the call");
        }
        if (!kind.isTcp()) {
            throw new WrongSocketTypeException(null, null, errno,
                    "the accept queue exists only on a listening TCP socket; " + target.description() + " is " + kind);
        }
        if (Errnos.is(errno, "EINVAL")) {
            throw new WrongSocketStateException(null, null, errno,
                    "the accept queue exists only on a listening socket; " + target.description() + " is not listening");
        }
        if (Errnos.is(errno, "EOPNOTSUPP")) {
            throw new SockoptException(null, null, errno, "this platform does not report a listener's accept queue ("
                    + PlatformFacts.current().acceptQueueSource() + ")");
        }
        throw failure(null, null, rc);
    }

    /**
     * A TCP connection's state and retransmission and probe counters, read live from the kernel:
     * after a read failed with "Connection timed out", they tell whether keep-alive probes or
     * unacknowledged data ended the connection (see {@link TcpInfo}). Read it before closing the
     * socket. Linux only (TCP_INFO).
     *
     * @return the counters as the kernel holds them now
     * @throws WrongSocketTypeException if it is not a TCP socket
     * @throws SocketClosedException if it is closed
     * @throws SockoptException where the platform does not report it
     */
    public TcpInfo tcpInfo() {
        table.requireLoaded();
        int[] fields = new int[JniShim.TCPI_FIELDS];
        long rc = target.call(table.backend, Call.TCP_INFO, 0, 0, null, fields);
        if (rc == 0) {
            return new TcpInfo(TcpInfo.State.ofLinux(fields[JniShim.TCPI_STATE]), fields[JniShim.TCPI_RETRANSMITS],
                    fields[JniShim.TCPI_PROBES], Integer.toUnsignedLong(fields[JniShim.TCPI_UNACKED]),
                    Integer.toUnsignedLong(fields[JniShim.TCPI_TOTAL_RETRANS]),
                    Duration.ofMillis(Integer.toUnsignedLong(fields[JniShim.TCPI_LAST_DATA_RECV])),
                    Duration.ofMillis(Integer.toUnsignedLong(fields[JniShim.TCPI_LAST_ACK_RECV])));
        }
        int errno = (int) -rc;
        if (rc == SocketTarget.CLOSED || Errnos.is(errno, "EBADF") || Errnos.is(errno, "ENOTSOCK")) {
            throw failure(null, null, rc);
        }
        SocketKind kind = kindWhileOpen();
        if (kind == null) {
            throw new SocketClosedException(null, null, errno, target.description() + " was closed during the call");
        }
        if (!kind.isTcp()) {
            throw new WrongSocketTypeException(null, null, errno,
                    "TCP_INFO exists only on a TCP socket; " + target.description() + " is " + kind);
        }
        if (Errnos.is(errno, "EOPNOTSUPP")) {
            throw new SockoptException(null, null, errno, "this platform does not report a connection's TCP_INFO"
                    + " counters (the shim reads them from Linux TCP_INFO, when the kernel returns the whole structure)");
        }
        throw failure(null, null, rc);
    }

    /**
     * The socket's kind, read under the same close lock as the calls, so that it describes this
     * socket and not one that reused the number after a close; null if it is closed now.
     */
    private SocketKind kindWhileOpen() {
        long kind = target.call(table.backend, Call.KIND, 0, 0, null, null);
        return kind == SocketTarget.CLOSED ? null : SocketKind.decode(kind);
    }

    /** Turns a negative result into the typed error, looking at the socket to say why. */
    private SockoptException failure(OptionName option, String value, long rc) {
        if (rc == SocketTarget.CLOSED) {
            return new SocketClosedException(option, value, 0, target.description() + " is closed");
        }
        int errno = (int) -rc;
        if (Errnos.is(errno, "EBADF")) {
            return new SocketClosedException(option, value, errno, target.description() + " is not an open file descriptor");
        }
        if (Errnos.is(errno, "ENOTSOCK")) {
            return new WrongSocketTypeException(option, value, errno, target.description() + " is not a socket"
                    + JniShim.describeFileKind(table.backend.fileKind(target.fd())));
        }
        if (option == null) {
            return new SockoptException(null, value, errno, "setting options on " + target.description() + " failed");
        }
        SocketKind kind = kindWhileOpen();
        if (kind == null) {
            return new SocketClosedException(option, value, errno, target.description() + " was closed during the call");
        }
        if (option.scope() == OptionName.Scope.TCP && !kind.isTcp()) {
            return new WrongSocketTypeException(option, value, errno,
                    option + " applies to TCP sockets only; " + target.description() + " is " + kind);
        }
        if (option.scope() == OptionName.Scope.INET6 && !kind.isInet6()) {
            return new WrongSocketTypeException(option, value, errno,
                    option + " applies to IPv6 sockets only; " + target.description() + " is " + kind);
        }
        if (option.scope() == OptionName.Scope.INET && !kind.isInet()) {
            return new WrongSocketTypeException(option, value, errno,
                    option + " applies to IPv4 and IPv6 sockets only; " + target.description() + " is " + kind);
        }
        if (option == OptionName.IPV6_V6ONLY && kind.bound() && Errnos.is(errno, "EINVAL")) {
            return new WrongSocketStateException(option, value, errno, "IPV6_V6ONLY can only change before the socket"
                    + " has a local port: set it between open() and bind(); " + target.description()
                    + " is already bound (" + PlatformFacts.current().v6OnlyAfterBindRule() + ")");
        }
        String oversized = PlatformFacts.current().oversizedBufferErrno();
        if (option.isBufferSize() && oversized != null && Errnos.is(errno, oversized)) {
            return new InvalidOptionValueException(option, value, errno, "larger than this host allows on "
                    + target.description() + ": " + PlatformFacts.current().bufferRule(option,
                            HostLimit.read(HostLimit.Kind.bufferMaxOf(option))));
        }
        if (Errnos.is(errno, "EINVAL")) {
            return new InvalidOptionValueException(option, value, errno,
                    "the kernel refused the value on " + target.description() + " (" + kind + ")");
        }
        return new SockoptException(option, value, errno, "failed on " + target.description() + " (" + kind + ")");
    }
}
