package org.sockoptbridge.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code connect --burst N}: a bounded load source, to make a listener's accept queue overflow
 * (and to show that a fix holds) without other tools. See {@link Burst} for what each outcome
 * means on the wire.
 */
final class ConnectCommand {
    static final long MAX_TIMEOUT_SECONDS = 600;

    static final CommandSpec SPEC = new CommandSpec("connect",
            List.of("Opens N TCP connections to HOST:PORT as fast as one thread can (non-blocking connects), "
                    + "waits until each is accepted (the server answered or closed), refused, reset, or the "
                    + "timeout passes, and reports the counts and the connect-time percentiles.",
                    "Bounded: at most " + Burst.MAX_CONNECTIONS + " connections and " + MAX_TIMEOUT_SECONDS
                            + " seconds. Point it only at a listener you run (listen, or your own server)."),
            List.of(new CommandSpec.Opt("host", "H", false, "Address or host name to connect to (default 127.0.0.1)."),
                    new CommandSpec.Opt("port", "P", false, "Port to connect to (required)."),
                    new CommandSpec.Opt("burst", "N", false, "How many connections, 1.." + Burst.MAX_CONNECTIONS + "."),
                    new CommandSpec.Opt("timeout", "DURATION", false,
                            "How long to wait for all of them, from the first connect (default 5s; at most "
                                    + MAX_TIMEOUT_SECONDS + "s): 500ms, 5s, 1m; a plain number is seconds."),
                    new CommandSpec.Opt("json", null, false, "Print the report as one JSON object.")),
            List.of("0:every connection was accepted", "1:some were not (refused, reset, timed out, unanswered, errors)",
                    "2:usage error"));

    private final Arguments arguments;
    private final PrintWriter out;
    private final String host;
    private final Integer port;
    private final Integer burst;
    private final Duration timeout;
    private final boolean json;

    ConnectCommand(Arguments arguments, PrintWriter out) {
        this.arguments = arguments;
        this.out = out;
        host = arguments.string("host");
        port = arguments.integer("port");
        burst = arguments.integer("burst");
        Duration given = arguments.duration("timeout");
        timeout = given == null ? Duration.ofSeconds(5) : given;
        json = arguments.flag("json");
    }

    int call() throws Exception {
        if (burst == null) {
            throw arguments.usage("--burst N is required (1.." + Burst.MAX_CONNECTIONS + ")");
        }
        if (burst < 1 || burst > Burst.MAX_CONNECTIONS) {
            throw arguments.usage("--burst must be 1.." + Burst.MAX_CONNECTIONS + ", got " + burst);
        }
        if (port == null || port < 1 || port > 65535) {
            throw arguments.usage("--port must be 1..65535" + (port == null ? " and is required" : ", got " + port));
        }
        if (timeout.isZero() || timeout.getSeconds() > MAX_TIMEOUT_SECONDS
                || timeout.getSeconds() == MAX_TIMEOUT_SECONDS && timeout.getNano() > 0) {
            throw arguments.usage("--timeout must be 1ms.." + MAX_TIMEOUT_SECONDS + "s, got '"
                    + arguments.string("timeout") + "'");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host == null ? "127.0.0.1" : host);
        } catch (UnknownHostException e) {
            throw arguments.usage("--host '" + host + "' does not resolve to an address");
        }
        Burst.Result result = Burst.run(new InetSocketAddress(address, port), burst, timeout);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("target", address.getHostAddress() + ":" + port);
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
