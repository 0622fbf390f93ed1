package org.sockoptbridge;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sockoptbridge.junit.EnabledIfSocketOptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each kind of bad input gets its own typed error, a message that says enough, and an unchanged socket. */
class BadInputTest {
    private static final String PLATFORM = org.sockoptbridge.internal.Platform.current().osArch();

    @Test
    void closedChannelIsRefusedAsClosed() throws IOException {
        SocketChannel channel = SocketChannel.open();
        SocketControl control = SocketControl.of(channel);
        channel.close();
        SocketClosedException e = assertThrows(SocketClosedException.class,
                () -> control.set(SockOpt.TCP_KEEPIDLE, Duration.ofSeconds(30)));
        assertMessageNames(e, "TCP_KEEPIDLE=30s", "closed");
        assertThrows(SocketClosedException.class, () -> SocketControl.of(channel));
    }

    @Test
    void fdMinusOneIsRefusedAsNotOpen() {
        SocketClosedException e = assertThrows(SocketClosedException.class,
                () -> SocketControl.ofFd(-1).set(SockOpt.SO_RCVBUF, 4096));
        assertMessageNames(e, "SO_RCVBUF=4096", "EBADF", "fd -1");
        assertEquals("EBADF", e.errnoName());
    }

    @Test
    void regularFileFdIsRefusedAsNotASocket(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-socket"), "x");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            int fd = SocketControl.of(raf.getChannel()).fd();
            throw new AssertionError("a FileChannel must not be accepted as a socket, got fd " + fd);
        } catch (WrongSocketTypeException expected) {
            assertMessageNames(expected, "FileChannelImpl");
        }
        {
            int fileFd = openFileFd(file);
            try {
                WrongSocketTypeException e = assertThrows(WrongSocketTypeException.class,
                        () -> SocketControl.ofFd(fileFd).set(SockOpt.SO_RCVBUF, 4096));
                assertMessageNames(e, "SO_RCVBUF=4096", "ENOTSOCK", "not a socket", "regular file");
            } finally {
                closeFd(fileFd);
            }
        }
    }

    @Test
    void tcpOptionOnUdpSocketIsAWrongSocketTypeAndChangesNothing() throws IOException {
        try (DatagramChannel udp = DatagramChannel.open(StandardProtocolFamily.INET)) {
            SocketControl control = SocketControl.of(udp);
            WrongSocketTypeException e = assertThrows(WrongSocketTypeException.class,
                    () -> control.set(SockOpt.TCP_KEEPIDLE, Duration.ofSeconds(30)));
            assertMessageNames(e, "TCP_KEEPIDLE=30s", "TCP sockets only", "UDP", "ENOPROTOOPT");
            // That SO_KEEPALIVE stays off is checked in C (native/test/test_shim.c): the JDK
            // offers no SO_KEEPALIVE on a DatagramChannel to read it with.
            assertEquals("ENOPROTOOPT", e.errnoName());
        }
    }

    @Test
    @EnabledIfSocketOptions(OptionName.IPV6_V6ONLY) // where it is unsupported, that is reported first
    void ipv6OptionOnIpv4SocketIsAWrongSocketType() throws IOException {
        try (SocketChannel v4 = SocketChannel.open(StandardProtocolFamily.INET)) {
            WrongSocketTypeException e = assertThrows(WrongSocketTypeException.class,
                    () -> SocketControl.of(v4).set(SockOpt.IPV6_V6ONLY, true));
            assertMessageNames(e, "IPV6_V6ONLY=true", "IPv6 sockets only", "IPv4");
        }
    }

    @Test
    void keepAliveValuesOutsideThePlatformRangeAreRefusedBeforeTheKernel() throws IOException {
        try (SocketChannel channel = SocketChannel.open()) {
            SocketControl control = SocketControl.of(channel);
            Duration idleBefore = control.get(SockOpt.TCP_KEEPIDLE);
            int countBefore = control.get(SockOpt.TCP_KEEPCNT);
            for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofSeconds(-5), Duration.ofSeconds(40_000)}) {
                InvalidOptionValueException e = assertThrows(InvalidOptionValueException.class,
                        () -> control.set(SockOpt.TCP_KEEPIDLE, bad));
                assertMessageNames(e, "TCP_KEEPIDLE", "out of range", "seconds");
                assertEquals(0, e.errno(), "refused before any system call");
            }
            for (int bad : new int[] {0, -1, 128}) {
                assertThrows(InvalidOptionValueException.class, () -> control.set(SockOpt.TCP_KEEPCNT, bad));
            }
            InvalidOptionValueException fraction = assertThrows(InvalidOptionValueException.class,
                    () -> control.set(SockOpt.TCP_KEEPINTVL, Duration.ofMillis(1500)));
            assertMessageNames(fraction, "whole seconds");
            assertEquals(idleBefore, control.get(SockOpt.TCP_KEEPIDLE));
            assertEquals(countBefore, control.get(SockOpt.TCP_KEEPCNT));
            assertFalse(channel.getOption(java.net.StandardSocketOptions.SO_KEEPALIVE));
        }
    }

    @Test
    @EnabledIfSocketOptions(OptionName.TCP_USER_TIMEOUT)
    void userTimeoutsTheKernelCannotHoldAreRefusedBeforeTheKernel() throws IOException {
        try (SocketChannel channel = SocketChannel.open()) {
            SocketControl control = SocketControl.of(channel);
            control.set(SockOpt.TCP_USER_TIMEOUT, Duration.ofMillis(2500));
            InvalidOptionValueException negative = assertThrows(InvalidOptionValueException.class,
                    () -> control.set(SockOpt.TCP_USER_TIMEOUT, Duration.ofMillis(-5)));
            assertMessageNames(negative, "TCP_USER_TIMEOUT=-5ms", "out of range", "0..2147483647 milliseconds", PLATFORM);
            assertEquals(0, negative.errno(), "refused before any system call");
            InvalidOptionValueException fraction = assertThrows(InvalidOptionValueException.class,
                    () -> control.set(SockOpt.TCP_USER_TIMEOUT, Duration.ofNanos(2_500_000_500L)));
            assertMessageNames(fraction, "TCP_USER_TIMEOUT", "whole milliseconds", "PT2.5000005S");
            for (Duration huge : new Duration[] {Duration.ofMillis(Integer.MAX_VALUE + 1L), Duration.ofDays(30),
                    Duration.ofSeconds(Long.MAX_VALUE), Duration.ofSeconds(Long.MIN_VALUE)}) {
                InvalidOptionValueException e = assertThrows(InvalidOptionValueException.class,
                        () -> control.set(SockOpt.TCP_USER_TIMEOUT, huge), huge.toString());
                assertMessageNames(e, "TCP_USER_TIMEOUT", "does not fit a kernel int of milliseconds");
            }
            assertEquals(Duration.ofMillis(2500), control.get(SockOpt.TCP_USER_TIMEOUT), "the socket is unchanged");
            // The largest value the kernel takes is about 24.8 days.
            control.set(SockOpt.TCP_USER_TIMEOUT, Duration.ofMillis(Integer.MAX_VALUE));
            assertEquals(Duration.ofMillis(Integer.MAX_VALUE), control.get(SockOpt.TCP_USER_TIMEOUT));
        }
    }

    @Test
    void negativeBufferSizesAreRefused() throws IOException {
        try (SocketChannel channel = SocketChannel.open()) {
            SocketControl control = SocketControl.of(channel);
            int before = control.get(SockOpt.SO_SNDBUF);
            InvalidOptionValueException e = assertThrows(InvalidOptionValueException.class,
                    () -> control.set(SockOpt.SO_SNDBUF, -1));
            assertMessageNames(e, "SO_SNDBUF=-1", "out of range");
            assertEquals(before, control.get(SockOpt.SO_SNDBUF));
        }
    }

    @Test
    @EnabledIfSocketOptions({OptionName.TCP_KEEPIDLE, OptionName.TCP_KEEPINTVL, OptionName.TCP_KEEPCNT,
            OptionName.IPV6_V6ONLY})
    void aFailingBatchLeavesEveryOptionAsItWas() throws IOException {
        OptionSettings settings = OptionSettings.builder()
                .keepAlive(Duration.ofSeconds(61), Duration.ofSeconds(9), 4)
                .set(SockOpt.IPV6_V6ONLY, true)
                .build();
        try (SocketChannel v4 = SocketChannel.open(StandardProtocolFamily.INET)) {
            SocketControl control = SocketControl.of(v4);
            Duration idleBefore = control.get(SockOpt.TCP_KEEPIDLE);
            WrongSocketTypeException e = assertThrows(WrongSocketTypeException.class, () -> control.apply(settings));
            assertMessageNames(e, "IPV6_V6ONLY=true");
            assertEquals(idleBefore, control.get(SockOpt.TCP_KEEPIDLE));
            assertFalse(v4.getOption(java.net.StandardSocketOptions.SO_KEEPALIVE));
        }
    }

    @Test
    void unknownObjectTypesAreNamed() {
        WrongSocketTypeException e = assertThrows(WrongSocketTypeException.class, () -> SocketControl.of("a string"));
        assertMessageNames(e, "java.lang.String");
    }

    static void assertMessageNames(Exception e, String... parts) {
        String message = e.getMessage();
        for (String part : parts) {
            assertTrue(message.contains(part), "message should name '" + part + "': " + message);
        }
        assertTrue(message.contains(PLATFORM), "message should name the platform: " + message);
    }

    /** The fd of a file opened by the test, found from outside the JVM's objects in /proc/self/fd. */
    private static int openFileFd(Path file) throws IOException {
        java.io.FileInputStream in = new java.io.FileInputStream(file.toFile());
        OPEN_STREAMS.add(in);
        Path real = file.toRealPath();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path link : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(link).equals(real)) {
                        return Integer.parseInt(link.getFileName().toString());
                    }
                } catch (IOException gone) {
                    // the directory listing's own fd is gone by now
                }
            }
        }
        throw new IllegalStateException("no fd of " + real + " in /proc/self/fd");
    }

    private static void closeFd(int fd) throws IOException {
        for (java.io.FileInputStream in : OPEN_STREAMS) {
            in.close();
        }
        OPEN_STREAMS.clear();
    }

    private static final java.util.List<java.io.FileInputStream> OPEN_STREAMS = new java.util.ArrayList<>();
}
