package org.sockoptbridge.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sockoptbridge.HostCapabilities;
import org.sockoptbridge.SocketControl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The portable backend against real loopback sockets, with the assertions of the shim's C tests
 * (native/test/test_shim.c), and wherever both can answer, compared with the shim loaded in this
 * JVM: same table, same capabilities and defaults, same errnos, same socket kinds and queues.
 */
class PortableBackendTest {
    private static final int KEEPIDLE = 0;
    private static final int KEEPINTVL = 1;
    private static final int KEEPCNT = 2;
    private static final int RCVBUF = 3;
    private static final int SNDBUF = 4;
    private static final int V6ONLY = 5;
    private static final int REUSEPORT = 6;
    private static final int USER_TIMEOUT = 7;
    private static final int KEEPALIVE = JniShim.OPTION_SO_KEEPALIVE;

    private static NativeBackend portable;
    private static NativeBackend shim;

    @BeforeAll
    static void backends() {
        portable = Backends.portable("test");
        shim = NativeLoader.result().backend();
        assertEquals("portable", portable.name());
        // The assertions compare the portable backend with the shim; a run that forces the portable
        // backend (CI's second pass) has no shim to compare with.
        org.junit.jupiter.api.Assumptions.assumeTrue("shim".equals(shim.name()),
                "skipped: compares with the bundled shim, and this run forces the portable backend");
    }

    private static void assumeIpv6() {
        org.junit.jupiter.api.Assumptions.assumeTrue(shim.ipv6Available() > 0,
                "skipped: this host has no usable IPv6 (an AF_INET6 socket cannot bind ::1)");
    }

    private static int errno(String name) {
        int value = shim.errnoValue(name);
        assertTrue(value > 0, name);
        return value;
    }

    private static SocketChannel tcp4() throws IOException {
        return SocketChannel.open(StandardProtocolFamily.INET);
    }

    private static int fd(Object socket) {
        return SocketControl.of(socket).fd();
    }

    @Test
    void tableIsTheShimsTable() {
        for (int id = -1; id <= JniShim.OPTION_COUNT; id++) {
            assertEquals(shim.optionLevel(id), portable.optionLevel(id), "level of " + id);
            assertEquals(shim.optionName(id), portable.optionName(id), "name of " + id);
            assertEquals(shim.optionSymbol(id), portable.optionSymbol(id), "symbol of " + id);
            assertEquals(shim.optionMin(id), portable.optionMin(id), "min of " + id);
            assertEquals(shim.optionMax(id), portable.optionMax(id), "max of " + id);
        }
        assertEquals(32767, portable.optionMax(KEEPIDLE));
        assertEquals(127, portable.optionMax(KEEPCNT));
        assertEquals(shim.bufferReadbackFactor(), portable.bufferReadbackFactor());
        assertEquals(shim.libcName(), portable.libcName());
        assertEquals(shim.libcVersion(), portable.libcVersion());
    }

    @Test
    void keepAliveTimerRoundTripsAndTurnsKeepAliveOn() throws IOException {
        try (SocketChannel channel = tcp4()) {
            int fd = fd(channel);
            assertEquals(0, portable.getInt(fd, KEEPALIVE));
            assertEquals(0, portable.setInt(fd, KEEPIDLE, 42));
            assertEquals(42, portable.getInt(fd, KEEPIDLE));
            assertNotEquals(0, portable.getInt(fd, KEEPALIVE));
            assertEquals(0, portable.setInt(fd, KEEPINTVL, 7));
            assertEquals(7, portable.getInt(fd, KEEPINTVL));
            assertEquals(0, portable.setInt(fd, KEEPCNT, 3));
            assertEquals(3, portable.getInt(fd, KEEPCNT));
            assertEquals(42, shim.getInt(fd, KEEPIDLE), "the shim reads what the portable backend set");
        }
    }

    @Test
    void everyOptionRoundTrips() throws IOException {
        assumeIpv6();
        try (SocketChannel channel = tcp4(); DatagramChannel v6 = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            int fd = fd(channel);
            assertEquals(0, portable.setInt(fd, RCVBUF, 65536));
            assertEquals(65536L * portable.bufferReadbackFactor(), portable.getInt(fd, RCVBUF));
            assertEquals(0, portable.setInt(fd, SNDBUF, 32768));
            assertEquals(32768L * portable.bufferReadbackFactor(), portable.getInt(fd, SNDBUF));
            assertEquals(0, portable.setInt(fd, REUSEPORT, 1));
            assertEquals(1, portable.getInt(fd, REUSEPORT));
            assertEquals(0, portable.setInt(fd, REUSEPORT, 0));
            assertEquals(0, portable.getInt(fd, REUSEPORT));
            assertEquals(0, portable.setInt(fd, USER_TIMEOUT, 2500));
            assertEquals(2500, shim.getInt(fd, USER_TIMEOUT), "the shim reads what the portable backend set");
            assertEquals(0, portable.getInt(fd, KEEPALIVE), "the user timeout leaves keep-alive off");
            assertEquals(-errno("EINVAL"), portable.setInt(fd, USER_TIMEOUT, -1));
            assertEquals(2500, portable.getInt(fd, USER_TIMEOUT));
            if (portable.ipv6Available() > 0) {
                int v6fd = fd(v6);
                assertEquals(0, portable.setInt(v6fd, V6ONLY, 1));
                assertEquals(1, portable.getInt(v6fd, V6ONLY));
                v6.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
                // net/ipv6/ipv6_sockglue.c: EINVAL once the socket has a local port.
                assertEquals(-errno("EINVAL"), portable.setInt(v6fd, V6ONLY, 0));
                assertEquals(shim.setInt(v6fd, V6ONLY, 0), portable.setInt(v6fd, V6ONLY, 0));
            }
        }
    }

    @Test
    void outOfRangeValuesAreRefusedBeforeTheKernel() throws IOException {
        try (SocketChannel channel = tcp4()) {
            int fd = fd(channel);
            long before = portable.getInt(fd, KEEPIDLE);
            assertEquals(-errno("EINVAL"), portable.setInt(fd, KEEPIDLE, 0));
            assertEquals(-errno("EINVAL"), portable.setInt(fd, KEEPIDLE, portable.optionMax(KEEPIDLE) + 1));
            assertEquals(-errno("EINVAL"), portable.setInt(fd, RCVBUF, -1));
            assertEquals(before, portable.getInt(fd, KEEPIDLE));
            assertEquals(0, portable.getInt(fd, KEEPALIVE));
        }
    }

    @Test
    void tcpOptionOnUdpGivesTheShimsErrnoAndChangesNothing() throws IOException {
        try (DatagramChannel udp = DatagramChannel.open(StandardProtocolFamily.INET)) {
            int fd = fd(udp);
            int rc = portable.setInt(fd, KEEPIDLE, 30);
            assertTrue(rc < 0);
            assertEquals(shim.setInt(fd, KEEPIDLE, 30), rc);
            assertEquals(shim.getInt(fd, KEEPIDLE), portable.getInt(fd, KEEPIDLE));
            int[] ids = {KEEPIDLE, KEEPCNT};
            int[] values = {30, 3};
            assertEquals(shim.setBatch(fd, ids, values, 2), portable.setBatch(fd, ids, values, 2));
            assertEquals(0, portable.getInt(fd, KEEPALIVE));
        }
    }

    @Test
    void batchIsAllOrNothing() throws IOException {
        try (SocketChannel channel = tcp4()) {
            int fd = fd(channel);
            long idleBefore = portable.getInt(fd, KEEPIDLE);
            // IPV6_V6ONLY on an IPv4 socket fails in the kernel after KEEPIDLE was applied.
            int[] ids = {KEEPIDLE, V6ONLY};
            int[] values = {99, 1};
            int rc = portable.setBatch(fd, ids, values, 2);
            assertEquals(1, JniShim.batchFailedIndex(rc));
            assertNotEquals(0, JniShim.batchErrno(rc));
            assertEquals(shim.setBatch(fd, ids, values, 2), rc, "the shim fails the same way");
            assertEquals(idleBefore, portable.getInt(fd, KEEPIDLE));
            assertEquals(0, portable.getInt(fd, KEEPALIVE));

            int[] goodIds = {KEEPIDLE, KEEPINTVL, KEEPCNT, RCVBUF};
            int[] goodValues = {60, 5, 4, 65536};
            assertEquals(0, portable.setBatch(fd, goodIds, goodValues, 4));
            assertEquals(60, portable.getInt(fd, KEEPIDLE));
            assertEquals(5, portable.getInt(fd, KEEPINTVL));
            assertEquals(4, portable.getInt(fd, KEEPCNT));
            assertNotEquals(0, portable.getInt(fd, KEEPALIVE));
            assertTrue(portable.getInt(fd, RCVBUF) >= 65536);
        }
    }

    @Test
    void batchRestoresBufferSizesItAlreadyChanged() throws IOException {
        try (SocketChannel channel = tcp4()) {
            int fd = fd(channel);
            int before = (int) portable.getInt(fd, SNDBUF);
            int[] ids = {SNDBUF, KEEPIDLE};
            int[] values = {before * 2, 0}; // the second is out of range
            assertEquals(JniShim.encodeBatchFailure(1, errno("EINVAL")), portable.setBatch(fd, ids, values, 2));
            assertEquals(before, portable.getInt(fd, SNDBUF));
            // The restore went through the readback factor: three changes, one restore, same value.
            int[] three = {RCVBUF, SNDBUF, REUSEPORT, KEEPIDLE};
            int[] threeValues = {before, before / 2, 1, 40000};
            int rcvBefore = (int) portable.getInt(fd, RCVBUF);
            assertEquals(JniShim.encodeBatchFailure(3, errno("EINVAL")), portable.setBatch(fd, three, threeValues, 4));
            assertEquals(rcvBefore, portable.getInt(fd, RCVBUF));
            assertEquals(before, portable.getInt(fd, SNDBUF));
            assertEquals(0, portable.getInt(fd, REUSEPORT));
        }
    }

    @Test
    void badBatchesAreRefusedLikeTheShims() throws IOException {
        try (SocketChannel channel = tcp4()) {
            int fd = fd(channel);
            int[] seventeen = new int[17];
            assertEquals(shim.setBatch(fd, seventeen, seventeen, 17), portable.setBatch(fd, seventeen, seventeen, 17));
            assertEquals(shim.setBatch(fd, new int[] {RCVBUF}, new int[] {4096}, -1),
                    portable.setBatch(fd, new int[] {RCVBUF}, new int[] {4096}, -1));
            assertEquals(shim.setBatch(fd, new int[] {99}, new int[] {1}, 1),
                    portable.setBatch(fd, new int[] {99}, new int[] {1}, 1));
            assertEquals(0, portable.setBatch(fd, new int[0], new int[0], 0));
            assertEquals(shim.setBatch(-1, new int[] {RCVBUF, SNDBUF}, new int[] {4096, 4096}, 2),
                    portable.setBatch(-1, new int[] {RCVBUF, SNDBUF}, new int[] {4096, 4096}, 2));
        }
    }

    @Test
    void socketKindTellsFamilyTypeAndBindingAsTheShimDoes() throws IOException {
        assumeIpv6();
        Path directory = Files.createTempDirectory("portable-kind");
        Path socketPath = directory.resolve("s");
        try (SocketChannel tcp4 = tcp4();
             SocketChannel tcp6 = SocketChannel.open(StandardProtocolFamily.INET6);
             DatagramChannel udp4 = DatagramChannel.open(StandardProtocolFamily.INET);
             ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET);
             SocketChannel unix = SocketChannel.open(StandardProtocolFamily.UNIX);
             ServerSocketChannel unixListener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            assertEquals(JniShim.encodeSocketKind(false, JniShim.FAMILY_INET, JniShim.TYPE_STREAM),
                    portable.socketKind(fd(tcp4)));
            tcp4.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertEquals(JniShim.encodeSocketKind(true, JniShim.FAMILY_INET, JniShim.TYPE_STREAM),
                    portable.socketKind(fd(tcp4)));
            assertEquals(JniShim.encodeSocketKind(false, JniShim.FAMILY_INET, JniShim.TYPE_DGRAM),
                    portable.socketKind(fd(udp4)));
            assertEquals(JniShim.encodeSocketKind(false, JniShim.FAMILY_UNIX, JniShim.TYPE_STREAM),
                    portable.socketKind(fd(unix)));
            unixListener.bind(UnixDomainSocketAddress.of(socketPath));
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            for (Object socket : List.of(tcp4, tcp6, udp4, listener, unix, unixListener)) {
                assertEquals(shim.socketKind(fd(socket)), portable.socketKind(fd(socket)), socket.toString());
            }
            assertTrue(JniShim.socketBound(portable.socketKind(fd(unixListener))));
            assertEquals(-errno("EBADF"), portable.socketKind(-1));
            assertEquals(-errno("EBADF"), portable.getInt(-1, RCVBUF));
        } finally {
            Files.deleteIfExists(socketPath);
            Files.deleteIfExists(directory);
        }
    }

    @Test
    void filesAreNotSocketsAndFileKindsAreTheShims() throws IOException {
        List<Integer> fds = new ArrayList<>();
        try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
            open.forEach(path -> fds.add(Integer.parseInt(path.getFileName().toString())));
        }
        fds.add(-1);
        fds.add(1 << 20);
        for (int fd : fds) {
            assertEquals(shim.fileKind(fd), portable.fileKind(fd), "fd " + fd);
            if (shim.fileKind(fd) != JniShim.FILE_SOCKET && shim.fileKind(fd) > 0) {
                assertEquals(-errno("ENOTSOCK"), portable.socketKind(fd), "fd " + fd);
                assertEquals(-errno("ENOTSOCK"), portable.setInt(fd, RCVBUF, 4096), "fd " + fd);
            }
        }
        assertEquals(-errno("EBADF"), portable.fileKind(-1));
    }

    @Test
    void capabilitiesAndDefaultsAreTheShims() {
        assertEquals(shim.ipv6Available(), portable.ipv6Available());
        for (int id = -1; id <= JniShim.OPTION_COUNT; id++) {
            assertEquals(shim.capability(id), portable.capability(id), "capability of " + id);
            assertEquals(shim.defaultValue(id), portable.defaultValue(id), "default of " + id);
        }
        for (int id = 0; id < JniShim.OPTION_COUNT; id++) {
            if (id != V6ONLY) {
                assertEquals(JniShim.STATUS_SUPPORTED, JniShim.capabilityStatus(portable.capability(id)));
            }
            assertEquals(null, portable.unsupportedDetail(id), "everything is known on Linux");
        }
    }

    @Test
    void anOptionTheBackendCannotKnowSaysWhy() {
        String why = "the portable backend has no IPV6_V6ONLY constant for freebsd; build the shim on this host with `mvn package`";
        org.sockoptbridge.OptionSupport support = new org.sockoptbridge.OptionSupport(org.sockoptbridge.OptionName.IPV6_V6ONLY,
                false, org.sockoptbridge.UnsupportedReason.NOT_COMPILED_ON_THIS_OS, 0, null, why, null);
        assertEquals(why, support.explanation());
        assertEquals(null, shim.unsupportedDetail(V6ONLY), "the shim keeps its own wording");
    }

    @Test
    void errnoNamesAreTheShims() {
        for (int errno = -5; errno < 200; errno++) {
            assertEquals(shim.errnoName(errno), portable.errnoName(errno), "errno " + errno);
        }
        assertEquals("ENOPROTOOPT", portable.errnoName(errno("ENOPROTOOPT")));
        assertEquals("EOPNOTSUPP", portable.errnoName(errno("EOPNOTSUPP")));
        assertEquals("EAGAIN", portable.errnoName(errno("EAGAIN")));
        for (String name : new String[] {"EINVAL", "ENOTSUP", "EWOULDBLOCK", "ETIME", "ENOSUCHERRNO", "", "einval"}) {
            assertEquals(shim.errnoValue(name), portable.errnoValue(name), name);
        }
        assertEquals(-1, portable.errnoValue(null));
    }

    @Test
    void listenQueueIsTheShims() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET);
             DatagramChannel udp = DatagramChannel.open(StandardProtocolFamily.INET)) {
            int fd = fd(listener);
            assertEquals(shim.listenQueue(fd), portable.listenQueue(fd), "not bound");
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 5);
            assertEquals(shim.listenQueue(fd), portable.listenQueue(fd), "listening");
            // Where the platform reports no queue, both said so above (EOPNOTSUPP); the values below need one.
            HostCapabilities.assumeAcceptQueueReported();
            assertEquals(JniShim.encodeQueue(0, 5), portable.listenQueue(fd));
            List<SocketChannel> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    clients.add(SocketChannel.open(listener.getLocalAddress())); // loopback: connected on return
                }
                long queue = portable.listenQueue(fd);
                assertEquals(3, JniShim.queueLength(queue));
                assertEquals(5, JniShim.queueLimit(queue));
                assertEquals(shim.listenQueue(fd), queue);
                listener.accept().close();
                assertEquals(JniShim.encodeQueue(2, 5), portable.listenQueue(fd));
                assertEquals(shim.listenQueue(fd(clients.get(0))), portable.listenQueue(fd(clients.get(0))));
                assertEquals(-errno("EINVAL"), portable.listenQueue(fd(clients.get(0))), "connected, not listening");
            } finally {
                for (SocketChannel client : clients) {
                    client.close();
                }
            }
            assertEquals(shim.listenQueue(fd(udp)), portable.listenQueue(fd(udp)), "UDP");
            assertEquals(shim.listenQueue(-1), portable.listenQueue(-1));
        }
    }

    @Test
    void hostLimitsAreTheShims() {
        for (int id = -1; id <= JniShim.HOST_LIMIT_COUNT; id++) {
            assertEquals(shim.hostLimitSetting(id), portable.hostLimitSetting(id), "setting of " + id);
            assertEquals(shim.hostLimit(id), portable.hostLimit(id), "value of " + id);
        }
        assertTrue(portable.hostLimit(0) >= 0 || portable.hostLimit(0) == -errno("ENOENT"), "a number or ENOENT on Linux");
    }

    @Test
    void hostLimitSettingsPerOsAreTheOnesHostLimitsCReads() {
        // The names native/src/host_limits.c compiles for the OSes this host cannot run; the macOS
        // dylib's import of sysctlbyname is checked by its CTest, these names here.
        assertEquals(List.of("kern.ipc.somaxconn", "kern.ipc.maxsockbuf", "kern.ipc.maxsockbuf"), settings("macos"));
        assertEquals(List.of("kern.ipc.soacceptqueue", "kern.ipc.maxsockbuf", "kern.ipc.maxsockbuf"), settings("freebsd"));
        assertEquals(java.util.Arrays.asList(null, "kern.sbmax", "kern.sbmax"), settings("netbsd"));
        assertEquals(java.util.Arrays.asList(null, null, null), settings("dragonfly"));
    }

    private static List<String> settings(String os) {
        List<String> names = new ArrayList<>();
        for (int id = 0; id < JniShim.HOST_LIMIT_COUNT; id++) {
            names.add(PortableBackend.hostLimitSetting(os, id));
        }
        return names;
    }

    @Test
    void theReflectionReaderNamesTheFlagsWithoutAddOpens() throws Exception {
        Outcome outcome = runChild(List.of());
        assertEquals(2, outcome.exitCode, outcome.output);
        assertTrue(outcome.output.contains("REFUSED"), outcome.output);
        assertTrue(outcome.output.contains(PortableBackend.ADD_OPENS), outcome.output);
        assertTrue(outcome.output.contains("SocketControl.ofFd"), outcome.output);
    }

    @Test
    void theReflectionReaderReadsWhatTheJniReaderReadsWithAddOpens() throws Exception {
        Outcome outcome = runChild(List.of(PortableBackend.ADD_OPENS.split(" ")));
        assertEquals(0, outcome.exitCode, outcome.output);
        for (String prefix : new String[] {"CHANNEL", "SOCKET"}) {
            String line = outcome.output.lines().filter(l -> l.startsWith(prefix + " ")).findFirst().orElseThrow();
            String[] parts = line.split("[ =]");
            assertEquals(parts[2], parts[4], line);
            assertTrue(Integer.parseInt(parts[2]) > 2, line);
        }
    }

    private record Outcome(int exitCode, String output) {
    }

    private static Outcome runChild(List<String> jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PortableFieldReaderMain.class.getName());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("child JVM did not finish: " + command);
        }
        return new Outcome(process.exitValue(), output);
    }
}
