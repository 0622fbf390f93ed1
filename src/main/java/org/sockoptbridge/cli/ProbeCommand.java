package org.sockoptbridge.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.sockoptbridge.OptionName;
import org.sockoptbridge.OptionSupport;
import org.sockoptbridge.SockoptBridge;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code probe}: what this host, kernel and JDK can do; {@code --require} gates a start script. */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"Reports the platform, each option's support (and why not), defaults, ranges and semantics, "
                + "what the JDK offers, host limits and accept-queue overflow counters.",
                "With --require, exits 1 and names every missing option on stderr (NAME: reason)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:probe done; every --require option is supported",
                "1:a --require option is missing here",
                "2:usage error (such as an unknown option name)"})
final class ProbeCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print one JSON object (schema " + ProbeReport.SCHEMA + ", see README).")
    boolean json;

    // Split here rather than with picocli's split = ",": that drops empty pieces, so "--require ,"
    // became an empty list that every host satisfies, and a start script's gate passed on a typo.
    @Option(names = "--require", paramLabel = "OPTION[,OPTION...]",
            description = "Options the server depends on, comma-separated (any ASCII case): TCP_KEEPIDLE, "
                    + "TCP_KEEPINTVL, TCP_KEEPCNT, SO_RCVBUF, SO_SNDBUF, IPV6_V6ONLY, SO_REUSEPORT.")
    List<String> requireValues;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // Before the report: a bad name is a usage error whether or not the report would print.
        List<OptionName> required = requireValues == null ? null : parseRequired(requireValues);
        PrintWriter out = spec.commandLine().getOut();
        if (json || required == null) {
            long start = System.nanoTime();
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
        PrintWriter err = spec.commandLine().getErr();
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

    /** Every --require value split at commas; an empty or unknown name is a usage error (exit 2). */
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

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
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
