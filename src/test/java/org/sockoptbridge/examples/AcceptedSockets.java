package org.sockoptbridge.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.sockoptbridge.OptionSettings;
import org.sockoptbridge.SockOpt;
import org.sockoptbridge.SocketControl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * For the example tests: a client that talks to an example server over loopback, and the server's
 * side of that connection found without any help from the server, the way an operator would find
 * it: its ports in /proc/net/tcp give its inode, and /proc/self/fd gives the fd with that inode
 * (the server runs in the test's own process). Its options are then read from the kernel.
 */
final class AcceptedSockets {
    static final Duration IDLE = Duration.ofSeconds(60);
    static final Duration INTERVAL = Duration.ofSeconds(10);
    static final int COUNT = 5;
    /** Neither is the kernel's default for a new TCP socket (tcp_rmem[1], tcp_wmem[1]); see assertHoldsPolicy. */
    static final int RCVBUF = 96 * 1024;
    static final int SNDBUF = 48 * 1024;

    private AcceptedSockets() {
    }

    /** Keep-alive 60/10/5 plus both buffer sizes: the policy every example test installs. */
    static OptionSettings policy() {
        return OptionSettings.builder()
                .keepAlive(IDLE, INTERVAL, COUNT)
                .set(SockOpt.SO_RCVBUF, RCVBUF)
                .set(SockOpt.SO_SNDBUF, SNDBUF)
                .build();
    }

    static InetSocketAddress loopbackAnyPort() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    static void assumeLinux() {
        assumeTrue(System.getProperty("os.name").equals("Linux"),
                "skipped: the accepted socket is found through Linux's /proc/net/tcp and /proc/self/fd");
    }

    /** Three connections to an example server: the server's end of each holds the policy. */
    static void assertEveryConnectionHoldsThePolicy(InetSocketAddress server) throws IOException {
        for (int i = 0; i < 3; i++) {
            try (Socket client = connectAndEcho(server)) {
                assertHoldsPolicy(serverSideFd(server.getPort(), client.getLocalPort()));
            }
        }
    }

    /**
     * Connects, sends a line and waits for it to come back: once the echo arrives the server has
     * accepted the connection and done whatever it does to a new connection.
     */
    static Socket connectAndEcho(InetSocketAddress server) throws IOException {
        Socket client = new Socket();
        try {
            client.connect(server, 5000);
            client.setSoTimeout(5000);
            byte[] line = "ping\n".getBytes(StandardCharsets.US_ASCII);
            OutputStream out = client.getOutputStream();
            out.write(line);
            out.flush();
            InputStream in = client.getInputStream();
            assertEquals("ping\n", new String(in.readNBytes(line.length), StandardCharsets.US_ASCII), "echo");
            return client;
        } catch (IOException | RuntimeException | Error e) {
            client.close();
            throw e;
        }
    }

    /** The fd, in this process, of the server's end of the established connection serverPort <- clientPort. */
    static int serverSideFd(int serverPort, int clientPort) throws IOException {
        long inode = -1;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                // sl local_address rem_address st ... uid timeout inode
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[3].equals("01") && port(f[1]) == serverPort && port(f[2]) == clientPort) {
                    inode = Long.parseLong(f[9]);
                }
            }
        }
        if (inode < 0) {
            throw new AssertionError("no established connection :" + serverPort + " <- :" + clientPort + " in /proc/net/tcp*");
        }
        String target = "socket:[" + inode + "]";
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(target)) {
                        return Integer.parseInt(fd.getFileName().toString());
                    }
                } catch (IOException goneMeanwhile) {
                    // an fd closed while listing (the JDK's own, for the directory stream)
                }
            }
        }
        throw new AssertionError(target + " is not open in this process: the server is not in this JVM?");
    }

    private static int port(String hexAddressAndPort) {
        return Integer.parseInt(hexAddressAndPort.substring(hexAddressAndPort.indexOf(':') + 1), 16);
    }

    /**
     * Reads the policy's options back from the kernel through the bridge. Buffer sizes are
     * compared with what this kernel makes of the same request on a fresh socket (Linux doubles
     * it), and that must differ from a fresh socket's default, so the check cannot pass by luck.
     */
    static void assertHoldsPolicy(int acceptedFd) throws IOException {
        SocketControl accepted = SocketControl.ofFd(acceptedFd);
        assertEquals(IDLE, accepted.get(SockOpt.TCP_KEEPIDLE), "TCP_KEEPIDLE");
        assertEquals(INTERVAL, accepted.get(SockOpt.TCP_KEEPINTVL), "TCP_KEEPINTVL");
        assertEquals(COUNT, accepted.get(SockOpt.TCP_KEEPCNT), "TCP_KEEPCNT");
        assertEquals(kernelBytesFor(SockOpt.SO_RCVBUF, RCVBUF), accepted.get(SockOpt.SO_RCVBUF), "SO_RCVBUF");
        assertEquals(kernelBytesFor(SockOpt.SO_SNDBUF, SNDBUF), accepted.get(SockOpt.SO_SNDBUF), "SO_SNDBUF");
    }

    /** What the kernel holds after a request of bytes, measured on a fresh socket. */
    static int kernelBytesFor(SockOpt<Integer> option, int bytes) throws IOException {
        try (SocketChannel fresh = SocketChannel.open()) {
            SocketControl control = SocketControl.of(fresh);
            int kernelDefault = control.get(option);
            int kernelBytes = control.setBufferSize(option, bytes).kernelBytes();
            assertNotEquals(kernelDefault, kernelBytes, option + ": the test's value must not be the default");
            return kernelBytes;
        }
    }
}
