package org.sockoptbridge.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sockoptbridge.SocketControl;

/**
 * Open connections kept on one selector thread until the peer closes them, the kernel drops
 * them, or the owner ends them: thousands of idle connections cost a file descriptor and a few
 * objects each, never a thread. Each ending prints one {@code closed} line ({@link ConnectionEnd}).
 * {@code listen} echoes what a client sends; {@code connect} only counts what arrives.
 */
final class HeldConnections {
    /**
     * What one read takes at most. Echoed bytes that the peer does not take stay in the
     * connection's own buffer, and the connection is not read again until they are written: a
     * peer that sends without reading fills its own window, not this process's memory.
     */
    private static final int READ_SIZE = 16 * 1024;

    private final Selector selector;
    private final Output output;
    private final boolean echo;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_SIZE);
    private int open;
    private ConnectionEnd lastEnd;

    /** One held connection, attached to its selection key. */
    private static final class Held {
        final SocketChannel channel;
        final SocketControl control;
        final ConnectionEnd.Setup setup;
        final String peer;
        final String local;
        final long startNanos = System.nanoTime();
        long bytesIn;
        long bytesOut;
        ByteBuffer unsent; // null when everything was written

        Held(SocketChannel channel, SocketControl control, ConnectionEnd.Setup setup) throws IOException {
            this.channel = channel;
            this.control = control;
            this.setup = setup;
            this.peer = Hosts.format((InetSocketAddress) channel.getRemoteAddress());
            this.local = Hosts.format((InetSocketAddress) channel.getLocalAddress());
        }
    }

    HeldConnections(Selector selector, Output output, boolean echo) {
        this.selector = selector;
        this.output = output;
        this.echo = echo;
    }

    /** Connections held now. */
    int open() {
        return open;
    }

    /**
     * Holds a connected channel (made non-blocking here) and sends it {@code greeting} first, if
     * any. On failure the channel is closed and its end printed.
     */
    void hold(SocketChannel channel, SocketControl control, ConnectionEnd.Setup setup, byte[] greeting)
            throws IOException {
        Held held = new Held(channel, control, setup);
        channel.configureBlocking(false);
        SelectionKey key = channel.register(selector, SelectionKey.OP_READ, held);
        open++;
        if (greeting != null && greeting.length > 0) {
            held.unsent = ByteBuffer.wrap(greeting);
            flush(key, held);
        }
    }

    /** How the connection that ended last ended, or null if none has. */
    ConnectionEnd lastEnd() {
        return lastEnd;
    }

    /** True if the key is one of these connections'. */
    boolean owns(SelectionKey key) {
        return key.attachment() instanceof Held;
    }

    /** Reads, echoes or writes for one ready connection; prints its end if it ended. */
    void handle(SelectionKey key) {
        Held held = (Held) key.attachment();
        try {
            if (held.unsent != null) {
                flush(key, held);
                return;
            }
            readBuffer.clear();
            int n = held.channel.read(readBuffer);
            if (n < 0) {
                end(key, held, ConnectionEnd.peerClosed(ConnectionEnd.tcpInfo(held.control)));
                return;
            }
            held.bytesIn += n;
            if (echo && n > 0) {
                readBuffer.flip();
                held.bytesOut += held.channel.write(readBuffer);
                if (readBuffer.hasRemaining()) {
                    held.unsent = ByteBuffer.allocate(readBuffer.remaining()).put(readBuffer).flip();
                    key.interestOps(SelectionKey.OP_WRITE);
                }
            }
        } catch (IOException e) {
            boolean sendBlocked = held.unsent != null;
            end(key, held, ConnectionEnd.failed(e, ConnectionEnd.tcpInfo(held.control), held.setup, sendBlocked));
        }
    }

    private void flush(SelectionKey key, Held held) throws IOException {
        held.bytesOut += held.channel.write(held.unsent);
        if (held.unsent.hasRemaining()) {
            key.interestOps(SelectionKey.OP_WRITE);
        } else {
            held.unsent = null;
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    /** Ends every held connection (--duration, or the command stops), printing each one's line. */
    void endAll() {
        List<SelectionKey> keys = new ArrayList<>();
        for (SelectionKey key : selector.keys()) {
            if (key.isValid() && owns(key)) {
                keys.add(key);
            }
        }
        for (SelectionKey key : keys) {
            Held held = (Held) key.attachment();
            end(key, held, ConnectionEnd.durationEnded(ConnectionEnd.tcpInfo(held.control)));
        }
    }

    /** Reads nothing more: the counters first (they vanish with the socket), then close, then the line. */
    private void end(SelectionKey key, Held held, ConnectionEnd end) {
        double seconds = Math.round((System.nanoTime() - held.startNanos) / 1e7) / 100.0;
        key.cancel();
        try {
            held.channel.close();
        } catch (IOException e) {
            // closing a connection that already failed: its end is what the line reports
        }
        open--;
        lastEnd = end;
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "closed");
        line.put("peer", held.peer);
        line.put("local", held.local);
        line.putAll(end.fields(seconds, held.bytesIn, held.bytesOut));
        output.print(line, "closed " + held.peer + " " + end.text(seconds, held.bytesIn, held.bytesOut));
    }
}
