package org.sockoptbridge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

import org.sockoptbridge.internal.ProcFiles;

/**
 * The host's counters of connections lost before accept(), one snapshot of Linux's TcpExt
 * counters in /proc/net/netstat. Take one at start, another later, and {@link #since} gives what
 * happened in between. Absent counters (not Linux, a kernel that does not keep one, no /proc)
 * are unknown, never 0: a 0 would claim "nothing was dropped" where nobody counted.
 *
 * <p>The counters belong to the network namespace, not to a listener: every listener of the
 * namespace (and every process in it) adds to them. A delta says the host dropped connections,
 * the listener's own {@link AcceptQueue} says whether it was full.
 *
 * <p>Reading costs one read of /proc/net/netstat (about 85 us on the machine this was written on,
 * AcceptQueueBenchmark: the kernel formats every counter of the file each time, and the text is
 * parsed): poll it on a timer, not once per accept(). {@link SocketControl#acceptQueue()} costs
 * about 360 ns and belongs in the accept loop.
 */
public final class ListenCounters {
    /** The counters, in the order a report prints them. */
    public enum Counter {
        /**
         * A connection found the accept queue full: net/ipv4/tcp_input.c tcp_conn_request drops
         * the SYN when sk_acceptq_is_full(), and tcp_ipv4.c tcp_v4_syn_recv_sock drops the final
         * ACK (the connection stays half-open until the client or the SYN-ACK retransmits)
         * when it is full by then.
         */
        LISTEN_OVERFLOWS("ListenOverflows"),
        /**
         * Every SYN or final ACK a listener dropped, overflow or not (tcp_listendrop() in
         * include/net/tcp.h): at least ListenOverflows.
         */
        LISTEN_DROPS("ListenDrops"),
        /**
         * The SYN queue (request sockets, inet_csk_reqsk_queue_is_full: as long as the accept
         * queue's limit) was full and syncookies are off: tcp_syn_flood_action drops the SYN.
         */
        TCP_REQ_Q_FULL_DROP("TCPReqQFullDrop"),
        /** The SYN queue was full and the kernel answered with a syncookie instead (tcp_syn_flood_action). */
        TCP_REQ_Q_FULL_DO_COOKIES("TCPReqQFullDoCookies"),
        /** SYN-ACKs carrying a syncookie (tcp_conn_request, want_cookie): SYN flood, or net.ipv4.tcp_syncookies=2. */
        SYNCOOKIES_SENT("SyncookiesSent");

        private final String netstatName;

        Counter(String netstatName) {
            this.netstatName = netstatName;
        }

        /** {@return the name in /proc/net/netstat and in nstat/netstat -s output} */
        public String netstatName() {
            return netstatName;
        }
    }

    private static final Counter[] COUNTERS = Counter.values();
    private static final String[] NAMES = new String[COUNTERS.length];

    static {
        for (int i = 0; i < COUNTERS.length; i++) {
            NAMES[i] = COUNTERS[i].netstatName;
        }
    }

    private final long nanoTime;
    private final long[] values; // -1: unknown

    ListenCounters(long nanoTime, long[] values) { // package-private: tests build snapshots
        this.nanoTime = nanoTime;
        this.values = values;
    }

    /** {@return the counters now: since boot (or since the network namespace was made)} */
    public static ListenCounters read() {
        return new ListenCounters(System.nanoTime(), ProcFiles.tcpExtCounters(NAMES));
    }

    /**
     * One counter's value.
     *
     * @param counter the counter
     * @return its value, empty where the host does not keep it
     */
    public OptionalLong get(Counter counter) {
        long value = values[counter.ordinal()];
        return value < 0 ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /**
     * Whether the host keeps a counter.
     *
     * @param counter the counter
     * @return true where the host keeps it
     */
    public boolean isKnown(Counter counter) {
        return values[counter.ordinal()] >= 0;
    }

    /**
     * What changed since {@code earlier}: each counter's difference, unknown where either
     * snapshot lacks it, or where it went down (only a different namespace or host would do that).
     *
     * @param earlier a snapshot read before this one
     * @return the differences
     */
    public ListenCounters since(ListenCounters earlier) {
        long[] delta = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            long now = values[i];
            long then = earlier.values[i];
            delta[i] = now < 0 || then < 0 || now < then ? -1 : now - then;
        }
        return new ListenCounters(nanoTime, delta);
    }

    /**
     * {@return true when a connection was lost before accept()} That is: ListenOverflows,
     * ListenDrops or TCPReqQFullDrop rose, read on a delta ({@link #since}); false also where the
     * host keeps none of them: check {@link #isKnown}.
     */
    public boolean anyDropped() {
        return values[Counter.LISTEN_OVERFLOWS.ordinal()] > 0 || values[Counter.LISTEN_DROPS.ordinal()] > 0
                || values[Counter.TCP_REQ_Q_FULL_DROP.ordinal()] > 0;
    }

    /** {@return when this snapshot was read, on the System.nanoTime() clock} */
    public long nanoTime() {
        return nanoTime;
    }

    /** {@return netstat name to value, in {@link Counter} order; null for unknown (JSON's null)} */
    public Map<String, Long> asMap() {
        Map<String, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < COUNTERS.length; i++) {
            map.put(NAMES[i], values[i] < 0 ? null : values[i]);
        }
        return map;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < COUNTERS.length; i++) {
            text.append(i == 0 ? "" : " ").append(NAMES[i]).append('=').append(values[i] < 0 ? "unknown" : values[i]);
        }
        return text.toString();
    }
}
