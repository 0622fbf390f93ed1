package org.sockoptbridge;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sockoptbridge.junit.EnabledIfSocketOptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each mistake gets the typed error that names it, also while the socket is being closed. */
class ErrorClassificationTest {

    /**
     * The error is explained from the socket's kind; read after the close lock is released, that
     * kind could be another socket's (the number reused) or nobody's, and the message was generic
     * or wrong. Every failure here must be either "TCP option on a UDP socket" or "closed".
     */
    @Test
    @EnabledIfSocketOptions(OptionName.TCP_KEEPIDLE)
    void anErrorRacingWithCloseIsExplainedFromTheSameSocket() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, Integer> outcomes = new TreeMap<>();
        // Keeps reusing the numbers the test frees, with TCP sockets (a wrong explanation would call them TCP).
        Thread reopener = new Thread(() -> {
            try {
                while (!stop.get()) {
                    SocketChannel.open().close();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        reopener.start();
        long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        try {
            while (System.nanoTime() < end) {
                DatagramChannel udp = DatagramChannel.open(StandardProtocolFamily.INET);
                SocketControl control = SocketControl.of(udp);
                Thread closer = new Thread(() -> {
                    try {
                        udp.close();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                closer.start();
                for (int i = 0; i < 20; i++) {
                    String outcome;
                    try {
                        control.set(SockOpt.TCP_KEEPIDLE, Duration.ofSeconds(30));
                        outcome = "no error";
                    } catch (SocketClosedException e) {
                        outcome = "closed";
                    } catch (WrongSocketTypeException e) {
                        outcome = e.getMessage().contains("UDP socket") ? "wrong type: UDP" : "wrong type: " + e.getMessage();
                    } catch (SockoptException e) {
                        outcome = e.getClass().getSimpleName() + ": " + e.getMessage();
                    }
                    outcomes.merge(outcome, 1, Integer::sum);
                }
                closer.join();
            }
        } finally {
            stop.set(true);
            reopener.join();
        }
        System.out.println("set TCP_KEEPIDLE on a UDP socket racing its close: " + outcomes);
        assertTrue(outcomes.containsKey("closed"), "the race must have happened: " + outcomes);
        outcomes.remove("closed");
        outcomes.remove("wrong type: UDP");
        assertEquals(Map.of(), outcomes, "errors that describe another socket, or none");
    }

    @Test
    void theAcceptQueueOfAUdpOrUnixSocketIsAWrongSocketType(@TempDir Path dir) throws IOException {
        try (DatagramChannel udp = DatagramChannel.open(StandardProtocolFamily.INET);
             SocketChannel unix = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            WrongSocketTypeException e = assertThrows(WrongSocketTypeException.class, () -> SocketControl.of(udp).acceptQueue());
            assertTrue(e.getMessage().contains("UDP socket"), e.getMessage());
            unix.bind(UnixDomainSocketAddress.of(dir.resolve("s")));
            e = assertThrows(WrongSocketTypeException.class, () -> SocketControl.of(unix).acceptQueue());
            assertTrue(e.getMessage().contains("a bound Unix-domain stream socket"), e.getMessage());
        }
    }

    @Test
    void reusePortOnAUnixSocketIsAWrongSocketTypeAndLeavesItAlone() throws IOException {
        try (SocketChannel unix = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            WrongSocketTypeException e = assertThrows(WrongSocketTypeException.class,
                    () -> SocketControl.of(unix).set(SockOpt.SO_REUSEPORT, true));
            assertTrue(e.getMessage().contains("SO_REUSEPORT=true"), e.getMessage());
            assertTrue(e.getMessage().contains("an unbound Unix-domain stream socket"), e.getMessage());
        }
    }

    @Test
    @EnabledIfSocketOptions({OptionName.TCP_KEEPIDLE, OptionName.SO_REUSEPORT})
    void oneMistakeGivesOneErrorWhetherSetOrApplied() throws IOException {
        try (DatagramChannel udp = DatagramChannel.open(StandardProtocolFamily.INET)) {
            SocketControl control = SocketControl.of(udp);
            SockoptException bySet = assertThrows(SockoptException.class,
                    () -> control.set(SockOpt.TCP_KEEPIDLE, Duration.ofSeconds(30)));
            SockoptException byApply = assertThrows(SockoptException.class, () -> control.apply(
                    OptionSettings.builder().set(SockOpt.SO_REUSEPORT, true).set(SockOpt.TCP_KEEPIDLE, Duration.ofSeconds(30)).build()));
            assertEquals(bySet.getClass(), byApply.getClass());
            assertEquals(bySet.errnoName(), byApply.errnoName());
            assertEquals(bySet.getMessage(), byApply.getMessage());
            assertFalse(udp.getOption(java.net.StandardSocketOptions.SO_REUSEPORT), "the batch was not undone");
        }
    }

    @Test
    void aClosedSocketThatNeverConnectedIsClosedNotUnconnected() throws IOException {
        Socket never = new Socket();
        never.close();
        assertThrows(SocketClosedException.class, () -> SocketControl.of(never));
        java.net.ServerSocket neverBound = new java.net.ServerSocket();
        neverBound.close();
        assertThrows(SocketClosedException.class, () -> SocketControl.of(neverBound));
    }

    @Test
    @EnabledIfSocketOptions(OptionName.TCP_KEEPIDLE)
    void aBoundUnixSocketIsDescribedAsBound(@TempDir Path dir) throws IOException {
        try (SocketChannel unix = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            unix.bind(UnixDomainSocketAddress.of(dir.resolve("s")));
            WrongSocketTypeException e = assertThrows(WrongSocketTypeException.class,
                    () -> SocketControl.of(unix).set(SockOpt.TCP_KEEPIDLE, Duration.ofSeconds(30)));
            assertTrue(e.getMessage().contains("is a bound Unix-domain stream socket"), e.getMessage());
        }
    }

    @Test
    void capabilitiesOfNullIsRefused() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> SockoptBridge.capabilities().of(null));
        assertEquals("option", e.getMessage());
    }

    @Test
    @SuppressWarnings({"rawtypes", "unchecked"})
    void aValueOfTheWrongTypeThroughARawKeyIsAnInvalidValueNotAClassCast() throws IOException {
        try (SocketChannel channel = SocketChannel.open()) {
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketControl control = SocketControl.of(channel);
            SockOpt raw = SockOpt.SO_RCVBUF;
            InvalidOptionValueException e = assertThrows(InvalidOptionValueException.class,
                    () -> control.set(raw, Duration.ofSeconds(5)));
            assertTrue(e.getMessage().contains("takes Integer values, not java.time.Duration"), e.getMessage());
            assertThrows(InvalidOptionValueException.class,
                    () -> OptionSettings.builder().set(raw, "big").build());
        }
    }
}
