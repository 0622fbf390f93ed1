package org.sockoptbridge.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sockoptbridge.OptionSettings;
import org.sockoptbridge.SockOpt;
import org.sockoptbridge.SocketControl;

/**
 * {@code connect HOST:PORT}: the client side of {@code listen}. One connection with the given
 * options, held until the server closes it, the kernel drops it or --duration ends, ending with
 * the same {@code closed} line: to test a NAT's or a load balancer's idle timeout from the client
 * end. {@code connect --burst N}: a bounded load source, to make a listener's accept queue
 * overflow (and to show that a fix holds) without other tools; see {@link Burst} for what each
 * outcome means on the wire.
 */
final class ConnectCommand {
    static final long MAX_TIMEOUT_SECONDS = 600;

    /** Options that shape the one held connection, which --burst does not take. */
    private static final List<String> HOLD_ONLY = holdOnly();

    static final CommandSpec SPEC = new CommandSpec("connect",
            List.of("Holds one TCP connection to HOST:PORT and prints how it ended; with --burst N, opens N at "
                    + "once and reports how they fared.",
                    "Without --burst: opens one TCP connection to HOST:PORT with the given options (set before "
                    + "connect()) and holds it, counting what the server sends, until the server closes it, the "
                    + "kernel drops it or --duration ends. Prints a 'connected' line with the options the kernel "
                    + "holds, then a 'closed' line with how long the connection lived and why, as listen does for "
                    + "each of its connections: for testing a NAT's or a load balancer's idle timeout from the "
                    + "client side.",
                    "With --burst N: opens N TCP connections to HOST:PORT as fast as one thread can (non-blocking "
                            + "connects), waits until each is accepted (the server answered or closed), refused, "
                            + "reset, or the timeout passes, and reports the counts and the connect-time "
                            + "percentiles. Bounded: at most " + Burst.MAX_CONNECTIONS + " connections and "
                            + MAX_TIMEOUT_SECONDS + " seconds. Point it only at a listener you run (listen, or "
                            + "your own server)."),
            options(),
            List.of("0:held: the connection lasted until --duration ended, or the server closed it; --burst: every "
                            + "connection was accepted",
                    "1:held: it could not connect, or the connection was reset, timed out or failed; --burst: some "
                            + "were not accepted (refused, reset, timed out, unanswered, errors)",
                    "2:usage error, or a value this platform does not accept"),
            "HOST:PORT");

    private static List<CommandSpec.Opt> options() {
        List<CommandSpec.Opt> options = new ArrayList<>(List.of(
                new CommandSpec.Opt("host", "H", false,
                        "Address or host name to connect to (default 127.0.0.1), instead of HOST:PORT."),
                new CommandSpec.Opt("port", "P", false, "Port to connect to, instead of HOST:PORT."),
                new CommandSpec.Opt("burst", "N", false, "Open N connections at once, 1.." + Burst.MAX_CONNECTIONS
                        + ", and report how they fared (see above)."),
                new CommandSpec.Opt("timeout", "DURATION", false,
                        "How long to wait for the connection (--burst: for all of them, from the first connect); "
                                + "default 5s, at most " + MAX_TIMEOUT_SECONDS + "s: 500ms, 5s, 1m; a plain number "
                                + "is seconds."),
                new CommandSpec.Opt("bind", "ADDRESS[:PORT]", false,
                        "Local address (and port) to bind before connecting; an IPv6 one as [ADDRESS]:PORT."),
                new CommandSpec.Opt("ipv6-only", null, false,
                        "Set IPV6_V6ONLY on the socket before bind (an IPv6 target only).")));
        options.addAll(ConnectionOptions.opts());
        options.addAll(List.of(
                new CommandSpec.Opt("duration", "SECONDS", false, "Close the held connection after this long, 1.."
                        + ListenCommand.MAX_DURATION_SECONDS + " (default: hold it until it ends)."),
                new CommandSpec.Opt("json", null, false, "Print one JSON object per line.")));
        return options;
    }

    private static List<String> holdOnly() {
        List<String> names = new ArrayList<>(List.of("bind", "ipv6-only", "duration"));
        for (ConnectionOptions.Flag flag : ConnectionOptions.FLAGS) {
            names.add(flag.name());
        }
        return List.copyOf(names);
    }

    private final Arguments arguments;
    private final PrintWriter out;
    private final PrintWriter err;
    private final String target;
    private final String host;
    private final Integer port;
    private final Integer burst;
    private final Duration timeout;
    private final String bind;
    private final boolean ipv6Only;
    private final ConnectionOptions connectionOptions;
    private final Long durationSeconds;
    private final boolean json;

    ConnectCommand(Arguments arguments, PrintWriter out, PrintWriter err) {
        this.arguments = arguments;
        this.out = out;
        this.err = err;
        target = arguments.operand();
        host = arguments.string("host");
        port = arguments.integer("port");
        burst = arguments.integer("burst");
        Duration given = arguments.duration("timeout");
        timeout = given == null ? Duration.ofSeconds(5) : given;
        bind = arguments.string("bind");
        ipv6Only = arguments.flag("ipv6-only");
        connectionOptions = ConnectionOptions.read(arguments);
        durationSeconds = ListenCommand.durationSeconds(arguments);
        json = arguments.flag("json");
    }

    int call() throws Exception {
        if (target != null && (host != null || port != null)) {
            throw arguments.usage("give the server once: HOST:PORT, or --host and --port, got '" + target
                    + "' and --" + (host != null ? "host" : "port"));
        }
        if (target == null && (port == null || port < 1 || port > 65535)) {
            throw arguments.usage("--port must be 1..65535" + (port == null ? " and is required (or give HOST:PORT)"
                    : ", got " + port));
        }
        if (timeout.isZero() || timeout.getSeconds() > MAX_TIMEOUT_SECONDS
                || timeout.getSeconds() == MAX_TIMEOUT_SECONDS && timeout.getNano() > 0) {
            throw arguments.usage("--timeout must be 1ms.." + MAX_TIMEOUT_SECONDS + "s, got '"
                    + arguments.string("timeout") + "'");
        }
        if (burst != null) {
            for (String name : HOLD_ONLY) {
                if (arguments.string(name) != null) {
                    throw arguments.usage("--" + name + " is for one held connection; --burst does not take it");
                }
            }
            if (burst < 1 || burst > Burst.MAX_CONNECTIONS) {
                throw arguments.usage("--burst must be 1.." + Burst.MAX_CONNECTIONS + ", got " + burst);
            }
        }
        InetSocketAddress server = target != null ? Hosts.hostAndPort(arguments, "HOST:PORT", target, -1)
                : new InetSocketAddress(Hosts.resolve(arguments, "--host", host == null ? "127.0.0.1" : host), port);
        return burst != null ? burst(server) : hold(server);
    }

    private int hold(InetSocketAddress server) throws IOException {
        boolean ipv6 = server.getAddress() instanceof Inet6Address;
        InetSocketAddress local = bind == null ? null : Hosts.hostAndPort(arguments, "--bind", bind, 0);
        if (local != null && (local.getAddress() instanceof Inet6Address) != ipv6) {
            throw arguments.usage("--bind " + bind + " and the server " + Hosts.format(server)
                    + " are of different address families");
        }
        if (ipv6Only && !ipv6) {
            throw arguments.usage("--ipv6-only makes an IPv6-only socket, which cannot reach the IPv4 address "
                    + server.getAddress().getHostAddress());
        }
        // Validated against this platform's ranges before anything connects (a bad value exits 2, see Main).
        OptionSettings settings = connectionOptions.isEmpty() ? null : connectionOptions.settings();
        Output output = new Output(json);
        try (Selector selector = Selector.open()) {
            SocketChannel channel = SocketChannel.open(ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            SocketControl control;
            try {
                control = SocketControl.of(channel);
                if (ipv6Only) {
                    control.set(SockOpt.IPV6_V6ONLY, true); // before bind or connect gives the socket a port
                }
                if (settings != null) {
                    control.apply(settings); // buffer sizes before connect(): the SYN offers its window scale
                }
                if (local != null) {
                    channel.bind(local);
                }
                String failure = connect(channel, selector, server);
                if (failure != null) {
                    channel.close();
                    err.println("error: cannot connect to " + Hosts.format(server) + ": " + failure);
                    return Main.EXIT_CHECK_FAILED;
                }
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            printConnected(output, channel, control, local != null || ipv6Only, ipv6);
            HeldConnections held = new HeldConnections(selector, output, false);
            held.hold(channel, control, ConnectionEnd.Setup.read(channel, control), null);
            long start = System.nanoTime();
            long durationNanos = durationSeconds == null ? Long.MAX_VALUE : durationSeconds * 1_000_000_000L;
            while (held.open() > 0) {
                long remaining = durationNanos - (System.nanoTime() - start);
                if (remaining <= 0) {
                    held.endAll();
                    break;
                }
                selector.select(Math.max(1, Math.min(remaining / 1_000_000, 60_000)));
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid()) {
                        held.handle(key);
                    }
                }
                selector.selectedKeys().clear();
            }
            String reason = held.lastEnd().reason();
            return reason.equals(ConnectionEnd.DURATION) || reason.equals(ConnectionEnd.PEER_CLOSED)
                    ? Main.EXIT_OK : Main.EXIT_CHECK_FAILED;
        }
    }

    /** Connects within --timeout: null when connected, else why not ("Connection refused", ...). */
    private String connect(SocketChannel channel, Selector selector, InetSocketAddress server) throws IOException {
        channel.configureBlocking(false);
        try {
            if (channel.connect(server)) {
                return null;
            }
            SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!channel.finishConnect()) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return "no answer within " + timeout.toMillis() + " ms (--timeout)";
                }
                selector.select(Math.max(1, remaining / 1_000_000));
                selector.selectedKeys().clear();
            }
            key.cancel();
            selector.selectNow(); // the cancelled key leaves the selector, so the channel can register again
            return null;
        } catch (IOException e) {
            return String.valueOf(e.getMessage());
        }
    }

    private static void printConnected(Output output, SocketChannel channel, SocketControl control,
                                       boolean bindOptions, boolean ipv6) throws IOException {
        InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
        InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "connected");
        line.put("local", Hosts.format(local));
        line.put("peer", Hosts.format(remote));
        line.put("options", ConnectionOptions.effective(control, bindOptions, ipv6));
        output.print(line, "connected " + Hosts.format(local) + " -> " + Hosts.format(remote) + " "
                + ConnectionOptions.text(line));
    }

    private int burst(InetSocketAddress server) throws IOException {
        Burst.Result result = Burst.run(server, burst, timeout);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("target", server.getAddress().getHostAddress() + ":" + server.getPort());
        report.put("requested", result.requested());
        report.put("accepted", result.accepted());
        report.put("refused", result.refused());
        report.put("reset", result.reset());
        report.put("timedOut", result.timedOut());
        report.put("unanswered", result.unanswered());
        report.put("errors", result.errors());
        report.put("connected", result.connected());
        Map<String, Object> percentiles = new LinkedHashMap<>();
        percentiles.put("min", result.connected() == 0 ? null : Burst.millis(result.connectNanos()[0]));
        for (double p : new double[] {50, 90, 99, 100}) {
            long nanos = result.percentileNanos(p);
            percentiles.put(p == 100 ? "max" : "p" + (int) p, nanos < 0 ? null : Burst.millis(nanos));
        }
        report.put("connectMillis", percentiles);
        report.put("elapsedMillis", Burst.millis(result.elapsedNanos()));
        if (json) {
            out.flush();
            Json.writeLine(report, System.out);
            System.out.flush();
        } else {
            out.printf("burst of %d to %s in %.0f ms: accepted %d, refused %d, reset %d, timed out %d, unanswered %d%s%n",
                    result.requested(), report.get("target"), Burst.millis(result.elapsedNanos()), result.accepted(),
                    result.refused(), result.reset(), result.timedOut(), result.unanswered(),
                    result.errors().isEmpty() ? "" : ", errors " + result.errors());
            out.println(percentiles.get("p50") == null ? "connect time: none connected"
                    : "connect time (ms): min " + percentiles.get("min") + " p50 " + percentiles.get("p50") + " p90 " + percentiles.get("p90") + " p99 "
                            + percentiles.get("p99") + " max " + percentiles.get("max") + " (" + result.connected()
                            + " connected)");
        }
        return result.accepted() == result.requested() ? Main.EXIT_OK : Main.EXIT_CHECK_FAILED;
    }
}
