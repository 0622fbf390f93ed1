package org.sockoptbridge.internal;

import java.nio.channels.Channel;
import java.util.concurrent.locks.Lock;

import org.sockoptbridge.internal.JdkFields.JdkField;

/**
 * One socket's fd, together with what keeps that fd number from being closed and reused while the
 * bridge is in a system call on it: the JDK object's own close lock. JDK channels close their fd
 * only while holding that lock (sun.nio.ch.SocketChannelImpl.implCloseSelectableChannel takes
 * stateLock before nd.close), so "open" checked under the lock stays true until the call returns;
 * the JDK's own setOption relies on the same rule. java.net sockets (sun.nio.ch.NioSocketImpl)
 * close under their stateLock too, after setting their state to ST_CLOSING; their FileDescriptor
 * keeps the old number after close, so "open" is read from that state, under the same lock.
 * The target holds the JDK object itself: while it is reachable, the JDK's Cleaner (which closes
 * the fd of an unreachable socket without any lock) cannot run for it.
 * A raw fd has no lock: its owner guarantees it.
 */
public final class SocketTarget {
    /** What {@link #call} returns when the socket was found closed before the system call. */
    public static final long CLOSED = Long.MIN_VALUE;

    /** A native call on an fd; implementations are non-capturing so no call allocates. */
    @FunctionalInterface
    public interface FdCall {
        long apply(NativeBackend backend, int fd, int a, int b, int[] ids, int[] values);
    }

    private final int fd;
    private final Channel channel;   // a channel: open while isOpen()
    private final Object impl;       // a NioSocketImpl: open while its state is below closingState
    private final JdkField implState;
    private final int closingState;
    private final Object monitor;
    private final Lock lock;
    private final Class<?> type;    // the JDK class that holds the fd; null for a raw fd
    private final Class<?> wrapper; // the java.net socket around a SocketImpl, or null
    // Built on first use: only error messages need it, and a server makes one SocketTarget per
    // connection. A racy first build is harmless (equal immutable strings).
    private String description;

    private SocketTarget(int fd, Channel channel, Object impl, JdkField implState, int closingState, Object monitor,
                         Lock lock, Class<?> type, Class<?> wrapper) {
        this.fd = fd;
        this.channel = channel;
        this.impl = impl;
        this.implState = implState;
        this.closingState = closingState;
        this.monitor = monitor;
        this.lock = lock;
        this.type = type;
        this.wrapper = wrapper;
    }

    public static SocketTarget rawFd(int fd) {
        return new SocketTarget(fd, null, null, null, 0, null, null, null, null);
    }

    static SocketTarget channelGuardedByMonitor(int fd, Channel channel, Object monitor) {
        return new SocketTarget(fd, channel, null, null, 0, monitor, null, channel.getClass(), null);
    }

    static SocketTarget channelGuardedByLock(int fd, Channel channel, Lock lock) {
        return new SocketTarget(fd, channel, null, null, 0, null, lock, channel.getClass(), null);
    }

    static SocketTarget socketImplGuardedByMonitor(int fd, Object impl, Object monitor, JdkField state,
                                                   int closingState, Class<?> socket) {
        return new SocketTarget(fd, null, impl, state, closingState, monitor, null, impl.getClass(), socket);
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
        return impl == null || implState.readInt(impl) < closingState;
    }

    /** Runs op on the fd while the owner cannot close it; {@link #CLOSED} if already closed. */
    public long call(NativeBackend backend, FdCall op, int a, int b, int[] ids, int[] values) {
        if (monitor != null) {
            synchronized (monitor) {
                return isOpen() ? op.apply(backend, fd, a, b, ids, values) : CLOSED;
            }
        }
        if (lock != null) {
            lock.lock();
            try {
                return isOpen() ? op.apply(backend, fd, a, b, ids, values) : CLOSED;
            } finally {
                lock.unlock();
            }
        }
        return op.apply(backend, fd, a, b, ids, values);
    }
}
