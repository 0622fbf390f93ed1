package org.sockoptbridge.internal;

import java.io.FileDescriptor;
import java.lang.reflect.Field;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketImpl;
import java.nio.channels.Channel;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * Reads the native fd, and the lock that guards its closing, out of JDK socket objects, with no
 * JVM flags: members are located with core reflection (no access needed) and read through JNI
 * ({@link JdkFields}). Where each JDK keeps them (checked on 17, 21 and 25):
 * <ul>
 * <li>NIO channels (sun.nio.ch.SocketChannelImpl, ServerSocketChannelImpl, DatagramChannelImpl):
 *     {@code int fdVal} and {@code Object stateLock}; the fd is closed under stateLock, after
 *     the channel is flagged closed.</li>
 * <li>Asynchronous channels (sun.nio.ch.AsynchronousSocketChannelImpl, ...ServerSocket...):
 *     {@code FileDescriptor fd}; close() flags the channel closed under the write half of
 *     {@code ReadWriteLock closeLock}, then closes the fd; I/O holds the read half.</li>
 * <li>java.net.Socket / ServerSocket: {@code SocketImpl impl}; {@code new Socket()} wraps the
 *     platform impl in a java.net.DelegatingSocketImpl ({@code delegate}); the platform impl,
 *     sun.nio.ch.NioSocketImpl, closes its {@code SocketImpl.fd} under {@code Object stateLock}.
 *     Sockets of channels (sun.nio.ch.SocketAdaptor {@code sc}, ServerSocketAdaptor {@code ssc})
 *     are their channel's.</li>
 * <li>java.net.DatagramSocket: {@code DatagramSocket delegate}, a sun.nio.ch.DatagramSocketAdaptor
 *     whose {@code dc} is a DatagramChannelImpl (JDK 15+).</li>
 * </ul>
 */
public final class JdkSockets {
    private static final String SUPPORTED = "supported: SocketChannel, ServerSocketChannel, DatagramChannel,"
            + " AsynchronousSocketChannel, AsynchronousServerSocketChannel, Socket, ServerSocket, DatagramSocket"
            + " of the JDK's default implementations, or a raw int fd";

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

    public static SocketTarget resolve(Object socket) throws UnknownSocketTypeException {
        Object unwrapped = adaptedChannel(socket);
        if (unwrapped instanceof java.nio.channels.NetworkChannel) {
            SocketTarget target = channel((Channel) unwrapped);
            if (target != null) {
                return target;
            }
        }
        if (socket instanceof Socket || socket instanceof ServerSocket) {
            SocketTarget target = javaNetSocket(socket);
            if (target != null) {
                return target;
            }
        }
        throw new UnknownSocketTypeException("cannot read a socket fd from a " + socket.getClass().getName()
                + "; " + SUPPORTED);
    }

    /** The channel behind a socket adaptor or a DatagramSocket, else the object itself. */
    private static Object adaptedChannel(Object socket) {
        if (socket instanceof DatagramSocket) {
            Field delegate = findField(socket.getClass(), "delegate", DatagramSocket.class);
            Object inner = delegate == null ? null : JdkFields.readObjectField(delegate, socket);
            if (inner != null && inner != socket) {
                socket = inner;
            }
            Field dc = findField(socket.getClass(), "dc", Channel.class);
            return dc == null ? socket : JdkFields.readObjectField(dc, socket);
        }
        if (socket instanceof Socket || socket instanceof ServerSocket) {
            Field adapted = findField(socket.getClass(), socket instanceof Socket ? "sc" : "ssc", Channel.class);
            if (adapted != null) {
                return JdkFields.readObjectField(adapted, socket);
            }
        }
        return socket;
    }

    private static SocketTarget channel(Channel channel) {
        Class<?> type = channel.getClass();
        String typeName = type.getSimpleName();
        // Asynchronous channels also have fdVal and stateLock, but close without stateLock:
        // look for their closeLock first.
        Field fdObject = findField(type, "fd", FileDescriptor.class);
        Field closeLock = findField(type, "closeLock", ReadWriteLock.class);
        if (fdObject != null && closeLock != null) {
            int fd = JdkFields.fileDescriptorFd((FileDescriptor) JdkFields.readObjectField(fdObject, channel));
            ReadWriteLock rw = (ReadWriteLock) JdkFields.readObjectField(closeLock, channel);
            return SocketTarget.channelGuardedByLock(fd, channel, rw.readLock(), typeName);
        }
        Field fdVal = findField(type, "fdVal", int.class);
        Field stateLock = findField(type, "stateLock", null);
        if (fdVal != null && stateLock != null) {
            int fd = JdkFields.readIntField(fdVal, channel);
            Object lock = JdkFields.readObjectField(stateLock, channel);
            return lock instanceof Lock
                    ? SocketTarget.channelGuardedByLock(fd, channel, (Lock) lock, typeName)
                    : SocketTarget.channelGuardedByMonitor(fd, channel, lock, typeName);
        }
        return null;
    }

    private static SocketTarget javaNetSocket(Object socket) {
        Field implField = findField(socket.getClass(), "impl", SocketImpl.class);
        Object impl = implField == null ? null : JdkFields.readObjectField(implField, socket);
        for (int depth = 0; impl != null && depth < 4; depth++) {
            Field delegate = findField(impl.getClass(), "delegate", SocketImpl.class);
            if (delegate == null) {
                break;
            }
            impl = JdkFields.readObjectField(delegate, impl);
        }
        if (impl == null) {
            return null;
        }
        Field fdField = findField(impl.getClass(), "fd", FileDescriptor.class);
        Field stateLock = findField(impl.getClass(), "stateLock", null);
        if (fdField == null || stateLock == null) {
            return null;
        }
        Object lock = JdkFields.readObjectField(stateLock, impl);
        FileDescriptor descriptor = (FileDescriptor) JdkFields.readObjectField(fdField, impl);
        if (descriptor == null) {
            throw new NoNativeSocketYetException(socket.getClass().getSimpleName()
                    + " has no native socket yet: java.net sockets create it at bind() or connect();"
                    + " to set options before bind, use the channel API (ServerSocketChannel.open())");
        }
        if (lock instanceof Lock) {
            return null;
        }
        String typeName = socket.getClass().getSimpleName() + "/" + impl.getClass().getSimpleName();
        return SocketTarget.descriptorGuardedByMonitor(JdkFields.fileDescriptorFd(descriptor), descriptor, lock, typeName);
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
