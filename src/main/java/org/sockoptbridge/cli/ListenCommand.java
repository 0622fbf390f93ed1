package org.sockoptbridge.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sockoptbridge.AcceptQueue;
import org.sockoptbridge.AcceptedSocketPolicy;
import org.sockoptbridge.BacklogReport;
import org.sockoptbridge.InvalidOptionValueException;
import org.sockoptbridge.ListenCounters;
import org.sockoptbridge.ListenerBuilder;
import org.sockoptbridge.OptionName;
import org.sockoptbridge.OptionSettings;
import org.sockoptbridge.SocketControl;
import org.sockoptbridge.SockoptBridge;
import org.sockoptbridge.SockoptException;

/**
 * {@code listen}: a listener made by {@link ListenerBuilder} with the given options, which tells
 * every client what its accepted socket really holds, then keeps the connection open (echoing
 * what the client sends) until the client closes it, the kernel drops it or --duration ends, and
 * says which. For checking what a host, a container or a load balancer path does with the
 * options, keep-alive included. One selector thread holds every connection.
 */
final class ListenCommand {
    /**
     * The longest --duration: the deadline is timed with System.nanoTime() differences, which
     * hold at most Long.MAX_VALUE nanoseconds (about 292 years).
     */
    static final long MAX_DURATION_SECONDS = Long.MAX_VALUE / 1_000_000_000L;
    /** How long accepting pauses after accept() failed (such as EMFILE: out of file descriptors). */
    private static final long ACCEPT_RETRY_NANOS = 100_000_000L;

    static final CommandSpec SPEC = new CommandSpec("listen",
            List.of("Opens a TCP listener with the given options, holds every connection it accepts and prints "
                    + "how each one ended.",
                    "The first line is the bound address and the options the kernel holds. For each accepted "
                    + "connection it prints the connection's effective options and sends that line to the client, "
                    + "then keeps the connection open, echoing what the client sends, until the client closes it, "
                    + "the kernel drops it or --duration ends, and prints a 'closed' line: how long it lived and "
                    + "why (peer-closed, reset, keepalive, user-timeout, retransmission, timed-out, duration, "
                    + "error). One thread holds every connection.",
                    "Runs until --duration elapses or it is interrupted."),
            options(),
            List.of("0:ran for --duration", "1:could not listen (such as EADDRINUSE)",
                    "2:usage error (including a --host that does not resolve), or a value this platform does not "
                            + "accept"));

    private static List<CommandSpec.Opt> options() {
        List<CommandSpec.Opt> options = new ArrayList<>(List.of(
                new CommandSpec.Opt("host", "H", false,
                        "Address or host name to bind (default: :: where IPv6 works, else 0.0.0.0); "
                                + "an IPv6 address may name its interface: fe80::1%eth0."),
                new CommandSpec.Opt("port", "P", false, "Port; 0 picks a free one (the default)."),
                new CommandSpec.Opt("ipv6-only", null, false, "Set IPV6_V6ONLY before bind (IPv6 addresses only)."),
                new CommandSpec.Opt("reuse-port", null, false, "Set SO_REUSEPORT before bind."),
                new CommandSpec.Opt("backlog", "N", false, "Accept queue length to ask for (default 128).")));
        options.addAll(ConnectionOptions.opts());
        options.addAll(List.of(
                new CommandSpec.Opt("duration", "SECONDS", false,
                        "Stop after this long, 1.." + MAX_DURATION_SECONDS + " (default: never); connections "
                                + "still open then end with reason 'duration'."),
                new CommandSpec.Opt("accept-delay", "DURATION", false,
                        "After each accepted connection, accept nothing for this long (500ms, 2s, 1m; a plain "
                                + "number is seconds): a blocked accept loop, to let the accept queue fill."),
                new CommandSpec.Opt("watch", "[INTERVAL]", false,
                        "Every INTERVAL (default 1s) print the accept queue's length and limit and what the "
                                + "host's drop counters (/proc/net/netstat TcpExt) rose by since start; "
                                + "null/unknown where the host does not keep one."),
                new CommandSpec.Opt("json", null, false, "Print one JSON object per line.")));
        return options;
    }

    private final Arguments arguments;
    private final PrintWriter err;
    private final String host;
    private final int port;
    private final boolean ipv6Only;
    private final boolean reusePort;
    private final Integer backlog;
    private final ConnectionOptions connectionOptions;
    private final Long durationSeconds;
    private final Output output;
    private final Duration acceptDelay;
    private final Duration watchInterval; // null: no --watch

    /** Reads and converts every option; a value that is not a number is a usage error here. */
    ListenCommand(Arguments arguments, PrintWriter err) {
        this.arguments = arguments;
        this.err = err;
        host = arguments.string("host");
        Integer portValue = arguments.integer("port");
        port = portValue == null ? 0 : portValue;
        ipv6Only = arguments.flag("ipv6-only");
        reusePort = arguments.flag("reuse-port");
        backlog = arguments.integer("backlog");
        connectionOptions = ConnectionOptions.read(arguments);
        durationSeconds = durationSeconds(arguments);
        output = new Output(arguments.flag("json"));
        acceptDelay = arguments.duration("accept-delay");
        Duration interval = arguments.duration("watch");
        watchInterval = interval != null ? interval : arguments.flag("watch") ? Duration.ofSeconds(1) : null;
    }

    int call() throws IOException {
        // All of the command line first: a usage error must not bind a port, even for a moment.
        validateUsage();
        InetAddress address = host != null ? Hosts.resolve(arguments, "--host", host)
                : InetAddress.getByName(SockoptBridge.capabilities().ipv6Available() ? "::" : "0.0.0.0");
        if (ipv6Only && !(address instanceof Inet6Address)) {
            throw usage("--ipv6-only needs an IPv6 --host, got " + address.getHostAddress());
        }
        // Validated against this platform's ranges before binding (a bad value exits 2, see Main).
        OptionSettings perConnection = connectionOptions.isEmpty() ? null : connectionOptions.settings();
        ListenerBuilder builder = ListenerBuilder.tcp(new InetSocketAddress(address, port));
        if (ipv6Only) {
            builder.ipv6Only(true);
        }
        if (reusePort) {
            builder.reusePort(true);
        }
        if (backlog != null) {
            builder.backlog(backlog);
        }
        // Buffer sizes on the listener before listen() in any case: the window scale a SYN-ACK
        // offers comes from the listener's receive buffer, whether or not accepted sockets inherit it.
        if (connectionOptions.value(OptionName.SO_RCVBUF) instanceof Integer bytes) {
            builder.receiveBufferSize(bytes);
        }
        if (connectionOptions.value(OptionName.SO_SNDBUF) instanceof Integer bytes) {
            builder.sendBufferSize(bytes);
        }
        if (perConnection != null) {
            builder.acceptedSocketPolicy(perConnection);
        }
        ServerSocketChannel listener;
        try {
            listener = builder.bind();
        } catch (InvalidOptionValueException e) {
            throw e; // exit 2, see Main
        } catch (IOException | SockoptException e) {
            err.println("error: cannot listen on " + address.getHostAddress() + " port " + port
                    + ": " + e.getMessage());
            return Main.EXIT_CHECK_FAILED;
        }
        try (listener; Selector selector = Selector.open()) {
            printListening(listener, builder.backlogReport(), builder.policy());
            serve(listener, selector, builder.policy());
        }
        return Main.EXIT_OK;
    }

    /** --duration in seconds, 1..MAX_DURATION_SECONDS, or null when not given (listen and connect). */
    static Long durationSeconds(Arguments arguments) {
        Long seconds = arguments.longValue("duration");
        if (seconds != null && (seconds < 1 || seconds > MAX_DURATION_SECONDS)) {
            throw arguments.usage("--duration must be 1.." + MAX_DURATION_SECONDS + " seconds (the longest the JVM's "
                    + "clock can time, about 292 years), got " + seconds);
        }
        return seconds;
    }

    private void validateUsage() {
        // ListenerBuilder.backlog throws IllegalArgumentException for these: a usage error here, before binding.
        if (backlog != null && backlog < 1) {
            throw usage("--backlog must be at least 1, got " + backlog);
        }
        if (watchInterval != null && (watchInterval.toMillis() < 10 || watchInterval.toDays() > 1)) {
            throw usage("--watch interval must be 10ms..1d, got '" + arguments.string("watch") + "'");
        }
        if (acceptDelay != null && acceptDelay.toDays() > 1) {
            throw usage("--accept-delay must be at most 1d, got '" + arguments.string("accept-delay") + "'");
        }
        if (port < 0 || port > 65535) {
            throw usage("--port must be 0..65535, got " + port);
        }
    }

    private UsageException usage(String message) {
        return arguments.usage(message);
    }

    private void serve(ServerSocketChannel listener, Selector selector, AcceptedSocketPolicy policy) throws IOException {
        listener.configureBlocking(false);
        SelectionKey listenerKey = listener.register(selector, SelectionKey.OP_ACCEPT);
        HeldConnections held = new HeldConnections(selector, output, true);
        // Elapsed time, not a deadline: start + duration may overflow, a difference of nanoTime()
        // values does not (validateUsage keeps the duration within Long.MAX_VALUE nanoseconds).
        long start = System.nanoTime();
        long durationNanos = durationSeconds == null ? Long.MAX_VALUE : durationSeconds * 1_000_000_000L;
        Watch watch = watchInterval == null ? null : new Watch(SocketControl.of(listener));
        long nextWatch = 0; // elapsed nanos of the next --watch line
        long acceptFrom = 0; // elapsed nanos before which --accept-delay (or an accept error) keeps the loop from accepting
        String lastAcceptError = null;
        while (true) {
            long elapsed = System.nanoTime() - start;
            if (elapsed >= durationNanos) {
                held.endAll();
                return;
            }
            if (watch != null && elapsed >= nextWatch) {
                watch.print(start);
                nextWatch = elapsed + watchInterval.toNanos();
            }
            boolean accepting = elapsed >= acceptFrom;
            // While delayed, the listener is not selected for accept: it would be ready at once and spin.
            listenerKey.interestOps(accepting ? SelectionKey.OP_ACCEPT : 0);
            long waitNanos = durationNanos - elapsed;
            if (watch != null) {
                waitNanos = Math.min(waitNanos, nextWatch - elapsed);
            }
            if (!accepting) {
                waitNanos = Math.min(waitNanos, acceptFrom - elapsed);
            }
            selector.select(Math.max(1, Math.min(waitNanos / 1_000_000, 60_000)));
            boolean acceptReady = false;
            for (SelectionKey key : selector.selectedKeys()) {
                if (key == listenerKey) {
                    acceptReady = true;
                } else if (key.isValid()) {
                    held.handle(key);
                }
            }
            selector.selectedKeys().clear();
            if (!acceptReady || System.nanoTime() - start < acceptFrom) {
                continue;
            }
            while (true) {
                SocketChannel connection;
                try {
                    connection = listener.accept();
                } catch (IOException e) {
                    // Out of file descriptors (EMFILE, ENFILE) or memory: the listener stays ready and
                    // would spin, so pause accepting; say so once per distinct error.
                    if (!String.valueOf(e.getMessage()).equals(lastAcceptError)) {
                        lastAcceptError = String.valueOf(e.getMessage());
                        err.println("accept: " + lastAcceptError + " (holding " + held.open()
                                + " connections; accepting again every " + ACCEPT_RETRY_NANOS / 1_000_000 + " ms)");
                    }
                    acceptFrom = System.nanoTime() - start + ACCEPT_RETRY_NANOS;
                    break;
                }
                if (connection == null) {
                    break;
                }
                if (watch != null) {
                    watch.accepted++;
                }
                accept(connection, policy, held);
                if (acceptDelay != null && !acceptDelay.isZero()) {
                    // One connection, then the loop is "busy": the kernel keeps completing
                    // handshakes into the accept queue until it is full, then drops.
                    acceptFrom = System.nanoTime() - start + acceptDelay.toNanos();
                    break;
                }
            }
        }
    }

    /** Applies the policy, prints the accepted line, sends it to the client, and holds the connection. */
    private void accept(SocketChannel connection, AcceptedSocketPolicy policy, HeldConnections held) {
        try {
            if (policy != null) {
                policy.applyTo(connection);
            }
            SocketControl control = SocketControl.of(connection);
            byte[] line = report(connection, control);
            held.hold(connection, control, ConnectionEnd.Setup.read(connection, control), line);
        } catch (IOException | SockoptException e) {
            err.println("connection: " + e.getMessage());
            try {
                connection.close();
            } catch (IOException closing) {
                // it failed already; the line above says why
            }
        }
    }

    /** --watch: the queue now and the host's drop counters since start, one line per interval. */
    private final class Watch {
        private final SocketControl control;
        private final ListenCounters atStart;
        int accepted;

        Watch(SocketControl control) {
            this.control = control;
            this.atStart = ListenCounters.read();
        }

        void print(long startNanos) {
            AcceptQueue queue;
            try {
                queue = control.acceptQueue();
            } catch (SockoptException e) {
                queue = null; // the platform does not report it: unknown, printed as null
            }
            ListenCounters delta = ListenCounters.read().since(atStart);
            // The time of the readings, not of the loop's turn: a descheduled loop must not date them early.
            long elapsedNanos = delta.nanoTime() - startNanos;
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("event", "watch");
            line.put("seconds", Math.round(elapsedNanos / 1e7) / 100.0);
            Map<String, Object> queueMap = new LinkedHashMap<>();
            queueMap.put("length", queue == null ? null : queue.length());
            queueMap.put("limit", queue == null ? null : queue.limit());
            queueMap.put("full", queue == null ? null : queue.isFull());
            line.put("queue", queueMap);
            line.put("accepted", accepted);
            line.put("sinceStart", delta.asMap());
            StringBuilder text = new StringBuilder(String.format("watch %7.2fs queue %s accepted %d",
                    elapsedNanos / 1e9, queue == null ? "unknown" : queue.length() + "/" + queue.limit()
                            + (queue.isFull() ? " FULL" : ""), accepted));
            for (Map.Entry<String, Long> counter : delta.asMap().entrySet()) {
                text.append(' ').append(counter.getKey()).append(counter.getValue() == null ? "=unknown" : "+" + counter.getValue());
            }
            output.print(line, text.toString());
        }
    }

    private void printListening(ServerSocketChannel listener, BacklogReport backlogReport, AcceptedSocketPolicy policy)
            throws IOException {
        InetSocketAddress local = (InetSocketAddress) listener.getLocalAddress();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "listening");
        line.put("address", local.getAddress().getHostAddress());
        line.put("port", local.getPort());
        line.put("options", ConnectionOptions.effective(SocketControl.of(listener), true,
                local.getAddress() instanceof Inet6Address));
        Map<String, Object> backlogMap = new LinkedHashMap<>();
        backlogMap.put("requested", backlogReport.requested());
        backlogMap.put("hostCapSetting", backlogReport.hostCap().setting());
        backlogMap.put("hostCap", backlogReport.hostCap().isKnown() ? backlogReport.hostCap().value() : null);
        backlogMap.put("effective", backlogReport.effectiveKnown() ? backlogReport.effective() : null);
        backlogMap.put("unknownReason", backlogReport.effectiveKnown() ? null : backlogReport.toString());
        line.put("backlog", backlogMap);
        if (policy != null) {
            line.put("policyInheritedFromListener", policy.inheritedFromListener());
        }
        output.print(line, "listening on " + Hosts.format(local) + " " + ConnectionOptions.text(line) + " ("
                + backlogReport + ")" + (policy == null ? "" : policy.inheritedFromListener()
                        ? "; per-connection options set once on the listener, accepted sockets inherit them"
                        : "; per-connection options applied to each accepted socket"));
    }

    /** Prints the accepted line and returns its bytes, which the client is sent. */
    private byte[] report(SocketChannel accepted, SocketControl control) throws IOException {
        InetSocketAddress peer = (InetSocketAddress) accepted.getRemoteAddress();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "accepted");
        line.put("peer", Hosts.format(peer));
        line.put("local", Hosts.format((InetSocketAddress) accepted.getLocalAddress()));
        line.put("options", ConnectionOptions.effective(control, false, false));
        return output.print(line, "accepted " + Hosts.format(peer) + " " + ConnectionOptions.text(line));
    }
}
