package org.sockoptbridge.internal;

import java.io.FileDescriptor;
import java.nio.channels.Channel;
import java.util.concurrent.locks.Lock;

/**
 * One socket's fd, together with what keeps that fd number from being closed and reused while the
 * bridge is in a system call on it: the JDK object's own close lock. JDK channels close their fd
 * only while holding that lock (sun.nio.ch.SocketChannelImpl.implCloseSelectableChannel takes
 * stateLock before nd.close), so "open" checked under the lock stays true until the call returns;
 * the JDK's own setOption relies on the same rule. java.net sockets (sun.nio.ch.NioSocketImpl)
 * also close under their stateLock, but flag themselves closed only afterwards, so for them
 * "open" means their FileDescriptor still holds the fd number (close clears it to -1 first).
 * A raw fd has no lock: its owner guarantees it.
 */
public final class SocketTarget {
    /** What {@link #call} returns when the socket was found closed before the system call. */
    public static final long CLOSED = Long.MIN_VALUE;

    /** A native call on an fd; implementations are non-capturing so no call allocates. */
    @FunctionalInterface
    public interface FdCall {
        long apply(NativeShim shim, int fd, int a, int b, int[] ids, int[] values);
    }

    private final int fd;
    private final Channel channel;
    private final FileDescriptor descriptor;
    private final Object monitor;
    private final Lock lock;
    private final Class<?> type;    // the JDK class that holds the fd; null for a raw fd
    private final Class<?> wrapper; // the java.net socket around a SocketImpl, or null
    // Built on first use: only error messages need it, and a server makes one SocketTarget per
    // connection. A racy first build is harmless (equal immutable strings).
    private String description;

    private SocketTarget(int fd, Channel channel, FileDescriptor descriptor, Object monitor, Lock lock,
                         Class<?> type, Class<?> wrapper) {
        this.fd = fd;
        this.channel = channel;
        this.descriptor = descriptor;
        this.monitor = monitor;
        this.lock = lock;
        this.type = type;
        this.wrapper = wrapper;
    }

    public static SocketTarget rawFd(int fd) {
        return new SocketTarget(fd, null, null, null, null, null, null);
    }

    static SocketTarget channelGuardedByMonitor(int fd, Channel channel, Object monitor) {
        return new SocketTarget(fd, channel, null, monitor, null, channel.getClass(), null);
    }

    static SocketTarget channelGuardedByLock(int fd, Channel channel, Lock lock) {
        return new SocketTarget(fd, channel, null, null, lock, channel.getClass(), null);
    }

    static SocketTarget descriptorGuardedByMonitor(int fd, FileDescriptor descriptor, Object monitor,
                                                   Class<?> impl, Class<?> socket) {
        return new SocketTarget(fd, null, descriptor, monitor, null, impl, socket);
    }

    public int fd() {
        return fd;
    }

    /** For messages: "SocketChannelImpl (fd 12)", "Socket/NioSocketImpl (fd 12)" or "fd 12". */
    public String description() {
        String text = description;
        if (text == null) {
            if (type == null) {
                text = "fd " + fd;
            } else {
                String name = wrapper == null ? type.getSimpleName()
                        : wrapper.getSimpleName() + "/" + type.getSimpleName();
                text = name + " (fd " + fd + ")";
            }
            description = text;
        }
        return text;
    }

    /** True unless the owning JDK object says it is closed (raw fds: always true). */
    public boolean isOpen() {
        if (channel != null) {
            return channel.isOpen();
        }
        return descriptor == null || JdkSockets.fdOf(descriptor) == fd;
    }

    /** Runs op on the fd while the owner cannot close it; {@link #CLOSED} if already closed. */
    public long call(NativeShim shim, FdCall op, int a, int b, int[] ids, int[] values) {
        if (monitor != null) {
            synchronized (monitor) {
                return isOpen() ? op.apply(shim, fd, a, b, ids, values) : CLOSED;
            }
        }
        if (lock != null) {
            lock.lock();
            try {
                return isOpen() ? op.apply(shim, fd, a, b, ids, values) : CLOSED;
            } finally {
                lock.unlock();
            }
        }
        return op.apply(shim, fd, a, b, ids, values);
    }
}
