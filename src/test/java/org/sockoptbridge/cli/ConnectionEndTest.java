package org.sockoptbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.sockoptbridge.TcpInfo;

/**
 * How a failed read is told apart, from the counters Linux left on dropped connections. The
 * counters below are the ones read on Linux 6.18 in network namespaces (KeepAliveCliIT and
 * RetransmissionTimeoutTest produce them from real drops): a keep-alive drop leaves 3 probes and
 * no retransmission; unacknowledged data, 4 retransmissions and no probe; a user timeout of 2.5 s
 * during keep-alive 2,1,3, one probe. The branches that need TCP_USER_TIMEOUT set cannot be
 * produced through this build (it cannot set the option), so they are checked here only.
 */
class ConnectionEndTest {
    private static final IOException TIMED_OUT = new IOException("Connection timed out");
    private static final ConnectionEnd.Setup KEEPALIVE_3 = new ConnectionEnd.Setup(true, 3, Duration.ZERO);

    private static TcpInfo dropped(int retransmits, int probes) {
        return new TcpInfo(TcpInfo.State.CLOSE, retransmits, probes, 0, retransmits == 0 ? 0 : retransmits + 1,
                Duration.ofMillis(5084), Duration.ofMillis(5084));
    }

    @Test
    void probesAtTheCountWithoutRetransmissionsAreAKeepAliveDrop() {
        ConnectionEnd end = ConnectionEnd.failed(TIMED_OUT, dropped(0, 3), KEEPALIVE_3, false);
        assertEquals(ConnectionEnd.KEEPALIVE, end.reason());
        assertEquals("3 keep-alive probes went unanswered (TCP_KEEPCNT=3)", end.detail());
        assertEquals("Connection timed out", end.error());
    }

    @Test
    void retransmissionsAreUnacknowledgedDataWhateverKeepAliveSays() {
        ConnectionEnd end = ConnectionEnd.failed(TIMED_OUT, dropped(4, 0), KEEPALIVE_3, false);
        assertEquals(ConnectionEnd.RETRANSMISSION, end.reason());
        assertTrue(end.detail().contains("4 retransmissions") && end.detail().contains("tcp_retries2"), end.detail());
    }

    @Test
    void aUserTimeoutIsNamedOnlyWhereItWasSet() {
        ConnectionEnd.Setup withUserTimeout = new ConnectionEnd.Setup(true, 3, Duration.ofMillis(2500));
        ConnectionEnd duringProbes = ConnectionEnd.failed(TIMED_OUT, dropped(0, 1), withUserTimeout, false);
        assertEquals(ConnectionEnd.USER_TIMEOUT, duringProbes.reason());
        assertTrue(duringProbes.detail().startsWith("TCP_USER_TIMEOUT 2500 ms passed while 1 keep-alive probe"),
                duringProbes.detail());
        assertEquals(ConnectionEnd.USER_TIMEOUT,
                ConnectionEnd.failed(TIMED_OUT, dropped(4, 0), withUserTimeout, false).reason());
        // Fewer probes than the count with no user timeout set here: something this tool did not
        // set ended it; said so, not guessed.
        ConnectionEnd unexplained = ConnectionEnd.failed(TIMED_OUT, dropped(0, 1), KEEPALIVE_3, false);
        assertEquals(ConnectionEnd.TIMED_OUT, unexplained.reason());
    }

    @Test
    void whereTheSetupOrTheCountersAreUnknownItSaysTimedOutWithoutChoosing() {
        ConnectionEnd.Setup unknownUserTimeout = new ConnectionEnd.Setup(true, 3, null);
        ConnectionEnd probes = ConnectionEnd.failed(TIMED_OUT, dropped(0, 3), unknownUserTimeout, false);
        assertEquals(ConnectionEnd.TIMED_OUT, probes.reason());
        assertTrue(probes.detail().startsWith("timed out (keep-alive probes or user timeout)"), probes.detail());
        ConnectionEnd noCounters = ConnectionEnd.failed(TIMED_OUT, null, KEEPALIVE_3, false);
        assertEquals(ConnectionEnd.TIMED_OUT, noCounters.reason());
        assertTrue(noCounters.detail().startsWith("timed out (keep-alive probes or user timeout"), noCounters.detail());
    }

    /** Probes while data waited to be sent, or with keep-alive off, are zero-window probes. */
    @Test
    void probesWhileSendingWasBlockedAreNotKeepAlive() {
        assertEquals(ConnectionEnd.TIMED_OUT, ConnectionEnd.failed(TIMED_OUT, dropped(0, 3), KEEPALIVE_3, true).reason());
        ConnectionEnd.Setup keepAliveOff = new ConnectionEnd.Setup(false, 9, Duration.ZERO);
        ConnectionEnd end = ConnectionEnd.failed(TIMED_OUT, dropped(0, 9), keepAliveOff, false);
        assertEquals(ConnectionEnd.TIMED_OUT, end.reason());
        assertTrue(end.detail().contains("zero-window"), end.detail());
    }

    @Test
    void resetsAndOtherErrors() {
        ConnectionEnd reset = ConnectionEnd.failed(new SocketException("Connection reset"),
                new TcpInfo(TcpInfo.State.CLOSE, 0, 1, 0, 0, Duration.ZERO, Duration.ZERO), KEEPALIVE_3, false);
        assertEquals(ConnectionEnd.RESET, reset.reason());
        assertEquals("the peer reset the connection (RST) while 1 keep-alive probe went unanswered", reset.detail());
        ConnectionEnd onWrite = ConnectionEnd.failed(new IOException("Connection reset by peer"),
                new TcpInfo(TcpInfo.State.CLOSE, 0, 0, 0, 0, Duration.ZERO, Duration.ZERO), KEEPALIVE_3, true);
        assertEquals(ConnectionEnd.RESET, onWrite.reason(), "a write's ECONNRESET is a plain IOException");
        ConnectionEnd unreachable = ConnectionEnd.failed(new IOException("No route to host"),
                new TcpInfo(TcpInfo.State.ESTABLISHED, 0, 0, 0, 0, Duration.ZERO, Duration.ZERO), KEEPALIVE_3, false);
        assertEquals(ConnectionEnd.ERROR, unreachable.reason());
        assertEquals("No route to host", unreachable.detail());
        // The last ICMP error the kernel saw replaces ETIMEDOUT (tcp_write_err): the counters still tell the timer.
        ConnectionEnd icmp = ConnectionEnd.failed(new IOException("No route to host"), dropped(0, 3), KEEPALIVE_3, false);
        assertEquals(ConnectionEnd.KEEPALIVE, icmp.reason());
        assertEquals("No route to host", icmp.error());
    }
}
