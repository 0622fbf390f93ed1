package org.sockoptbridge.internal;

import java.io.FileDescriptor;
import java.lang.reflect.Field;
import java.nio.channels.Channel;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * Reads the native fd, and the lock that guards its closing, out of JDK socket objects, with no
 * JVM flags: members are located with core reflection (no access needed) and read through JNI
 * ({@link JdkFields}). Where each JDK keeps them (17, 21, 25):
 * <ul>
 * <li>NIO channels (sun.nio.ch.SocketChannelImpl, ServerSocketChannelImpl, DatagramChannelImpl):
 *     {@code int fdVal} and {@code Object stateLock}; the fd is closed under stateLock.</li>
 * <li>Asynchronous channels (sun.nio.ch.AsynchronousSocketChannelImpl and the server variant):
 *     {@code FileDescriptor fd}; close() flips {@code open} under the write half of
 *     {@code ReadWriteLock closeLock} before closing the fd, and I/O holds the read half.</li>
 * </ul>
 */
public final class JdkSockets {
    private static final Field FILE_DESCRIPTOR_FD = declaredField(FileDescriptor.class, "fd");

    private JdkSockets() {
    }

    /** Thrown for objects the bridge cannot read an fd from; the caller turns it into a typed error. */
    public static final class UnknownSocketTypeException extends Exception {
        private static final long serialVersionUID = 1L;

        UnknownSocketTypeException(String message) {
            super(message);
        }
    }

    public static SocketTarget resolve(Object socket) throws UnknownSocketTypeException {
        Class<?> type = socket.getClass();
        String typeName = type.getSimpleName();
        if (socket instanceof Channel) {
            Channel channel = (Channel) socket;
            Field fdVal = findField(type, "fdVal", int.class);
            Field stateLock = findField(type, "stateLock", null);
            if (fdVal != null && stateLock != null) {
                int fd = JdkFields.readIntField(fdVal, socket);
                return guarded(fd, channel, JdkFields.readObjectField(stateLock, socket), typeName);
            }
            Field fdObject = findField(type, "fd", FileDescriptor.class);
            Field closeLock = findField(type, "closeLock", ReadWriteLock.class);
            if (fdObject != null && closeLock != null) {
                int fd = fdOf((FileDescriptor) JdkFields.readObjectField(fdObject, socket));
                ReadWriteLock rw = (ReadWriteLock) JdkFields.readObjectField(closeLock, socket);
                return SocketTarget.guardedByLock(fd, channel, rw.readLock(), typeName);
            }
        }
        throw new UnknownSocketTypeException("cannot read a socket fd from a " + type.getName()
                + "; supported: SocketChannel, ServerSocketChannel, DatagramChannel,"
                + " AsynchronousSocketChannel, AsynchronousServerSocketChannel from the JDK's default provider,"
                + " or a raw int fd");
    }

    private static SocketTarget guarded(int fd, Channel channel, Object lockObject, String typeName) {
        if (lockObject instanceof Lock) {
            return SocketTarget.guardedByLock(fd, channel, (Lock) lockObject, typeName);
        }
        return SocketTarget.guardedByMonitor(fd, channel, lockObject, typeName);
    }

    static int fdOf(FileDescriptor descriptor) {
        return descriptor == null ? -1 : JdkFields.readIntField(FILE_DESCRIPTOR_FD, descriptor);
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
