package org.sockoptbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * SocketControl.tcpInfo() on loopback connections: the state follows the connection (the
 * peer's FIN makes it CLOSE_WAIT, which is where a read of -1 comes from), a fresh connection
 * has nothing retransmitted or probed, and the wrong socket gets a typed error. What the
 * counters say after the kernel drops a connection is proved in a network namespace by
 * KeepAliveDeadPeerTest (probes) and RetransmissionTimeoutTest (retransmissions).
 */
class TcpInfoTest {
    private static void assumeLinux() {
        assumeTrue(System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux"),
                "skipped: TCP_INFO counters are read on Linux only");
    }

    @Test
    void anOpenConnectionIsEstablishedWithNothingRetransmittedOrProbed() throws IOException {
        assumeLinux();
        HostCapabilities.assumeTcpInfoReported();
        SocketChannel[] pair = Sockets.connectedPair();
        try (SocketChannel client = pair[0]; SocketChannel accepted = pair[1]) {
            client.write(ByteBuffer.wrap(new byte[] {1}));
            assertEquals(1, accepted.read(ByteBuffer.allocate(1)));
            TcpInfo info = SocketControl.of(accepted).tcpInfo();
            assertEquals(TcpInfo.State.ESTABLISHED, info.state(), info.toString());
            assertEquals(0, info.retransmits(), info.toString());
            assertEquals(0, info.probes(), info.toString());
            assertEquals(0, info.totalRetransmits(), info.toString());
            assertTrue(info.sinceDataReceived().compareTo(Duration.ofSeconds(5)) < 0, "data arrived just now: " + info);
            assertTrue(info.sinceLastHeard().compareTo(info.sinceDataReceived()) <= 0, info.toString());
        }
    }

    @Test
    void thePeersFinLeavesTheConnectionInCloseWait() throws IOException {
        assumeLinux();
        HostCapabilities.assumeTcpInfoReported();
        SocketChannel[] pair = Sockets.connectedPair();
        try (SocketChannel client = pair[0]; SocketChannel accepted = pair[1]) {
            client.close();
            assertEquals(-1, accepted.read(ByteBuffer.allocate(1)));
            assertEquals(TcpInfo.State.CLOSE_WAIT, SocketControl.of(accepted).tcpInfo().state());
        }
    }

    @Test
    void aUdpSocketIsAWrongSocketTypeAndAClosedOneIsClosed() throws IOException {
        assumeLinux();
        try (DatagramChannel udp = DatagramChannel.open(StandardProtocolFamily.INET)) {
            WrongSocketTypeException e = assertThrows(WrongSocketTypeException.class, () -> SocketControl.of(udp).tcpInfo());
            assertTrue(e.getMessage().contains("UDP socket"), e.getMessage());
        }
        SocketChannel[] pair = Sockets.connectedPair();
        SocketControl control = SocketControl.of(pair[1]);
        pair[0].close();
        pair[1].close();
        assertThrows(SocketClosedException.class, control::tcpInfo);
    }

    @Test
    void statesAreLinuxsNumbers() {
        // include/net/tcp_states.h: TCP_ESTABLISHED = 1, TCP_CLOSE = 7, TCP_CLOSE_WAIT = 8, TCP_LISTEN = 10, TCP_NEW_SYN_RECV = 12.
        assertEquals(TcpInfo.State.ESTABLISHED, TcpInfo.State.ofLinux(1));
        assertEquals(TcpInfo.State.CLOSE, TcpInfo.State.ofLinux(7));
        assertEquals(TcpInfo.State.CLOSE_WAIT, TcpInfo.State.ofLinux(8));
        assertEquals(TcpInfo.State.LISTEN, TcpInfo.State.ofLinux(10));
        assertEquals(TcpInfo.State.NEW_SYN_RECV, TcpInfo.State.ofLinux(12));
        assertEquals(TcpInfo.State.UNKNOWN, TcpInfo.State.ofLinux(13));
        assertEquals(TcpInfo.State.UNKNOWN, TcpInfo.State.ofLinux(0));
    }
}
