package org.sockoptbridge.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import org.sockoptbridge.AcceptedSocketPolicy;
import org.sockoptbridge.InvalidOptionValueException;
import org.sockoptbridge.SockoptBridge;

/**
 * {@code java -jar sockopt-bridge-cli.jar probe|selftest|listen}: what this host can do, checked
 * on real sockets. Exit codes: 0 fine, 1 a check failed (or a required option is missing),
 * 2 usage error.
 *
 * <p>Commons CLI only tokenizes each command's arguments ({@code --opt value}, {@code --opt=value},
 * {@code --}, unknown and value-less options); choosing the command, the help, the version and
 * the conversions are here and in {@link Arguments}. It replaced picocli, whose reflective
 * command model cost ~90..145 ms of every run (docs/BENCHMARKS.md, section 3).
 */
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_CHECK_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private static final List<String> COMMANDS = List.of("probe", "selftest", "listen", "connect");
    private static final String DESCRIPTION = "Socket options a Java server cannot set through the JDK: what this "
            + "host supports, checked on real sockets.";

    private Main() {
    }

    public static void main(String[] args) {
        Timings.mainNanos();
        if (args.length > 0 && COMMANDS.contains(args[0])) {
            startLoadingTheBridge(args[0].equals("probe") && wantsReport(args));
        }
        int exitCode = run(args);
        Timings.print(System.err);
        System.exit(exitCode);
    }

    /**
     * Loading the native binding and probing the capabilities takes longer than anything else a
     * command does: on a second core it overlaps with parsing and with the command's own work
     * that needs no bridge. The bridge loads once per JVM, whichever thread gets there first; a
     * usage error simply leaves this daemon thread unfinished.
     *
     * <p>Everything up to {@code loader.start()} avoids lambdas, streams and string
     * concatenation: the first invokedynamic of a JVM bootstraps java.lang.invoke (~5-10 ms),
     * which would delay the critical path's start by that much. For the same reason Main's own
     * methods name no parser class: verifying Main would load them before {@code main} runs.
     */
    private static void startLoadingTheBridge(boolean probeReport) {
        Thread loader = new Thread(new BridgeLoader(probeReport), "sockopt-bridge-loader");
        loader.setDaemon(true);
        loader.start();
    }

    private static final class BridgeLoader implements Runnable {
        private final boolean probeReport;

        BridgeLoader(boolean probeReport) {
            this.probeReport = probeReport;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            SockoptBridge.capabilities();
            Timings.phase("bridge load + capability probe", start);
            if (probeReport) {
                // The report's next slowest part: a loopback connection to see what accepted sockets inherit.
                start = System.nanoTime();
                AcceptedSocketPolicy.inheritedOptions();
                Timings.phase("inheritance detection", start);
            }
        }
    }

    /** A hint only (the parser decides): {@code probe} prints its report unless only {@code --require} is asked. */
    private static boolean wantsReport(String[] args) {
        boolean require = false;
        for (String arg : args) {
            if (arg.equals("--json") || arg.equals("--json=true")) {
                return true;
            }
            require |= arg.startsWith("--require");
        }
        return !require;
    }

    /** Runs one command line and returns its exit code (tests call this without exiting). */
    static int run(String... args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        try {
            return dispatch(args, out, err);
        } catch (UsageException usage) {
            out.flush(); // whatever a command printed before it found the error comes first
            err.println("error: " + usage.getMessage());
            if (usage.command() == null) {
                printHelp(err);
            } else {
                usage.command().printHelp(err);
            }
            return EXIT_USAGE;
        } catch (InvalidOptionValueException invalid) {
            out.flush();
            err.println("error: " + invalid.getMessage()); // a value this platform refuses
            return EXIT_USAGE;
        } catch (Exception e) {
            out.flush();
            err.println("error: " + e);
            return EXIT_CHECK_FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int dispatch(String[] args, PrintWriter out, PrintWriter err) throws Exception {
        long start = System.nanoTime();
        if (args.length == 0) {
            throw new UsageException(null, "a command is required (probe, selftest, listen, connect)");
        }
        String first = args[0];
        switch (first) {
            case "-h", "--help" -> {
                printHelp(out);
                return EXIT_OK;
            }
            case "-V", "--version" -> {
                out.println(version());
                return EXIT_OK;
            }
            case "help" -> {
                return help(args, out);
            }
            default -> {
                // a command, or a usage error below
            }
        }
        CommandSpec spec = spec(first);
        Arguments arguments = Arguments.parse(spec, List.of(args).subList(1, args.length));
        Timings.phase("command line (commons-cli)", start);
        if (arguments.flag("help")) {
            spec.printHelp(out);
            return EXIT_OK;
        }
        if (arguments.flag("version")) {
            out.println(version());
            return EXIT_OK;
        }
        return switch (first) {
            case "probe" -> new ProbeCommand(arguments, out, err).call();
            case "selftest" -> new SelftestCommand(arguments, out).call();
            case "connect" -> new ConnectCommand(arguments, out, err).call();
            default -> new ListenCommand(arguments, err).call();
        };
    }

    /** {@code help} alone is the program's help; {@code help COMMAND} that command's. */
    private static int help(String[] args, PrintWriter out) {
        if (args.length > 2) {
            throw new UsageException(null, "help takes at most one command, got " + (args.length - 1) + " arguments");
        }
        if (args.length == 1) {
            printHelp(out);
        } else {
            spec(args[1]).printHelp(out);
        }
        return EXIT_OK;
    }

    private static CommandSpec spec(String command) {
        switch (command) {
            case "probe":
                return ProbeCommand.SPEC;
            case "selftest":
                return SelftestCommand.SPEC;
            case "listen":
                return ListenCommand.SPEC;
            case "connect":
                return ConnectCommand.SPEC;
            default:
                List<String> known = new ArrayList<>(COMMANDS);
                known.add("help");
                throw new UsageException(null, (command.startsWith("-") ? "unknown option '" : "unknown command '")
                        + command + "'" + suggestion(command, known));
        }
    }

    /** " (did you mean X?)" for a near miss (a typo, a prefix), or nothing. */
    static String suggestion(String typed, List<String> candidates) {
        String word = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = candidate.startsWith(word) && word.length() > 2 ? 1 : distance(word, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= 2 ? " (did you mean " + best + "?)" : "";
    }

    /** Edit distance (insertions, deletions, substitutions). */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static void printHelp(PrintWriter out) {
        out.println("Usage: " + CommandSpec.PROGRAM + " [-hV] COMMAND [OPTION...]");
        out.println(CommandSpec.wrap(DESCRIPTION, "", ""));
        CommandSpec.printOptions(List.of(CommandSpec.HELP, CommandSpec.VERSION), out);
        out.println("Commands:");
        String indent = " ".repeat(12);
        for (CommandSpec spec : List.of(ProbeCommand.SPEC, SelftestCommand.SPEC, ListenCommand.SPEC, ConnectCommand.SPEC)) {
            out.println(CommandSpec.wrap(spec.description().get(0), String.format("  %-10s", spec.name()), indent));
        }
        out.println(CommandSpec.wrap("Shows a command's help, as COMMAND --help does: help COMMAND.",
                String.format("  %-10s", "help"), indent));
        out.println();
        out.println("Exit codes:");
        out.println("  0   the command ran and every check passed");
        out.println("  1   a check failed (see each command's --help)");
        out.println("  2   usage error");
        out.flush();
    }

    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return CommandSpec.PROGRAM + " " + (version == null ? "(development build)" : version);
    }
}
