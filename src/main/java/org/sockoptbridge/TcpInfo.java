package org.sockoptbridge;

import java.time.Duration;

/**
 * A TCP connection's state and its retransmission and probe counters, read live from the kernel
 * (Linux {@code TCP_INFO}): what tells, once a read has failed with "Connection timed out"
 * (ETIMEDOUT), which timer ended the connection. The kernel gives the same errno for all of them;
 * these counters differ:
 * <ul>
 * <li>keep-alive probes went unanswered: {@link #probes()} reached the connection's
 *     {@code TCP_KEEPCNT} and {@link #retransmits()} is 0 (net/ipv4/tcp_timer.c,
 *     {@code tcp_keepalive_timer});</li>
 * <li>sent data went unacknowledged: {@link #retransmits()} is above 0 ({@code tcp_write_timeout},
 *     which gives up after {@code net.ipv4.tcp_retries2}, about 15 minutes by default, or after
 *     {@code TCP_USER_TIMEOUT} where that is set);</li>
 * <li>{@code TCP_USER_TIMEOUT}, where set, also ends keep-alive probing when it expires, before
 *     the probe count is reached.</li>
 * </ul>
 * A connection the kernel dropped keeps these counters until the application closes the socket,
 * so read them before {@code close()}. The drop empties the send queue, so
 * {@link #unackedSegments()} reads 0 afterwards.
 *
 * <pre>{@code
 * } catch (IOException e) {                      // read() failed: "Connection timed out"
 *     TcpInfo info = SocketControl.of(channel).tcpInfo();
 *     boolean dataUnacknowledged = info.retransmits() > 0;
 *     channel.close();
 * }
 * }</pre>
 *
 * @param state the connection's state: {@link State#ESTABLISHED}, {@link State#CLOSE_WAIT} after
 *        the peer's FIN, {@link State#CLOSE} after the kernel dropped or reset it
 * @param retransmits retransmission timeouts in a row of the oldest unacknowledged segment
 *        ({@code tcpi_retransmits})
 * @param probes unanswered keep-alive probes, or zero-window probes while the peer's receive
 *        window is closed: the kernel counts both in one counter ({@code tcpi_probes})
 * @param unackedSegments segments sent and not yet acknowledged ({@code tcpi_unacked})
 * @param totalRetransmits segments retransmitted over the connection's life ({@code tcpi_total_retrans})
 * @param sinceDataReceived time since data last arrived ({@code tcpi_last_data_recv})
 * @param sinceAckReceived time since an acknowledgement last arrived ({@code tcpi_last_ack_recv};
 *        answered keep-alive probes count)
 */
public record TcpInfo(State state, int retransmits, int probes, long unackedSegments, long totalRetransmits,
                      Duration sinceDataReceived, Duration sinceAckReceived) {

    /** The kernel's TCP states, in the order of Linux's include/net/tcp_states.h (which numbers them from 1). */
    public enum State {
        /** Connected. */
        ESTABLISHED,
        /** connect() sent a SYN and waits for the answer. */
        SYN_SENT,
        /** A SYN was answered; the handshake's last ACK has not arrived. */
        SYN_RECV,
        /** This side closed first and waits for the peer's acknowledgement. */
        FIN_WAIT1,
        /** This side closed first; the peer acknowledged and has not closed yet. */
        FIN_WAIT2,
        /** Both closed; waiting out late segments. */
        TIME_WAIT,
        /** No connection: closed, or dropped by the kernel (timed out, reset). */
        CLOSE,
        /** The peer closed (its FIN arrived); this side has not. */
        CLOSE_WAIT,
        /** The peer closed, then this side; waiting for the last acknowledgement. */
        LAST_ACK,
        /** A listening socket. */
        LISTEN,
        /** Both sides closed at once. */
        CLOSING,
        /** A request socket (the kernel's own, never an application's). */
        NEW_SYN_RECV,
        /** A number this list does not know (a newer kernel). */
        UNKNOWN;

        /** The state for Linux's number (TCP_ESTABLISHED = 1 ... TCP_NEW_SYN_RECV = 12). */
        static State ofLinux(int number) {
            State[] states = values();
            return number >= 1 && number < states.length ? states[number - 1] : UNKNOWN;
        }
    }

    /** {@return the shorter of {@link #sinceDataReceived()} and {@link #sinceAckReceived()}: when the peer was last heard from} */
    public Duration sinceLastHeard() {
        return sinceDataReceived.compareTo(sinceAckReceived) <= 0 ? sinceDataReceived : sinceAckReceived;
    }
}
