package org.sockoptbridge.kernel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sockoptbridge.HostCapabilities;
import org.sockoptbridge.ListenerBuilder;
import org.sockoptbridge.OptionName;
import org.sockoptbridge.SockOpt;
import org.sockoptbridge.SocketControl;
import org.sockoptbridge.junit.EnabledIfSocketOptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * IPV6_V6ONLY as the kernel applies it: an IPv6-only wildcard listener leaves the IPv4 wildcard
 * of the same port free, so an IPv4 listener can hold it, and IPv4 clients reach only that one.
 * Without the option the [::] socket also owns the IPv4 side (IPv4-mapped addresses), so the
 * second bind fails with EADDRINUSE (net/ipv4/inet_connection_sock.c, inet_bind_conflict with
 * ipv6_only_sock). Cross-checked with python3's socket module, a second implementation that sets
 * the option itself, and with ss (sock_diag's INET_DIAG_SKV6ONLY).
 */
@EnabledIfSocketOptions(OptionName.IPV6_V6ONLY)
class DualStackTest {
    private static final InetAddress ANY6 = address("::");
    private static final InetAddress ANY4 = address("0.0.0.0");
    private static final InetAddress LOOPBACK6 = address("::1");
    private static final InetAddress LOOPBACK4 = address("127.0.0.1");

    @BeforeEach
    void needsLinux() {
        HostCommand.assumeLinux(); // other kernels differ in the default and the bind rules
    }

    @ParameterizedTest(name = "IPv6-only listener made with {0}")
    @ValueSource(strings = {"ListenerBuilder", "SocketControl"})
    void aV6OnlyListenerAndAnIpv4ListenerShareThePortAndEachAcceptsOnlyItsFamily(String madeWith)
            throws IOException, InterruptedException {
        try (ServerSocketChannel v6 = v6OnlyListener(madeWith)) {
            int port = port(v6);
            assertTrue(SocketControl.of(v6).get(SockOpt.IPV6_V6ONLY), "the bridge reads it back as set");
            try (ServerSocketChannel v4 = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
                v4.bind(new InetSocketAddress(ANY4, port)); // EADDRINUSE here if the option were not applied
                List<ServerSocketChannel> both = List.of(v6, v4);

                try (SocketChannel client4 = SocketChannel.open(new InetSocketAddress(LOOPBACK4, port))) {
                    assertEquals(1, acceptedBy(both, client4), "an IPv4 client must land on the IPv4 listener");
                }
                try (SocketChannel client6 = SocketChannel.open(new InetSocketAddress(LOOPBACK6, port))) {
                    assertEquals(0, acceptedBy(both, client6), "an IPv6 client must land on the IPv6-only listener");
                }
                System.out.printf("dual stack on port %d (%s): [::] v6only listener and 0.0.0.0 listener each accepted"
                        + " only their own family%n", port, madeWith);
            }
        }
    }

    @Test
    void withoutV6OnlyTheIpv4BindOfTheSamePortFailsWithAddressInUse() throws IOException {
        // The JDK clears IPV6_V6ONLY on every AF_INET6 socket it opens: the plain JDK listener is dual-stack.
        try (ServerSocketChannel dual = ServerSocketChannel.open(StandardProtocolFamily.INET6)) {
            dual.bind(new InetSocketAddress(ANY6, portFreeOnBothFamilies()));
            int port = port(dual);
            try (ServerSocketChannel v4 = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
                BindException e = assertThrows(BindException.class, () -> v4.bind(new InetSocketAddress(ANY4, port)));
                assertTrue(e.getMessage().contains("Address already in use"), e.getMessage());
            }
        }
        // Same through the bridge with the option explicitly off, and in the other order.
        try (ServerSocketChannel v4 = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            v4.bind(new InetSocketAddress(ANY4, portFreeOnBothFamilies()));
            InetSocketAddress samePort6 = new InetSocketAddress(ANY6, port(v4));
            BindException e = assertThrows(BindException.class,
                    () -> ListenerBuilder.tcp(samePort6).ipv6Only(false).bind().close());
            assertTrue(e.getMessage().contains("Address already in use"), e.getMessage());
            try (ServerSocketChannel v6 = ListenerBuilder.tcp(samePort6).ipv6Only(true).bind()) {
                assertEquals(port(v4), port(v6), "with the option the same bind succeeds");
            }
        }
    }

    @Test
    void ssReportsTheBridgeMadeListenerAsV6OnlyAndTheJdkOneAsNot() throws Exception {
        String ss = HostCommand.assumeTool("ss", "iproute2");
        HostCapabilities.assumeSsReadsSockets(ss);
        try (ServerSocketChannel bridged = ListenerBuilder.tcp(new InetSocketAddress(ANY6, portFreeOnBothFamilies())).ipv6Only(true).bind();
             ServerSocketChannel plain = ServerSocketChannel.open(StandardProtocolFamily.INET6)) {
            plain.bind(new InetSocketAddress(ANY6, 0));
            assertEquals("v6only:1", ssV6only(ss, port(bridged)));
            assertEquals("v6only:0", ssV6only(ss, port(plain)), "control: the JDK's own listener");
        }
    }

    @Test
    void python3BindsTheIpv6SideOnlyWithV6OnlyWhileJavaHoldsTheIpv4Side() throws Exception {
        String python = HostCommand.assumeTool("python3", "python3");
        try (ServerSocketChannel v4 = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            v4.bind(new InetSocketAddress(ANY4, portFreeOnBothFamilies()));
            String port = Integer.toString(port(v4));
            // Control: python's dual-stack [::] socket collides with Java's 0.0.0.0, as Java's did.
            try (PythonPeer peer = PythonPeer.start(python, "listen", "6", "::", port, "0", "0")) {
                assertEquals("bind-failed EADDRINUSE", peer.line());
            }
            try (PythonPeer peer = PythonPeer.start(python, "listen", "6", "::", port, "1", "1")) {
                assertEquals("bound v6only=1", peer.line());
                try (SocketChannel client6 = SocketChannel.open(new InetSocketAddress(LOOPBACK6, port(v4)))) {
                    assertEquals("accepted ::1 " + port(client6), peer.line(), "python's v6-only socket got the IPv6 client");
                }
                try (SocketChannel client4 = SocketChannel.open(new InetSocketAddress(LOOPBACK4, port(v4)))) {
                    assertEquals(0, acceptedBy(List.of(v4), client4), "Java's IPv4 listener got the IPv4 client");
                }
            }
        }
    }

    @Test
    void python3HoldsTheIpv4SideNextToTheBridgeMadeV6OnlyListener() throws Exception {
        String python = HostCommand.assumeTool("python3", "python3");
        try (ServerSocketChannel v6 = ListenerBuilder.tcp(new InetSocketAddress(ANY6, portFreeOnBothFamilies())).ipv6Only(true).bind()) {
            String port = Integer.toString(port(v6));
            try (PythonPeer peer = PythonPeer.start(python, "listen", "4", "0.0.0.0", port, "-", "1")) {
                assertEquals("bound v6only=-", peer.line(), "python's 0.0.0.0 bind next to the bridge's [::] listener");
                try (SocketChannel client4 = SocketChannel.open(new InetSocketAddress(LOOPBACK4, port(v6)))) {
                    assertEquals("accepted 127.0.0.1 " + port(client4), peer.line(), "python's IPv4 socket got the IPv4 client");
                    v6.configureBlocking(false);
                    assertNull(v6.accept(), "the v6-only listener must not see the IPv4 client");
                }
            }
        }
        // Control: next to a dual-stack listener python's IPv4 bind is refused.
        try (ServerSocketChannel dual = ListenerBuilder.tcp(new InetSocketAddress(ANY6, portFreeOnBothFamilies())).ipv6Only(false).bind();
             PythonPeer peer = PythonPeer.start(python, "listen", "4", "0.0.0.0", Integer.toString(port(dual)), "-", "0")) {
            assertEquals("bind-failed EADDRINUSE", peer.line());
        }
    }

    @Test
    void python3ReadsIpv6OnlyOnTheJavaListenersOwnSocket() throws Exception {
        String python = HostCommand.assumeTool("python3", "python3");
        try (ServerSocketChannel bridged = ListenerBuilder.tcp(new InetSocketAddress(ANY6, portFreeOnBothFamilies())).ipv6Only(true).bind();
             ServerSocketChannel plain = ServerSocketChannel.open(StandardProtocolFamily.INET6)) {
            plain.bind(new InetSocketAddress(ANY6, 0));
            String pid = Long.toString(ProcessHandle.current().pid());
            String seen;
            try (PythonPeer peer = PythonPeer.start(python, "peek", pid, Integer.toString(SocketControl.of(bridged).fd()))) {
                seen = peer.line();
            }
            // pidfd_getfd(2) (Linux 5.6+) copies the fd into python; it needs ptrace rights over this JVM.
            assumeTrue(!seen.startsWith("peek-failed"), "skipped: python3 cannot copy this JVM's fd: " + seen);
            System.out.println("python3 getsockopt on the bridge-made listener's fd: " + seen);
            assertEquals("v6only=1 port=" + port(bridged), seen);
            try (PythonPeer peer = PythonPeer.start(python, "peek", pid, Integer.toString(SocketControl.of(plain).fd()))) {
                assertEquals("v6only=0 port=" + port(plain), peer.line(), "control: the JDK's own listener");
            }
        }
    }

    /** An IPv6-only listener on [::] and a free port, by either of the bridge's two ways. */
    /**
     * A port that 0.0.0.0 and an IPv6-only [::] can both bind now. These tests bind a second
     * listener on the first one's port; a port picked by binding port 0 can still be held on the
     * other family by a TIME_WAIT connection of an earlier test (Linux refuses a bind that
     * conflicts with a TIME_WAIT socket whose owner did not set SO_REUSEADDR), which would fail
     * the second bind for a reason that is not the one under test.
     */
    private static int portFreeOnBothFamilies() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocketChannel v4 = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
                v4.bind(new InetSocketAddress(ANY4, 0));
                int port = port(v4);
                try (ServerSocketChannel v6 = ServerSocketChannel.open(StandardProtocolFamily.INET6)) {
                    SocketControl.of(v6).set(SockOpt.IPV6_V6ONLY, true);
                    v6.bind(new InetSocketAddress(ANY6, port));
                    return port;
                } catch (java.net.BindException taken) {
                    // held on the IPv6 side: try another
                }
            }
        }
        throw new IllegalStateException("no port free on both families in 100 attempts");
    }

    private static ServerSocketChannel v6OnlyListener(String madeWith) throws IOException {
        InetSocketAddress address = new InetSocketAddress(ANY6, portFreeOnBothFamilies());
        if (madeWith.equals("ListenerBuilder")) {
            return ListenerBuilder.tcp(address).ipv6Only(true).bind();
        }
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET6);
        try {
            SocketControl.of(listener).set(SockOpt.IPV6_V6ONLY, true); // between open() and bind()
            listener.bind(address);
            return listener;
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    /** Which of the listeners accepted the client's connection (the others must have nothing). */
    private static int acceptedBy(List<ServerSocketChannel> listeners, SocketChannel client)
            throws IOException, InterruptedException {
        for (ServerSocketChannel listener : listeners) {
            listener.configureBlocking(false);
        }
        int found = -1;
        // The final ACK of the handshake may still be on its way into the accept queue.
        for (int attempt = 0; attempt < 200 && found < 0; attempt++) {
            for (int i = 0; i < listeners.size() && found < 0; i++) {
                SocketChannel accepted = listeners.get(i).accept();
                if (accepted != null) {
                    try (accepted) {
                        assertEquals(client.getLocalAddress(), accepted.getRemoteAddress(), "accepted someone else");
                    }
                    found = i;
                }
            }
            if (found < 0) {
                Thread.sleep(10);
            }
        }
        assertTrue(found >= 0, "no listener accepted " + client.getLocalAddress());
        for (int i = 0; i < listeners.size(); i++) {
            if (i != found) {
                assertNull(listeners.get(i).accept(), "listener " + i + " accepted a connection too");
            }
        }
        return found;
    }

    private static String ssV6only(String ss, int port) throws Exception {
        String out = HostCommand.check(ss, "-t", "-l", "-n", "-e", "-H", "sport", "=", ":" + port).stdout();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("v6only:\\d").matcher(out);
        assertTrue(m.find(), "no v6only in ss output for port " + port + ":\n" + out);
        return m.group();
    }

    private static int port(java.nio.channels.NetworkChannel channel) throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A python3 process running {@link #SCRIPT}; holds its port until closed. */
    private static final class PythonPeer implements AutoCloseable {
        // listen FAMILY HOST PORT V6ONLY(0|1|-) ACCEPTS: bind, report, accept that many, hold until stdin closes.
        // peek PID FD: copy another process's socket fd (pidfd_getfd) and read IPV6_V6ONLY on it.
        private static final String SCRIPT = """
                import errno, os, socket, sys

                def listen(family, host, port, v6only, accepts):
                    s = socket.socket(socket.AF_INET6 if family == "6" else socket.AF_INET, socket.SOCK_STREAM)
                    if v6only != "-":
                        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, int(v6only))
                    try:
                        s.bind((host, int(port)))
                        s.listen(8)
                    except OSError as e:
                        print("bind-failed", errno.errorcode.get(e.errno, str(e.errno)), flush=True)
                        return
                    held = s.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY) if v6only != "-" else "-"
                    print("bound v6only=%s" % held, flush=True)
                    s.settimeout(5)
                    for _ in range(int(accepts)):
                        try:
                            conn, peer = s.accept()
                            print("accepted", peer[0], peer[1], flush=True)
                            conn.close()
                        except socket.timeout:
                            print("accept-timeout", flush=True)
                    sys.stdin.read()

                def peek(pid, fd):
                    import ctypes
                    libc = ctypes.CDLL(None, use_errno=True)
                    try:
                        pidfd = os.pidfd_open(int(pid))
                    except (AttributeError, OSError) as e:
                        print("peek-failed pidfd_open", e, flush=True)
                        return
                    n = libc.syscall(438, pidfd, int(fd), 0)  # pidfd_getfd: 438 on every architecture
                    if n < 0:
                        print("peek-failed pidfd_getfd", errno.errorcode.get(ctypes.get_errno(), "?"), flush=True)
                        return
                    s = socket.socket(fileno=n)
                    print("v6only=%d port=%d" % (s.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY),
                                                 s.getsockname()[1]), flush=True)
                    s.detach()
                    os.close(n)  # only the copy; the JVM's fd stays open

                {"listen": listen, "peek": peek}[sys.argv[1]](*sys.argv[2:])
                """;

        private final Process process;
        private final BufferedReader out;

        private PythonPeer(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static PythonPeer start(String python, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(python, "-c", SCRIPT));
            command.addAll(List.of(args));
            return new PythonPeer(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }

        /** The next line the script prints (it always prints within its 5 s accept timeout). */
        String line() throws IOException {
            String line = out.readLine();
            assertNotNull(line, "python3 exited without output (exit " + (process.isAlive() ? "?" : process.exitValue()) + ")");
            return line;
        }

        @Override
        public void close() throws IOException {
            process.getOutputStream().close(); // ends sys.stdin.read(): python closes its socket and exits
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
