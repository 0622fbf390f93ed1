package org.sockoptbridge;

/**
 * A live listener's accept queue: connections the kernel has completed that the application has
 * not accepted yet, and the limit beyond which new ones are dropped or refused ("TCP backlog
 * exceeded"; counted host-wide as TcpExt ListenOverflows in /proc/net/netstat). On Linux the
 * limit is min(backlog passed to listen(), net.core.somaxconn), read from TCP_INFO. The shim reads
 * FreeBSD's SO_LISTENQLEN / SO_LISTENQLIMIT the same way, for the day it is built there (FreeBSD
 * drops only past 3/2 of the limit); macOS offers no such read, so there
 * {@link SocketControl#acceptQueue()} says it is not available.
 *
 * <p>The kernel admits one more than the limit: include/net/sock.h sk_acceptq_is_full() is
 * {@code sk_ack_backlog > sk_max_ack_backlog}, so a backlog of 4 holds 5 connections before it
 * drops. {@link #isFull} and {@link #fillRatio} count from the limit the application asked for,
 * which is where a server should start shedding load. Reading it is one getsockopt(TCP_INFO),
 * cheap enough for every turn of an accept loop; host-wide drop counts are in
 * {@link ListenCounters}.
 *
 * @param length connections waiting for accept()
 * @param limit the effective backlog
 */
public record AcceptQueue(int length, int limit) {
    /** {@return true when the queue is full: new connections are being dropped right now} */
    public boolean isFull() {
        return length >= limit;
    }

    /**
     * {@return length / limit: 0 empty, 1 at the limit} It can exceed 1 by one connection (see
     * above). A server that sheds load at, say, 0.8 does so before the kernel starts to drop.
     */
    public double fillRatio() {
        return limit <= 0 ? (length > 0 ? Double.POSITIVE_INFINITY : 0) : (double) length / limit;
    }

    /** {@return connections the queue takes before {@link #isFull} (0 when full; the kernel admits one more)} */
    public int headroom() {
        return Math.max(0, limit - length);
    }
}
