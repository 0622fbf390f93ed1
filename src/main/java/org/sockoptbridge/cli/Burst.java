package org.sockoptbridge.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bounded burst of TCP connections from one thread: every connect is non-blocking and started
 * as soon as the previous one is on its way, so the listener sees them as fast as the loopback
 * (or the path) delivers them. Each connection ends in exactly one outcome:
 * <ul>
 * <li>accepted: the handshake completed and the server then sent something or closed (the
 *     {@code listen} command answers every client it accepts with a line);</li>
 * <li>unanswered: the handshake completed but nothing came back before the deadline. On Linux a
 *     client's connect() completes as soon as its ACK leaves; if the accept queue was full then,
 *     tcp_v4_syn_recv_sock (net/ipv4/tcp_ipv4.c) drops that ACK and the server does not have the
 *     connection at all, only a request socket that retransmits its SYN-ACK. Also a server that
 *     never writes, or one that is slow to accept;</li>
 * <li>refused (RST to the SYN: nothing listens, or tcp_abort_on_overflow), reset (RST later);</li>
 * <li>timed out: no handshake before the deadline. A full accept queue drops the SYN
 *     (tcp_conn_request, net/ipv4/tcp_input.c) without a word; the client retransmits it after
 *     1, 3, 7 .. seconds (TCP_TIMEOUT_INIT, doubling), which is also why connect times of a
 *     burst that overflowed cluster at about 1 s and 3 s;</li>
 * <li>error: anything else (such as running out of file descriptors), by message.</li>
 * </ul>
 */
final class Burst {
    /** The most connections one burst makes: a load source for a test, not a load generator. */
    static final int MAX_CONNECTIONS = 100_000;

    record Result(int requested, int connected, int accepted, int unanswered, int refused, int reset, int timedOut,
                  Map<String, Integer> errors, long[] connectNanos, long elapsedNanos) {
        /** The connect time at the given percentile (nearest rank), in nanoseconds; -1 if none connected. */
        long percentileNanos(double percentile) {
            if (connectNanos.length == 0) {
                return -1;
            }
            int rank = (int) Math.ceil(percentile / 100.0 * connectNanos.length);
            return connectNanos[Math.max(0, Math.min(connectNanos.length - 1, rank - 1))];
        }
    }

    private static final class Connection {
        final SocketChannel channel;
        final long startNanos;
        boolean connected;
        boolean done;

        Connection(SocketChannel channel, long startNanos) {
            this.channel = channel;
            this.startNanos = startNanos;
        }
    }

    private final List<Connection> open = new ArrayList<>();
    private final Map<String, Integer> errors = new TreeMap<>();
    private final long[] connectNanos;
    private int connectedCount;
    private int accepted;
    private int refused;
    private int reset;
    private int kernelTimedOut;
    private int pending; // started, no outcome yet
    private final ByteBuffer scratch = ByteBuffer.allocate(512);

    private Burst(int count) {
        connectNanos = new long[count];
    }

    /**
     * Opens {@code count} connections to {@code target}, then waits until each has an outcome
     * or {@code timeout} has passed since the first connect; closes them all before returning.
     */
    static Result run(InetSocketAddress target, int count, Duration timeout) throws IOException {
        if (count < 1 || count > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("count must be 1.." + MAX_CONNECTIONS + ": " + count);
        }
        return new Burst(count).burst(target, count, timeout.toNanos());
    }

    private Result burst(InetSocketAddress target, int count, long timeoutNanos) throws IOException {
        long start = System.nanoTime();
        int started = 0;
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < count && System.nanoTime() - start < timeoutNanos; i++) {
                SocketChannel channel;
                try {
                    channel = SocketChannel.open();
                } catch (IOException e) {
                    error(e);
                    break; // most likely out of file descriptors: more attempts fail the same way
                }
                Connection connection = new Connection(channel, System.nanoTime());
                started++;
                pending++;
                open.add(connection);
                try {
                    channel.configureBlocking(false);
                    if (channel.connect(target)) {
                        connected(connection, selector);
                    } else {
                        channel.register(selector, SelectionKey.OP_CONNECT, connection);
                    }
                } catch (IOException e) {
                    failed(connection, e);
                }
                handle(selector, 0);
            }
            // Not selector.keys(): a closed channel's key leaves that set only at the next select.
            while (pending > 0) {
                long remaining = timeoutNanos - (System.nanoTime() - start);
                if (remaining <= 0) {
                    break;
                }
                handle(selector, Math.max(1, remaining / 1_000_000));
            }
        }
        long elapsed = System.nanoTime() - start;
        int timedOut = kernelTimedOut; // ETIMEDOUT: the kernel gave up on its SYN retransmissions first
        int unanswered = 0;
        for (Connection connection : open) {
            if (!connection.done) {
                if (connection.connected) {
                    unanswered++;
                } else {
                    timedOut++;
                }
                close(connection);
            }
        }
        timedOut += count - started; // never started: the deadline came first
        long[] times = Arrays.copyOf(connectNanos, connectedCount);
        Arrays.sort(times);
        return new Result(count, connectedCount, accepted, unanswered, refused, reset, timedOut, errors, times, elapsed);
    }

    /** One round of the selector: zero waits not at all. */
    private void handle(Selector selector, long waitMillis) throws IOException {
        int ready = waitMillis == 0 ? selector.selectNow() : selector.select(waitMillis);
        if (ready == 0) {
            return;
        }
        for (SelectionKey key : selector.selectedKeys()) {
            Connection connection = (Connection) key.attachment();
            try {
                if (key.isConnectable()) {
                    if (connection.channel.finishConnect()) {
                        connected(connection, selector);
                    }
                } else if (key.isReadable()) {
                    scratch.clear();
                    if (connection.channel.read(scratch) != 0) { // bytes, or -1: the server closed
                        accepted++;
                        close(connection);
                    }
                }
            } catch (IOException e) {
                failed(connection, e);
            }
        }
        selector.selectedKeys().clear();
    }

    private void connected(Connection connection, Selector selector) throws IOException {
        connection.connected = true;
        connectNanos[connectedCount++] = System.nanoTime() - connection.startNanos;
        connection.channel.register(selector, SelectionKey.OP_READ, connection);
    }

    private void failed(Connection connection, IOException e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof ConnectException && message.contains("refused")) {
            refused++;
        } else if (e instanceof SocketException && message.contains("reset")) {
            reset++;
        } else if (message.contains("timed out")) {
            kernelTimedOut++;
        } else {
            error(e);
        }
        close(connection);
    }

    private void error(IOException e) {
        errors.merge(e.getClass().getSimpleName() + ": " + e.getMessage(), 1, Integer::sum);
    }

    private void close(Connection connection) {
        if (!connection.done) {
            connection.done = true;
            pending--;
        }
        try {
            connection.channel.close();
        } catch (IOException e) {
            // closing a socket that failed: nothing left to report
        }
    }

    /** Milliseconds with two decimals, as the reports print connect times. */
    static double millis(long nanos) {
        return nanos < 0 ? -1 : Math.round(nanos / 10_000.0) / 100.0;
    }
}
