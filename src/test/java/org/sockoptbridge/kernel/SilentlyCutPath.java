package org.sockoptbridge.kernel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.sockoptbridge.OptionSettings;
import org.sockoptbridge.SocketControl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A TCP path that can be cut without a word: two network namespaces joined by a veth pair, a
 * listener in the server one, connections from the client one. {@link #cut()} removes the
 * server's address, so every packet to it is dropped with no reset and no ICMP (with forwarding
 * off, net/ipv4/route.c routes it to ip_error, which drops it silently), exactly what a peer that
 * lost power or a middlebox that forgot the flow looks like. Neighbour entries are permanent, so
 * no ARP failure (EHOSTUNREACH) can end a connection either: only the kernel's timers can.
 *
 * <p>{@link #open()} skips the calling test, with the reason, where the host cannot do this (not
 * Linux, not root, no iproute2, no namespaces or veth).
 */
final class SilentlyCutPath implements AutoCloseable {
    static final String SERVER_IP = "192.0.2.1"; // TEST-NET-1, only inside the test's namespaces
    static final String CLIENT_IP = "192.0.2.2";
    private static final String SERVER_MAC = "02:00:c0:00:02:01";
    private static final String CLIENT_MAC = "02:00:c0:00:02:02";

    private final String ss;
    private final NetNamespace server;
    private final NetNamespace client;
    private final String serverLink;
    private final List<SocketChannel> channels = new ArrayList<>();
    private ServerSocketChannel listener;

    private SilentlyCutPath(String ss, NetNamespace server, NetNamespace client, String serverLink) {
        this.ss = ss;
        this.server = server;
        this.client = client;
        this.serverLink = serverLink;
    }

    static SilentlyCutPath open() throws Exception {
        HostCommand.assumeLinux();
        assumeTrue(HostCommand.isRoot(), "skipped: creating network namespaces and veth pairs needs root");
        String ip = HostCommand.assumeTool("ip", "iproute2");
        String ss = HostCommand.assumeTool("ss", "iproute2");
        NetNamespace.deleteOrphans(ip);
        NetNamespace server = null;
        NetNamespace client = null;
        SilentlyCutPath path = null;
        try {
            try {
                server = NetNamespace.create(ip, "srv");
                client = NetNamespace.create(ip, "cli");
                server.call(() -> null); // can this JVM join it?
            } catch (NetNamespace.NamespaceUnavailableException e) {
                assumeTrue(false, "skipped: " + e.getMessage());
            }
            String serverLink = "sobs" + ProcessHandle.current().pid();
            String clientLink = "sobc" + ProcessHandle.current().pid();
            path = new SilentlyCutPath(ss, server, client, serverLink);
            HostCommand.Result veth = HostCommand.run(ip, "link", "add", serverLink, "address", SERVER_MAC, "netns",
                    server.name, "type", "veth", "peer", "name", clientLink, "address", CLIENT_MAC, "netns", client.name);
            assumeTrue(veth.ok(), "skipped: cannot create a veth pair (kernel without veth?): " + veth.stderr().strip());
            server.ip("addr", "add", SERVER_IP + "/24", "dev", serverLink);
            client.ip("addr", "add", CLIENT_IP + "/24", "dev", clientLink);
            server.ip("link", "set", serverLink, "up");
            client.ip("link", "set", clientLink, "up");
            server.ip("neigh", "replace", CLIENT_IP, "lladdr", CLIENT_MAC, "dev", serverLink, "nud", "permanent");
            client.ip("neigh", "replace", SERVER_IP, "lladdr", SERVER_MAC, "dev", clientLink, "nud", "permanent");
            path.listener = server.call(() -> {
                ServerSocketChannel l = ServerSocketChannel.open(StandardProtocolFamily.INET);
                l.bind(new InetSocketAddress(InetAddress.getByName(SERVER_IP), 0));
                return l;
            });
            return path;
        } catch (Throwable e) {
            if (path != null) {
                path.close();
            } else {
                closeQuietly(client);
                closeQuietly(server);
            }
            throw e;
        }
    }

    private static void closeQuietly(NetNamespace namespace) throws IOException {
        if (namespace != null) {
            namespace.close();
        }
    }

    /**
     * A new connection across the path with clientOptions set on the client's end, then traffic
     * both ways, so that both ends have just heard from each other (the clock keep-alive counts
     * from): [0] the client's end (in the client namespace), [1] the server's accepted end.
     */
    SocketChannel[] connect(OptionSettings clientOptions) throws Exception {
        SocketChannel clientEnd = client.call(() -> SocketChannel.open(StandardProtocolFamily.INET));
        channels.add(clientEnd);
        clientEnd.connect(listener.getLocalAddress());
        SocketChannel serverEnd = listener.accept();
        channels.add(serverEnd);
        SocketControl.of(clientEnd).apply(clientOptions);
        pingPong(clientEnd, serverEnd);
        return new SocketChannel[] {clientEnd, serverEnd};
    }

    private static void pingPong(SocketChannel clientEnd, SocketChannel serverEnd) throws IOException {
        clientEnd.write(ByteBuffer.wrap(new byte[] {1}));
        assertEquals(1, serverEnd.read(ByteBuffer.allocate(1)));
        serverEnd.write(ByteBuffer.wrap(new byte[] {2}));
        assertEquals(1, clientEnd.read(ByteBuffer.allocate(1)));
    }

    /** From now on nothing reaches the server and nothing comes back; nobody is told. */
    void cut() throws Exception {
        server.ip("addr", "del", SERVER_IP + "/24", "dev", serverLink);
    }

    /** {@code ss -tnoi} in the client namespace: state, timers and retransmissions of every connection there. */
    String clientSockets() throws Exception {
        return client.exec(ss, "-t", "-n", "-o", "-i", "-H").stdout();
    }

    /** The lines ss printed for the client end of this connection (the socket line and its info line), or "". */
    static String linesOf(String ssOutput, SocketChannel clientEnd) throws IOException {
        String local = CLIENT_IP + ":" + ((InetSocketAddress) clientEnd.getLocalAddress()).getPort() + " ";
        String[] lines = ssOutput.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(local)) {
                return lines[i].strip() + (i + 1 < lines.length && lines[i + 1].startsWith("\t") ? " " + lines[i + 1].strip() : "");
            }
        }
        return "";
    }

    /** The retransmission timeout ss shows in a connection's info line ("rto:204"), in milliseconds. */
    static double retransmissionTimeoutMillis(String ssLines) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\brto:(\\d+(?:\\.\\d+)?)").matcher(ssLines);
        if (!m.find()) {
            throw new IllegalStateException("no rto: in " + ssLines);
        }
        return Double.parseDouble(m.group(1));
    }

    /**
     * A blocking read on its own thread, which the kernel can end only with an error: completes
     * with the nanoTime at which the read failed with ETIMEDOUT ("Connection timed out"), or
     * exceptionally with anything else.
     */
    static CompletableFuture<Long> readUntilTimedOut(SocketChannel channel, String name) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                int n = channel.read(ByteBuffer.allocate(16));
                result.completeExceptionally(new AssertionError(name + ": read returned " + n + " instead of failing"));
            } catch (java.nio.channels.AsynchronousCloseException e) {
                result.completeExceptionally(e); // closed by the test at the end
            } catch (IOException e) {
                long at = System.nanoTime();
                if (String.valueOf(e.getMessage()).contains("Connection timed out")) {
                    result.complete(at);
                } else {
                    result.completeExceptionally(new AssertionError(name + ": expected ETIMEDOUT, got " + e, e));
                }
            }
        }, "read-" + name);
        reader.setDaemon(true);
        reader.start();
        return result;
    }

    /** How a read that should still be blocked ended, for failure messages. */
    static String outcome(CompletableFuture<Long> read) {
        try {
            return "read ended at " + read.getNow(null);
        } catch (RuntimeException e) {
            return String.valueOf(e.getCause());
        }
    }

    static double secondsBetween(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e9;
    }

    @Override
    public void close() throws IOException {
        for (SocketChannel channel : channels) {
            channel.close();
        }
        if (listener != null) {
            listener.close();
        }
        client.close(); // deleting a namespace also destroys the veth end inside it
        server.close();
    }
}
