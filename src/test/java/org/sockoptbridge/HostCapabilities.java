package org.sockoptbridge;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What this host answers, found out by asking it once per JVM, for tests that need it to skip
 * with the reason where it is missing. Both gaps are real on an arm64 JVM under qemu-user 7.2
 * (the container matrix's arm64 cell), but nothing here asks whether that is the case: each
 * check tries the thing itself.
 */
public final class HostCapabilities {
    private static String acceptQueueMissing;
    private static boolean acceptQueueChecked;
    private static String tcpInfoMissing;
    private static boolean tcpInfoChecked;
    private static String ssMissing;
    private static boolean ssChecked;

    private HostCapabilities() {
    }

    /**
     * Skips unless the library reports a listener's accept queue here. On Linux it reads the
     * queue from TCP_INFO and reports it unavailable (EOPNOTSUPP) when the reply is too short to
     * hold the listener fields, which qemu-user 7.2 does (it returns 4 bytes).
     */
    public static synchronized void assumeAcceptQueueReported() throws IOException {
        if (!acceptQueueChecked) {
            acceptQueueMissing = unavailable("accept queue", () -> {
                try (ServerSocketChannel listener = ServerSocketChannel.open()) {
                    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
                    SocketControl.of(listener).acceptQueue();
                }
            });
            acceptQueueChecked = true;
        }
        assumeTrue(acceptQueueMissing == null, acceptQueueMissing);
    }

    /**
     * Skips unless the library reads a connection's TCP_INFO counters here: it reports them
     * unavailable (EOPNOTSUPP) off Linux and where the kernel's reply is too short to hold them,
     * as under qemu-user 7.2 (4 bytes).
     */
    public static synchronized void assumeTcpInfoReported() throws IOException {
        if (!tcpInfoChecked) {
            tcpInfoMissing = unavailable("TCP_INFO counters", () -> {
                java.nio.channels.SocketChannel[] pair = Sockets.connectedPair();
                try (java.nio.channels.SocketChannel client = pair[0]; java.nio.channels.SocketChannel accepted = pair[1]) {
                    SocketControl.of(accepted).tcpInfo();
                }
            });
            tcpInfoChecked = true;
        }
        assumeTrue(tcpInfoMissing == null, tcpInfoMissing);
    }

    private interface Attempt {
        void run() throws IOException;
    }

    /** Null if the attempt works, the skip reason if the library says EOPNOTSUPP; any other failure is the test's. */
    private static String unavailable(String what, Attempt attempt) throws IOException {
        try {
            attempt.run();
            return null;
        } catch (SockoptException e) {
            if (!"EOPNOTSUPP".equals(e.errnoName())) {
                throw e;
            }
            return "skipped: " + what + " unavailable: " + e.getMessage();
        }
    }

    /**
     * Skips unless iproute2's {@code ss} shows the socket details the tests compare (skmem, timers,
     * v6only) for a listener this JVM holds. ss reads those through the sock_diag netlink family;
     * where it cannot open it it falls back to /proc/net/tcp, which lists the socket without them,
     * and still exits 0: so the details in its output decide. (qemu-user refuses every netlink
     * family but ROUTE, KOBJECT_UEVENT and AUDIT with EPROTONOSUPPORT, linux-user/syscall.c
     * do_socket: ss prints "Cannot open netlink socket: Protocol not supported".)
     */
    public static synchronized void assumeSsReadsSockets(String ss) throws IOException, InterruptedException {
        if (!ssChecked) {
            ssMissing = whatSsCannotShow(ss);
            ssChecked = true;
        }
        assumeTrue(ssMissing == null, ssMissing);
    }

    /** Null if ss shows the skmem of a listener opened here, else why not. */
    private static String whatSsCannotShow(String ss) throws IOException, InterruptedException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            Process process;
            try {
                process = new ProcessBuilder(ss, "-H", "-l", "-t", "-n", "-m").redirectErrorStream(true).start();
            } catch (IOException notInstalled) {
                return "skipped: no " + ss + " (Debian package iproute2) on this host: " + notInstalled.getMessage();
            }
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            // -m prints the skmem line under the socket's own line.
            int at = output.indexOf(":" + port + " ");
            int next = at < 0 ? -1 : output.indexOf("LISTEN", at);
            if (at >= 0 && output.substring(at, next < 0 ? output.length() : next).contains("skmem:(")) {
                return null;
            }
            String printed = output.isBlank() ? "nothing" : output.strip().replaceAll("\\s+", " ");
            return "skipped: " + ss + " shows no socket details here (no skmem for this test's listener on port " + port
                    + ", which it reads through sock_diag netlink); it printed: "
                    + (printed.length() > 300 ? printed.substring(0, 300) + " ..." : printed);
        }
    }
}
