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

/**
 * A TCP path that can be cut without a word: {@link TwoHosts} (two network namespaces joined by a
 * veth pair), a listener in the server one, connections from the client one. {@link #cut()} removes the
 * server's address, so every packet to it is dropped with no reset and no ICMP (with forwarding
 * off, net/ipv4/route.c routes it to ip_error, which drops it silently), exactly what a peer that
 * lost power or a middlebox that forgot the flow looks like. Neighbour entries are permanent, so
 * no ARP failure (EHOSTUNREACH) can end a connection either: only the kernel's timers can.
 *
 * <p>{@link #open()} skips the calling test, with the reason, where the host cannot do this (not
 * Linux, not root, no iproute2, no namespaces or veth).
 */
final class SilentlyCutPath implements AutoCloseable {
    static final String SERVER_IP = TwoHosts.SERVER_IP;
    static final String CLIENT_IP = TwoHosts.CLIENT_IP;

    private final String ss;
    private final TwoHosts hosts;
    private final List<SocketChannel> channels = new ArrayList<>();
    private ServerSocketChannel listener;

    private SilentlyCutPath(String ss, TwoHosts hosts) {
        this.ss = ss;
        this.hosts = hosts;
    }

    static SilentlyCutPath open() throws Exception {
        String ss = HostCommand.assumeTool("ss", "iproute2");
        SilentlyCutPath path = new SilentlyCutPath(ss, TwoHosts.create()); // skips the test where it cannot
        try {
            path.listener = path.hosts.server().call(() -> {
                ServerSocketChannel l = ServerSocketChannel.open(StandardProtocolFamily.INET);
                l.bind(new InetSocketAddress(InetAddress.getByName(SERVER_IP), 0));
                return l;
            });
            return path;
        } catch (Throwable e) {
            path.close();
            throw e;
        }
    }

    /**
     * A new connection across the path with clientOptions set on the client's end, then traffic
     * both ways, so that both ends have just heard from each other (the clock keep-alive counts
     * from): [0] the client's end (in the client namespace), [1] the server's accepted end.
     */
    SocketChannel[] connect(OptionSettings clientOptions) throws Exception {
        SocketChannel clientEnd = hosts.client().call(() -> SocketChannel.open(StandardProtocolFamily.INET));
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
        hosts.cutServer();
    }

    /** {@code ss -tnoi} in the client namespace: state, timers and retransmissions of every connection there. */
    String clientSockets() throws Exception {
        return hosts.client().exec(ss, "-t", "-n", "-o", "-i", "-H").stdout();
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
        hosts.close(); // deleting the namespaces also destroys the veth pair
    }
}
