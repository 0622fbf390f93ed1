package org.sockoptbridge.internal;

import java.io.FileDescriptor;
import java.lang.reflect.Field;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketImpl;
import java.nio.channels.Channel;
import java.nio.channels.NetworkChannel;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

import org.sockoptbridge.internal.JdkFields.JdkField;

/**
 * Reads the native fd, and the lock that guards its closing, out of JDK socket objects, with no
 * JVM flags: fields are located with core reflection (no access needed) and read through JNI
 * ({@link JdkFields}). Where each JDK keeps them (checked on 17, 21 and 25):
 * <ul>
 * <li>NIO channels (sun.nio.ch.SocketChannelImpl, ServerSocketChannelImpl, DatagramChannelImpl):
 *     {@code int fdVal} and {@code Object stateLock}; the fd is closed under stateLock, after
 *     the channel is flagged closed.</li>
 * <li>Asynchronous channels (sun.nio.ch.AsynchronousSocketChannelImpl, ...ServerSocket...):
 *     {@code FileDescriptor fd}; close() flags the channel closed under the write half of
 *     {@code ReadWriteLock closeLock}, then closes the fd; I/O holds the read half. (They also
 *     have fdVal and stateLock, but do not close under stateLock.)</li>
 * <li>java.net.Socket / ServerSocket: {@code SocketImpl impl}; {@code new Socket()} wraps the
 *     platform impl in a java.net.DelegatingSocketImpl ({@code delegate}); the platform impl,
 *     sun.nio.ch.NioSocketImpl, closes its fd under {@code Object stateLock}, after setting
 *     {@code volatile int state} to {@code ST_CLOSING} (close(), tryClose(), and the last reader
 *     or writer in tryFinalCloseAndSignal). It closes the int it copied at creation
 *     (FileDescriptorCloser calls nd.close(fdVal)), so its {@code SocketImpl.fd} FileDescriptor
 *     keeps the number after close: only {@code state} tells a closed impl from an open one.
 *     Sockets of channels (sun.nio.ch.SocketAdaptor {@code sc}, ServerSocketAdaptor {@code ssc})
 *     are their channel's.</li>
 * <li>java.net.DatagramSocket: {@code DatagramSocket delegate}, a sun.nio.ch.DatagramSocketAdaptor
 *     whose {@code dc} is a DatagramChannelImpl (JDK 15+).</li>
 * </ul>
 * What was found for a class is cached per class, so resolving a socket costs a few JNI reads.
 */
public final class JdkSockets {
    private static final String SUPPORTED = "supported: SocketChannel, ServerSocketChannel, DatagramChannel,"
            + " AsynchronousSocketChannel, AsynchronousServerSocketChannel, Socket, ServerSocket, DatagramSocket"
            + " of the JDK's default implementations, or a raw int fd";

    private static final JdkField FILE_DESCRIPTOR_FD = JdkField.of(declaredField(FileDescriptor.class, "fd"));

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            return Shape.of(type);
        }
    };

    private JdkSockets() {
    }

    /** Thrown for objects the bridge cannot read an fd from; the caller turns it into a typed error. */
    public static final class UnknownSocketTypeException extends Exception {
        private static final long serialVersionUID = 1L;

        UnknownSocketTypeException(String message) {
            super(message);
        }
    }

    /** A java.net socket before bind/connect: the JDK has not created its fd yet. */
    public static final class NoNativeSocketYetException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoNativeSocketYetException(String message) {
            super(message);
        }
    }

    /** How one JDK class keeps its fd: which fields to read, and what they lead to. */
    private static final class Shape {
        enum Kind { NIO_CHANNEL, ASYNC_CHANNEL, WRAPPER, SOCKET_IMPL, UNKNOWN }

        final Kind kind;
        final JdkField fd;      // int fdVal (NIO) or FileDescriptor fd (async, SocketImpl)
        final JdkField lock;    // stateLock (NIO, SocketImpl) or closeLock (async)
        final JdkField inner;   // WRAPPER: the object that really holds the socket
        final JdkField state;   // SOCKET_IMPL: int state
        final int closingState; // SOCKET_IMPL: the value of ST_CLOSING; state >= it means closed

        private Shape(Kind kind, JdkField fd, JdkField lock, JdkField inner) {
            this(kind, fd, lock, inner, null, 0);
        }

        private Shape(Kind kind, JdkField fd, JdkField lock, JdkField inner, JdkField state, int closingState) {
            this.kind = kind;
            this.fd = fd;
            this.lock = lock;
            this.inner = inner;
            this.state = state;
            this.closingState = closingState;
        }

        static Shape of(Class<?> type) {
            if (NetworkChannel.class.isAssignableFrom(type)) {
                Field fdObject = findField(type, "fd", FileDescriptor.class);
                Field closeLock = findField(type, "closeLock", ReadWriteLock.class);
                if (fdObject != null && closeLock != null) {
                    return new Shape(Kind.ASYNC_CHANNEL, JdkField.of(fdObject), JdkField.of(closeLock), null);
                }
                Field fdVal = findField(type, "fdVal", int.class);
                Field stateLock = findField(type, "stateLock", null);
                if (fdVal != null && stateLock != null) {
                    return new Shape(Kind.NIO_CHANNEL, JdkField.of(fdVal), JdkField.of(stateLock), null);
                }
            }
            if (DatagramSocket.class.isAssignableFrom(type)) {
                Field dc = findField(type, "dc", NetworkChannel.class);
                Field delegate = dc != null ? dc : findField(type, "delegate", DatagramSocket.class);
                return delegate == null ? unknown() : new Shape(Kind.WRAPPER, null, null, JdkField.of(delegate));
            }
            if (Socket.class.isAssignableFrom(type) || ServerSocket.class.isAssignableFrom(type)) {
                Field channel = findField(type, Socket.class.isAssignableFrom(type) ? "sc" : "ssc", NetworkChannel.class);
                Field impl = channel != null ? channel : findField(type, "impl", SocketImpl.class);
                return impl == null ? unknown() : new Shape(Kind.WRAPPER, null, null, JdkField.of(impl));
            }
            if (SocketImpl.class.isAssignableFrom(type)) {
                Field delegate = findField(type, "delegate", SocketImpl.class);
                if (delegate != null) {
                    return new Shape(Kind.WRAPPER, null, null, JdkField.of(delegate));
                }
                Field fd = findField(type, "fd", FileDescriptor.class);
                Field stateLock = findField(type, "stateLock", null);
                Field state = findField(type, "state", int.class);
                Field closing = findField(type, "ST_CLOSING", int.class);
                // All four or nothing: without the state, a closed impl cannot be told from an
                // open one, and guessing would let a call reach whichever socket reused the number.
                if (fd != null && stateLock != null && !Lock.class.isAssignableFrom(stateLock.getType())
                        && state != null && closing != null) {
                    return new Shape(Kind.SOCKET_IMPL, JdkField.of(fd), JdkField.of(stateLock), null,
                            JdkField.of(state), JdkFields.readStaticInt(closing));
                }
            }
            return unknown();
        }

        private static Shape unknown() {
            return new Shape(Kind.UNKNOWN, null, null, null);
        }
    }

    public static SocketTarget resolve(Object socket) throws UnknownSocketTypeException {
        Object current = socket;
        for (int depth = 0; depth < 4 && current != null; depth++) {
            Shape shape = SHAPES.get(current.getClass());
            switch (shape.kind) {
                case NIO_CHANNEL: {
                    Object lock = shape.lock.readObject(current);
                    int fd = shape.fd.readInt(current);
                    return lock instanceof Lock
                            ? SocketTarget.channelGuardedByLock(fd, (Channel) current, (Lock) lock)
                            : SocketTarget.channelGuardedByMonitor(fd, (Channel) current, lock);
                }
                case ASYNC_CHANNEL: {
                    int fd = fdOf((FileDescriptor) shape.fd.readObject(current));
                    ReadWriteLock closeLock = (ReadWriteLock) shape.lock.readObject(current);
                    return SocketTarget.channelGuardedByLock(fd, (Channel) current, closeLock.readLock());
                }
                case SOCKET_IMPL: {
                    FileDescriptor descriptor = (FileDescriptor) shape.fd.readObject(current);
                    if (descriptor == null) {
                        throw noSocketYet(socket);
                    }
                    return SocketTarget.socketImplGuardedByMonitor(fdOf(descriptor), current,
                            shape.lock.readObject(current), shape.state, shape.closingState, socket.getClass());
                }
                case WRAPPER:
                    current = shape.inner.readObject(current);
                    if (current == null && (socket instanceof Socket || socket instanceof ServerSocket)) {
                        throw noSocketYet(socket);
                    }
                    break;
                default:
                    current = null;
            }
        }
        throw new UnknownSocketTypeException("cannot read a socket fd from a " + socket.getClass().getName()
                + "; " + SUPPORTED);
    }

    private static NoNativeSocketYetException noSocketYet(Object socket) {
        return new NoNativeSocketYetException(socket.getClass().getSimpleName()
                + " has no native socket yet: java.net sockets create it at bind() or connect();"
                + " to set options before bind, use the channel API (ServerSocketChannel.open())");
    }

    /** The int in a FileDescriptor (-1 when FileDescriptor.close closed it; NioSocketImpl leaves it). */
    static int fdOf(FileDescriptor descriptor) {
        return descriptor == null ? -1 : FILE_DESCRIPTOR_FD.readInt(descriptor);
    }

    /** The first field named name in type or its superclasses (of the given type, if not null). */
    static Field findField(Class<?> type, String name, Class<?> fieldType) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            Field field = declaredField(c, name);
            if (field != null && (fieldType == null || fieldType.isAssignableFrom(field.getType()))) {
                return field;
            }
        }
        return null;
    }

    private static Field declaredField(Class<?> type, String name) {
        try {
            return type.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            return null;
        }
    }
}
