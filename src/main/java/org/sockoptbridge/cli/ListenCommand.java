package org.sockoptbridge.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
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
import org.sockoptbridge.SockOpt;
import org.sockoptbridge.SocketControl;
import org.sockoptbridge.SockoptBridge;
import org.sockoptbridge.SockoptException;

/**
 * {@code listen}: a listener made by {@link ListenerBuilder} with the given options, which tells
 * every client what its accepted socket really holds. For checking what a host, a container or
 * a load balancer path does with the options.
 */
final class ListenCommand {
    /**
     * The longest --duration: the deadline is timed with System.nanoTime() differences, which
     * hold at most Long.MAX_VALUE nanoseconds (about 292 years).
     */
    static final long MAX_DURATION_SECONDS = Long.MAX_VALUE / 1_000_000_000L;

    static final CommandSpec SPEC = new CommandSpec("listen",
            List.of("Opens a TCP listener through the bridge's listener builder and accepted-socket policy, "
                    + "prints the bound address and the options the kernel holds (first line), then for each "
                    + "accepted connection prints its effective options and sends that line to the client.",
                    "Runs until --duration elapses or it is interrupted."),
            List.of(new CommandSpec.Opt("host", "H", false,
                            "Address or host name to bind (default: :: where IPv6 works, else 0.0.0.0); "
                                    + "an IPv6 address may name its interface: fe80::1%eth0."),
                    new CommandSpec.Opt("port", "P", false, "Port; 0 picks a free one (the default)."),
                    new CommandSpec.Opt("ipv6-only", null, false, "Set IPV6_V6ONLY before bind (IPv6 addresses only)."),
                    new CommandSpec.Opt("reuse-port", null, false, "Set SO_REUSEPORT before bind."),
                    new CommandSpec.Opt("backlog", "N", false, "Accept queue length to ask for (default 128)."),
                    new CommandSpec.Opt("rcvbuf", "BYTES", false, "SO_RCVBUF on the listener, before listen()."),
                    new CommandSpec.Opt("sndbuf", "BYTES", false, "SO_SNDBUF on the listener, before listen()."),
                    new CommandSpec.Opt("keepalive", "IDLE,INTERVAL,COUNT", false,
                            "Keep-alive for accepted connections: idle and interval seconds, probe count."),
                    new CommandSpec.Opt("duration", "SECONDS", false,
                            "Stop after this long, 1.." + MAX_DURATION_SECONDS + " (default: never)."),
                    new CommandSpec.Opt("accept-delay", "DURATION", false,
                            "After each accepted connection, accept nothing for this long (500ms, 2s, 1m; a plain "
                                    + "number is seconds): a blocked accept loop, to let the accept queue fill."),
                    new CommandSpec.Opt("watch", "[INTERVAL]", false,
                            "Every INTERVAL (default 1s) print the accept queue's length and limit and what the "
                                    + "host's drop counters (/proc/net/netstat TcpExt) rose by since start; "
                                    + "null/unknown where the host does not keep one."),
                    new CommandSpec.Opt("json", null, false, "Print one JSON object per line.")),
            List.of("0:ran for --duration", "1:could not listen (such as EADDRINUSE)",
                    "2:usage error (including a --host that does not resolve), or a value this platform does not "
                            + "accept"));

    private final Arguments arguments;
    private final PrintWriter err;
    private final String host;
    private final int port;
    private final boolean ipv6Only;
    private final boolean reusePort;
    private final Integer backlog;
    private final Integer receiveBuffer;
    private final Integer sendBuffer;
    private final List<Integer> keepAlive;
    private final Long durationSeconds;
    private final boolean json;
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
        receiveBuffer = arguments.integer("rcvbuf");
        sendBuffer = arguments.integer("sndbuf");
        keepAlive = keepAlive(arguments.string("keepalive"));
        durationSeconds = arguments.longValue("duration");
        json = arguments.flag("json");
        acceptDelay = arguments.duration("accept-delay");
        Duration interval = arguments.duration("watch");
        watchInterval = interval != null ? interval : arguments.flag("watch") ? Duration.ofSeconds(1) : null;
    }

    /** IDLE,INTERVAL,COUNT as numbers, or null; how many and their range are checked in validateUsage. */
    private List<Integer> keepAlive(String text) {
        if (text == null) {
            return null;
        }
        List<Integer> values = new ArrayList<>();
        for (String piece : text.split(",", -1)) { // -1: "60,10," has an empty third value, not two values
            try {
                values.add(Integer.parseInt(piece));
            } catch (NumberFormatException e) {
                throw usage("--keepalive takes IDLE,INTERVAL,COUNT: three positive numbers, got '" + text + "'");
            }
        }
        return values;
    }

    int call() throws IOException {
        // All of the command line first: a usage error must not bind a port, even for a moment.
        validateUsage();
        InetAddress address = host != null ? resolveHost(host)
                : InetAddress.getByName(SockoptBridge.capabilities().ipv6Available() ? "::" : "0.0.0.0");
        if (ipv6Only && !(address instanceof Inet6Address)) {
            throw usage("--ipv6-only needs an IPv6 --host, got " + address.getHostAddress());
        }
        ListenerBuilder builder = ListenerBuilder.tcp(new InetSocketAddress(address, port));
        OptionSettings.Builder policy = OptionSettings.builder();
        if (ipv6Only) {
            builder.ipv6Only(true);
        }
        if (reusePort) {
            builder.reusePort(true);
        }
        if (backlog != null) {
            builder.backlog(backlog);
        }
        if (receiveBuffer != null) {
            builder.receiveBufferSize(receiveBuffer);
        }
        if (sendBuffer != null) {
            builder.sendBufferSize(sendBuffer);
        }
        if (keepAlive != null) {
            policy.keepAlive(Duration.ofSeconds(keepAlive.get(0)), Duration.ofSeconds(keepAlive.get(1)), keepAlive.get(2));
            builder.acceptedSocketPolicy(policy.build());
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

    private void validateUsage() {
        if (keepAlive != null && (keepAlive.size() != 3 || keepAlive.stream().anyMatch(v -> v < 1))) {
            throw usage("--keepalive takes IDLE,INTERVAL,COUNT: three positive numbers, got '"
                    + arguments.string("keepalive") + "'");
        }
        if (durationSeconds != null && (durationSeconds < 1 || durationSeconds > MAX_DURATION_SECONDS)) {
            throw usage("--duration must be 1.." + MAX_DURATION_SECONDS + " seconds (the longest the JVM's clock "
                    + "can time, about 292 years), got " + durationSeconds);
        }
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

    /**
     * The address to bind, or a usage error a person can act on. Checked here because
     * InetAddress.getByName reads an empty host as the loopback address, and its exceptions say
     * "no scope_id found" or only the class name where the user needs the option and the value.
     */
    private InetAddress resolveHost(String host) {
        String option = "--host '" + host + "'";
        if (host.isBlank()) {
            throw usage(option + ": give an address or a host name (an empty one would mean the loopback address)");
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        int percent = literal.indexOf('%');
        String address = percent < 0 ? literal : literal.substring(0, percent);
        String zone = percent < 0 ? null : literal.substring(percent + 1);
        boolean ipv6Literal = address.contains(":");
        // The JDK parses text that starts with a hex digit or ':' as an address; anything else with
        // a colon would go to the resolver (and maybe wait for a DNS timeout) only to fail.
        if (ipv6Literal
                && (address.isEmpty() || !(address.charAt(0) == ':' || Character.digit(address.charAt(0), 16) >= 0))) {
            throw usage(option + " is not a valid IPv6 address");
        }
        if (zone != null) {
            if (!ipv6Literal) {
                throw usage(option + ": only an IPv6 address takes a %zone (an interface name or index)");
            }
            checkZone(option, zone);
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            if (!ipv6Literal) {
                // The resolver's own words (such as "Name or service not known") tell a typo from an outage.
                String prefix = host + ": ";
                String reason = e.getMessage() != null && e.getMessage().startsWith(prefix)
                        ? " (" + e.getMessage().substring(prefix.length()) + ")" : "";
                throw usage(option + " does not resolve to an address" + reason);
            }
            if (zone != null && isAddress(address)) {
                // The zone names a real interface: the JDK found no address on it to take the scope from.
                throw usage(option + ": cannot scope " + address + " to interface '" + zone + "': the JDK takes "
                        + "the scope from an IPv6 address of the same kind (link-local, site-local) on that "
                        + "interface, and it has none");
            }
            throw usage(option + " is not a valid IPv6 address");
        }
    }

    /** A zone must name an interface this host has, by name or by index. */
    private void checkZone(String option, String zone) {
        if (zone.isEmpty()) {
            throw usage(option + ": nothing after %; give an interface name or index");
        }
        try {
            if (zone.chars().allMatch(c -> c >= '0' && c <= '9')) {
                // The JDK takes any number as a scope id; the kernel would only refuse it at bind.
                if (zone.length() > 9 || java.net.NetworkInterface.getByIndex(Integer.parseInt(zone)) == null) {
                    throw usage(option + ": no network interface with index " + zone);
                }
            } else if (java.net.NetworkInterface.getByName(zone) == null) {
                throw usage(option + ": no network interface named '" + zone + "'");
            }
        } catch (java.net.SocketException e) {
            // Interfaces cannot be listed here: let the JDK and the kernel judge the address.
        }
    }

    private static boolean isAddress(String ipv6Literal) {
        try {
            InetAddress.getByName(ipv6Literal); // a literal: parsed, never looked up
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private UsageException usage(String message) {
        return arguments.usage(message);
    }

    private void serve(ServerSocketChannel listener, Selector selector, AcceptedSocketPolicy policy) throws IOException {
        listener.configureBlocking(false);
        SelectionKey key = listener.register(selector, SelectionKey.OP_ACCEPT);
        // Elapsed time, not a deadline: start + duration may overflow, a difference of nanoTime()
        // values does not (validateUsage keeps the duration within Long.MAX_VALUE nanoseconds).
        long start = System.nanoTime();
        long durationNanos = durationSeconds == null ? Long.MAX_VALUE : durationSeconds * 1_000_000_000L;
        Watch watch = watchInterval == null ? null : new Watch(SocketControl.of(listener));
        long nextWatch = 0; // elapsed nanos of the next --watch line
        long acceptFrom = 0; // elapsed nanos before which --accept-delay keeps the loop from accepting
        while (true) {
            long elapsed = System.nanoTime() - start;
            if (elapsed >= durationNanos) {
                return;
            }
            if (watch != null && elapsed >= nextWatch) {
                watch.print(start);
                nextWatch = elapsed + watchInterval.toNanos();
            }
            boolean accepting = elapsed >= acceptFrom;
            // While delayed, the listener is not selected for accept: it would be ready at once and spin.
            key.interestOps(accepting ? SelectionKey.OP_ACCEPT : 0);
            long waitNanos = durationNanos - elapsed;
            if (watch != null) {
                waitNanos = Math.min(waitNanos, nextWatch - elapsed);
            }
            if (!accepting) {
                waitNanos = Math.min(waitNanos, acceptFrom - elapsed);
            }
            selector.select(Math.max(1, Math.min(waitNanos / 1_000_000, 60_000)));
            selector.selectedKeys().clear();
            if (System.nanoTime() - start < acceptFrom) {
                continue;
            }
            SocketChannel connection;
            while ((connection = listener.accept()) != null) {
                try (SocketChannel accepted = connection) {
                    if (watch != null) {
                        watch.accepted++;
                    }
                    if (policy != null) {
                        policy.applyTo(accepted);
                    }
                    report(accepted);
                } catch (IOException | SockoptException e) {
                    System.err.println("connection: " + e.getMessage());
                }
                if (acceptDelay != null && !acceptDelay.isZero()) {
                    // One connection, then the loop is "busy": the kernel keeps completing
                    // handshakes into the accept queue until it is full, then drops.
                    acceptFrom = System.nanoTime() - start + acceptDelay.toNanos();
                    break;
                }
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
            ListenCommand.this.print(line, json ? null : text.toString());
        }
    }

    private void printListening(ServerSocketChannel listener, BacklogReport backlogReport, AcceptedSocketPolicy policy)
            throws IOException {
        InetSocketAddress local = (InetSocketAddress) listener.getLocalAddress();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "listening");
        line.put("address", local.getAddress().getHostAddress());
        line.put("port", local.getPort());
        line.put("options", effectiveOptions(SocketControl.of(listener), true, local.getAddress() instanceof Inet6Address));
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
        print(line, json ? null : "listening on " + format(local) + " " + optionsText(line) + " (" + backlogReport + ")"
                + (policy == null ? "" : policy.inheritedFromListener()
                        ? "; keep-alive set once on the listener, accepted sockets inherit it"
                        : "; keep-alive applied to each accepted socket"));
    }

    private void report(SocketChannel accepted) throws IOException {
        InetSocketAddress peer = (InetSocketAddress) accepted.getRemoteAddress();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "accepted");
        line.put("peer", format(peer));
        line.put("local", format((InetSocketAddress) accepted.getLocalAddress()));
        line.put("options", effectiveOptions(SocketControl.of(accepted), false, false));
        String text = json ? null : "accepted " + format(peer) + " " + optionsText(line);
        byte[] sent = print(line, text);
        ByteBuffer buffer = ByteBuffer.wrap(sent);
        accepted.configureBlocking(true);
        while (buffer.hasRemaining()) {
            accepted.write(buffer);
        }
    }

    /** Prints one line (JSON, or the given text) and returns its bytes for the client. */
    private byte[] print(Map<String, Object> line, String text) {
        byte[] bytes;
        if (text == null) {
            java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
            Json.writeLine(line, buffer);
            bytes = buffer.toByteArray();
        } else {
            bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        }
        PrintStream out = System.out;
        out.write(bytes, 0, bytes.length);
        out.flush();
        return bytes;
    }

    /** Option name to the value the kernel holds: seconds or milliseconds (the option's unit), bytes (as the kernel counts), booleans. */
    private static Map<String, Object> effectiveOptions(SocketControl control, boolean listener, boolean ipv6) {
        Map<String, Object> options = new LinkedHashMap<>();
        for (OptionName option : OptionName.values()) {
            // From the spec: before-bind options mean something on the listener only, IPv6 ones on IPv6 only.
            boolean applies = (!option.beforeBindOnly() || listener)
                    && (option.scope() != OptionName.Scope.INET6 || ipv6);
            if (!applies || !SockoptBridge.capabilities().isSupported(option)) {
                continue;
            }
            Object value = control.get(SockOpt.of(option));
            options.put(option.name(), !(value instanceof Duration duration) ? value
                    : option.unit() == OptionName.Unit.MILLISECONDS ? duration.toMillis() : duration.getSeconds());
        }
        return options;
    }

    @SuppressWarnings("unchecked")
    private static String optionsText(Map<String, Object> line) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Object> option : ((Map<String, Object>) line.get("options")).entrySet()) {
            text.append(text.length() == 0 ? "" : " ").append(option.getKey()).append('=').append(option.getValue());
        }
        return text.toString();
    }

    private static String format(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
