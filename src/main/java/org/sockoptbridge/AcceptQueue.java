package org.sockoptbridge;

/**
 * A live listener's accept queue: connections the kernel has completed that the application has
 * not accepted yet, and the limit beyond which new ones are dropped or refused ("TCP backlog
 * exceeded"; counted host-wide as TcpExt ListenOverflows in /proc/net/netstat). On Linux the
 * limit is min(backlog passed to listen(), net.core.somaxconn).
 *
 * @param length connections waiting for accept()
 * @param limit the effective backlog
 */
public record AcceptQueue(int length, int limit) {
    /** True when the queue is full: new connections are being dropped right now. */
    public boolean isFull() {
        return length >= limit;
    }
}
