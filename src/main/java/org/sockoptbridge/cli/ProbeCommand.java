package org.sockoptbridge.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.sockoptbridge.OptionName;
import org.sockoptbridge.OptionSupport;
import org.sockoptbridge.SockoptBridge;

/** {@code probe}: what this host, kernel and JDK can do; {@code --require} gates a start script. */
final class ProbeCommand {
    static final CommandSpec SPEC = new CommandSpec("probe",
            List.of("Reports the platform, each option's support (and why not), defaults, ranges and semantics, "
                    + "what the JDK offers, host limits and accept-queue overflow counters.",
                    "With --require, exits 1 and names every missing option on stderr (NAME: reason)."),
            List.of(new CommandSpec.Opt("json", null, false,
                            "Print one JSON object (schema " + ProbeReport.SCHEMA + ", see README)."),
                    new CommandSpec.Opt("require", "OPTION[,OPTION...]", true,
                            "Options the server depends on, comma-separated (any ASCII case): "
                                    + java.util.Arrays.stream(OptionName.values()).map(OptionName::name)
                                            .collect(java.util.stream.Collectors.joining(", ")) + ".")),
            List.of("0:probe done; every --require option is supported",
                    "1:a --require option is missing here",
                    "2:usage error (such as an unknown option name)"));

    private final Arguments arguments;
    private final boolean json;
    /** Null when --require is not given; each value is split at commas by {@link #parseRequired}. */
    private final List<String> requireValues;
    private final PrintWriter out;
    private final PrintWriter err;

    ProbeCommand(Arguments arguments, PrintWriter out, PrintWriter err) {
        this.arguments = arguments;
        this.json = arguments.flag("json");
        List<String> require = arguments.strings("require");
        this.requireValues = require.isEmpty() ? null : require;
        this.out = out;
        this.err = err;
    }

    int call() {
        // Before the report: a bad name is a usage error whether or not the report would print.
        List<OptionName> required = requireValues == null ? null : parseRequired(requireValues);
        if (json || required == null) {
            long start = System.nanoTime();
            if (json) {
                Json.warmUp();
                Timings.phase("JSON generator warm-up", start);
                start = System.nanoTime();
            }
            Map<String, Object> report = ProbeReport.collect();
            Timings.phase("probe report (waits for the bridge)", start);
            start = System.nanoTime();
            if (json) {
                out.flush();
                Json.writeLine(report, System.out);
            } else {
                ProbeText.print(report, out);
            }
            Timings.phase(json ? "JSON output (Jackson)" : "text output", start);
        }
        if (required == null) {
            return Main.EXIT_OK;
        }
        // The startup check only needs the capability report: no loopback connection, no JDK
        // channels, no report, so that it stays cheap at container start.
        long start = System.nanoTime();
        List<OptionSupport> missing = SockoptBridge.capabilities().missing(required);
        Timings.phase("startup check (waits for the bridge)", start);
        for (OptionSupport support : missing) {
            err.println(support.option().name() + ": " + support.explanation());
        }
        err.flush();
        if (!json) {
            out.println(missing.isEmpty() ? "all " + distinct(required) + " required options are supported"
                    : missing.size() + " of " + distinct(required) + " required options are missing");
        }
        return missing.isEmpty() ? Main.EXIT_OK : Main.EXIT_CHECK_FAILED;
    }

    private static int distinct(List<OptionName> options) {
        return (int) options.stream().distinct().count();
    }

    /**
     * Every --require value split at commas; an empty or unknown name is a usage error (exit 2):
     * dropping empty pieces would turn "--require ," into an empty list that every host
     * satisfies, and a start script's gate would pass on a typo.
     */
    private List<OptionName> parseRequired(List<String> values) {
        List<OptionName> options = new ArrayList<>();
        for (String value : values) {
            for (String name : value.split(",", -1)) { // -1 keeps trailing empty names
                if (name.isBlank()) {
                    throw usage("--require '" + value + "': empty option name; give names such as "
                            + "TCP_KEEPIDLE,SO_RCVBUF");
                }
                try {
                    options.add(OptionName.parse(name));
                } catch (IllegalArgumentException e) {
                    throw usage("--require '" + value + "': " + e.getMessage());
                }
            }
        }
        return options;
    }

    private UsageException usage(String message) {
        return arguments.usage(message);
    }

    /** For the text report's option table, in the order the JSON has them. */
    static List<Map<String, Object>> options(Map<String, Object> report) {
        List<Map<String, Object>> options = new ArrayList<>();
        for (Object option : (List<?>) report.get("options")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) option;
            options.add(map);
        }
        return options;
    }
}
