package org.sockoptbridge;

import java.io.Closeable;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A closed socket is closed for the bridge too, for every JDK socket type: {@code of()} refuses
 * it, and a control made while it was open refuses every later call, even after a new socket
 * has taken its fd number (the kernel hands out the lowest free number, so the next socket
 * opened usually gets it).
 */
class ClosedSocketTest {
    private static JdkSocketKind.Peers peers;

    @BeforeAll
    static void listeners() throws Exception {
        peers = new JdkSocketKind.Peers();
    }

    @AfterAll
    static void closeListeners() throws Exception {
        peers.close();
    }

    @ParameterizedTest
    @EnumSource(JdkSocketKind.class)
    void aClosedSocketIsRefusedByOf(JdkSocketKind kind) throws Exception {
        Closeable socket = kind.open(peers);
        socket.close();
        assertThrows(SocketClosedException.class, () -> SocketControl.of(socket), kind.name());
    }

    @ParameterizedTest
    @EnumSource(JdkSocketKind.class)
    void aControlOutlivingItsSocketNeverReachesTheSocketThatReusedTheNumber(JdkSocketKind kind) throws Exception {
        Closeable socket = kind.open(peers);
        SocketControl control = SocketControl.of(socket);
        int number = control.fd();
        socket.close();
        List<SocketChannel> opened = new ArrayList<>();
        try {
            SocketChannel victim = openUntilNumberReused(number, opened);
            assertEquals(number, SocketControl.of(victim).fd(), "the test needs a socket on the freed number");

            assertThrows(SocketClosedException.class, () -> control.set(SockOpt.SO_REUSEPORT, true), kind.name());
            assertThrows(SocketClosedException.class, () -> control.set(SockOpt.TCP_KEEPIDLE, Duration.ofSeconds(4242)),
                    kind.name());
            assertThrows(SocketClosedException.class, () -> control.get(SockOpt.SO_RCVBUF), kind.name());
            assertThrows(SocketClosedException.class, () -> control.apply(OptionSettings.builder()
                    .set(SockOpt.SO_REUSEPORT, true).set(SockOpt.SO_SNDBUF, 4096).build()), kind.name());
            assertThrows(SocketClosedException.class, control::acceptQueue, kind.name());

            assertFalse(victim.getOption(StandardSocketOptions.SO_REUSEPORT), "victim's SO_REUSEPORT changed");
            assertFalse(victim.getOption(StandardSocketOptions.SO_KEEPALIVE), "victim's SO_KEEPALIVE changed");
        } finally {
            for (SocketChannel channel : opened) {
                channel.close();
            }
        }
    }

    /** Opens channels until one gets fd {@code number} (the first usually does). */
    private static SocketChannel openUntilNumberReused(int number, List<SocketChannel> opened) throws Exception {
        for (int i = 0; i < 16; i++) {
            SocketChannel channel = SocketChannel.open();
            opened.add(channel);
            if (SocketControl.of(channel).fd() == number) {
                return channel;
            }
        }
        return opened.get(0);
    }
}
