package org.sockoptbridge.cli;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.sockoptbridge.OptionName;
import org.sockoptbridge.SockOpt;
import org.sockoptbridge.SocketControl;
import org.sockoptbridge.SockoptBridge;
import org.sockoptbridge.SockoptException;
import org.sockoptbridge.TcpInfo;

/**
 * Why a held connection ended, as far as the kernel lets anyone tell. A read returning -1 is the
 * peer's FIN; "Connection reset" its RST. A kernel drop reads as ETIMEDOUT whichever timer did
 * it (or as the last ICMP error it saw, such as "No route to host": net/ipv4/tcp_timer.c
 * tcp_write_err reports sk_err_soft when there is one); what tells the timers apart is TCP_INFO,
 * which the dropped connection keeps until it is closed ({@link TcpInfo}), together with what
 * was set on the socket. Where that does not decide it, the reason says so ({@code timed-out})
 * rather than guess.
 *
 * @param reason a stable code: peer-closed, reset, keepalive, user-timeout, retransmission,
 *        timed-out, duration, error
 * @param detail the same for people, with the numbers it was decided from
 * @param error the IOException's message, or null
 * @param tcpInfo the kernel's counters just before close, or null where the platform has none
 */
record ConnectionEnd(String reason, String detail, String error, TcpInfo tcpInfo) {
    static final String PEER_CLOSED = "peer-closed";
    static final String RESET = "reset";
    static final String KEEPALIVE = "keepalive";
    static final String USER_TIMEOUT = "user-timeout";
    static final String RETRANSMISSION = "retransmission";
    static final String TIMED_OUT = "timed-out";
    static final String DURATION = "duration";
    static final String ERROR = "error";

    /**
     * What the connection's socket held when it was made, read back from the kernel: whether
     * keep-alive was on, its probe count, and TCP_USER_TIMEOUT (zero: off; null: unknown).
     */
    record Setup(boolean keepAlive, int keepAliveCount, Duration userTimeout) {
        static Setup read(SocketChannel channel, SocketControl control) throws IOException {
            boolean keepAlive = channel.getOption(StandardSocketOptions.SO_KEEPALIVE);
            int count = SockoptBridge.capabilities().isSupported(OptionName.TCP_KEEPCNT)
                    ? control.get(SockOpt.TCP_KEEPCNT) : 0;
            // Where the platform has no TCP_USER_TIMEOUT nothing can have set one: unknown (null)
            // would only hide that, so it reads as off.
            Duration userTimeout = SockoptBridge.capabilities().isSupported(OptionName.TCP_USER_TIMEOUT)
                    ? control.get(SockOpt.TCP_USER_TIMEOUT) : Duration.ZERO;
            return new Setup(keepAlive, count, userTimeout);
        }
    }

    static ConnectionEnd peerClosed(TcpInfo info) {
        return new ConnectionEnd(PEER_CLOSED, "the peer closed the connection (FIN)", null, info);
    }

    static ConnectionEnd durationEnded(TcpInfo info) {
        return new ConnectionEnd(DURATION, "--duration ended; closed here", null, info);
    }

    /**
     * A read or write that failed. {@code sendBlocked}: data was waiting to be written because the
     * send buffer was full, so the timer that ran was the retransmission or zero-window probe timer,
     * never keep-alive (tcp_keepalive_timer does nothing while data is in flight or queued).
     */
    static ConnectionEnd failed(IOException failure, TcpInfo info, Setup setup, boolean sendBlocked) {
        String error = String.valueOf(failure.getMessage());
        // The JDK throws sun.net.ConnectionResetException("Connection reset") for ECONNRESET on a
        // channel read (SocketDispatcher), whatever the locale; a write gets a plain IOException
        // with strerror's text, "Connection reset by peer".
        boolean reset = error.contains("Connection reset");
        if (reset) {
            String during = info != null && setup.keepAlive() && !sendBlocked && info.retransmits() == 0
                    && info.probes() > 0 ? " while " + probes(info.probes(), "keep-alive") + " went unanswered" : "";
            return new ConnectionEnd(RESET, "the peer reset the connection (RST)" + during, error, info);
        }
        boolean timedOut = error.contains("timed out"); // strerror(ETIMEDOUT): "Connection timed out"
        boolean timerFired = info != null && info.state() == TcpInfo.State.CLOSE
                && (info.retransmits() > 0 || info.probes() > 0);
        if (!timedOut && !timerFired) {
            return new ConnectionEnd(ERROR, error, error, info);
        }
        Duration userTimeout = setup.userTimeout();
        if (info == null) {
            return new ConnectionEnd(TIMED_OUT, "timed out (keep-alive probes or user timeout; this platform "
                    + "does not report the TCP_INFO counters that would tell)", error, info);
        }
        if (info.retransmits() > 0) {
            String what = "sent data went unacknowledged through " + info.retransmits() + " retransmission"
                    + (info.retransmits() == 1 ? "" : "s");
            if (userTimeout == null) {
                return new ConnectionEnd(TIMED_OUT, what + " (the limit was net.ipv4.tcp_retries2 or a user timeout)",
                        error, info);
            }
            if (!userTimeout.isZero()) {
                return new ConnectionEnd(USER_TIMEOUT, "TCP_USER_TIMEOUT " + userTimeout.toMillis() + " ms passed: "
                        + what, error, info);
            }
            return new ConnectionEnd(RETRANSMISSION, what + " (the limit is net.ipv4.tcp_retries2)", error, info);
        }
        if (info.probes() > 0 && (sendBlocked || !setup.keepAlive())) {
            return new ConnectionEnd(TIMED_OUT, probes(info.probes(), "zero-window") + " went unanswered: the peer's "
                    + "receive window was closed (the limit was net.ipv4.tcp_retries2 or a user timeout)", error, info);
        }
        if (info.probes() > 0) {
            String what = probes(info.probes(), "keep-alive") + " went unanswered";
            if (userTimeout == null) {
                return new ConnectionEnd(TIMED_OUT, "timed out (keep-alive probes or user timeout): " + what, error,
                        info);
            }
            if (!userTimeout.isZero()) {
                // With a user timeout set, tcp_keepalive_timer ignores the probe count and drops the
                // connection once the user timeout has passed with a probe unanswered.
                return new ConnectionEnd(USER_TIMEOUT, "TCP_USER_TIMEOUT " + userTimeout.toMillis() + " ms passed while "
                        + what + " (TCP_KEEPCNT=" + setup.keepAliveCount() + ")", error, info);
            }
            if (info.probes() >= setup.keepAliveCount()) {
                return new ConnectionEnd(KEEPALIVE, what + " (TCP_KEEPCNT=" + setup.keepAliveCount() + ")", error, info);
            }
            return new ConnectionEnd(TIMED_OUT, what + ", fewer than TCP_KEEPCNT=" + setup.keepAliveCount()
                    + " (a user timeout set outside this tool?)", error, info);
        }
        return new ConnectionEnd(TIMED_OUT, "timed out (keep-alive probes or user timeout)", error, info);
    }

    private static String probes(int count, String kind) {
        return count + " " + kind + " probe" + (count == 1 ? "" : "s");
    }

    /** The kernel's counters, or null where the platform does not report them (or the socket is gone). */
    static TcpInfo tcpInfo(SocketControl control) {
        if (control == null) {
            return null;
        }
        try {
            return control.tcpInfo();
        } catch (SockoptException e) {
            return null;
        }
    }

    /** The JSON line's fields after event, peer and local: how long, why, and the counters. */
    Map<String, Object> fields(double seconds, long bytesIn, long bytesOut) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("seconds", seconds);
        line.put("reason", reason);
        line.put("detail", detail);
        line.put("error", error);
        line.put("bytesIn", bytesIn);
        line.put("bytesOut", bytesOut);
        if (tcpInfo == null) {
            line.put("tcpInfo", null);
        } else {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("state", tcpInfo.state().name());
            info.put("retransmits", tcpInfo.retransmits());
            info.put("probes", tcpInfo.probes());
            info.put("unackedSegments", tcpInfo.unackedSegments());
            info.put("totalRetransmits", tcpInfo.totalRetransmits());
            info.put("lastHeardMillis", tcpInfo.sinceLastHeard().toMillis());
            line.put("tcpInfo", info);
        }
        return line;
    }

    /** "after 5.08s: keepalive: 3 keep-alive probes went unanswered (TCP_KEEPCNT=3) [Connection timed out] ..." */
    String text(double seconds, long bytesIn, long bytesOut) {
        StringBuilder text = new StringBuilder(String.format("after %.2fs: %s: %s", seconds, reason, detail));
        if (error != null && !error.equals(detail)) {
            text.append(" [").append(error).append(']');
        }
        if (tcpInfo != null && !reason.equals(DURATION)) {
            text.append(String.format("; last heard from %.2fs before", tcpInfo.sinceLastHeard().toMillis() / 1000.0));
        }
        return text.append("; ").append(bytesIn).append(" bytes in, ").append(bytesOut).append(" out").toString();
    }
}
