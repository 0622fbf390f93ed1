package org.sockoptbridge.cli;

import java.util.List;

import org.sockoptbridge.AcceptedSocketPolicy;
import org.sockoptbridge.SockoptBridge;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar sockopt-bridge-cli.jar probe|selftest|listen}: what this host can do, checked
 * on real sockets. Exit codes: 0 fine, 1 a check failed (or a required option is missing),
 * 2 usage error.
 */
@Command(name = "sockopt-bridge", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Socket options a Java server cannot set through the JDK: what this host supports, "
                + "checked on real sockets.")
public final class Main implements Runnable {
    static final int EXIT_OK = 0;
    static final int EXIT_CHECK_FAILED = 1;
    static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Timings.mainNanos();
        if (args.length > 0 && List.of("probe", "selftest", "listen").contains(args[0])) {
            startLoadingTheBridge(args[0].equals("probe") && wantsReport(List.of(args)));
        }
        int exitCode = run(args);
        Timings.print(System.err);
        System.exit(exitCode);
    }

    /**
     * Loading jnr-ffi and the shim and probing the capabilities takes longer than anything else a
     * command does, and building picocli's command model (class loading and reflection) takes the
     * next most: on a second core they overlap. The bridge loads once per JVM, whichever thread
     * gets there first; a usage error simply leaves this daemon thread unfinished.
     */
    private static void startLoadingTheBridge(boolean probeReport) {
        Thread loader = new Thread(() -> {
            long start = System.nanoTime();
            SockoptBridge.capabilities();
            Timings.phase("bridge load + capability probe", start);
            if (probeReport) {
                // The report's next slowest part: a loopback connection to see what accepted sockets inherit.
                start = System.nanoTime();
                AcceptedSocketPolicy.inheritedOptions();
                Timings.phase("inheritance detection", start);
            }
        }, "sockopt-bridge-loader");
        loader.setDaemon(true);
        loader.start();
    }

    /** A hint only (picocli parses): {@code probe} prints its report unless only {@code --require} is asked. */
    private static boolean wantsReport(List<String> args) {
        return args.contains("--json") || args.stream().noneMatch(arg -> arg.startsWith("--require"));
    }

    /** Runs one command line and returns its exit code (tests call this without exiting). */
    static int run(String... args) {
        long start = System.nanoTime();
        CommandLine commandLine = new CommandLine(new Main());
        addSubcommands(commandLine, args.length == 0 ? "" : args[0]);
        Timings.phase("picocli command model", start);
        commandLine.setParameterExceptionHandler((exception, ignored) -> usageError(exception));
        // Commands also find usage errors after parsing (a wrong number of --keepalive values).
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> {
            if (exception instanceof CommandLine.ParameterException usage) {
                return usageError(usage);
            }
            if (exception instanceof org.sockoptbridge.InvalidOptionValueException invalid) {
                command.getErr().println("error: " + invalid.getMessage()); // a value this platform refuses
                return EXIT_USAGE;
            }
            command.getErr().println("error: " + exception);
            return EXIT_CHECK_FAILED;
        });
        return commandLine.execute(args);
    }

    /**
     * picocli builds the model of every registered command up front, by reflection: a run of one
     * command registers only that one. Help, completion and anything unknown get all of them, so
     * that usage and suggestions list every command.
     */
    private static void addSubcommands(CommandLine commandLine, String first) {
        switch (first) {
            case "probe" -> commandLine.addSubcommand(new ProbeCommand());
            case "selftest" -> commandLine.addSubcommand(new SelftestCommand());
            case "listen" -> commandLine.addSubcommand(new ListenCommand());
            default -> {
                commandLine.addSubcommand(new ProbeCommand());
                commandLine.addSubcommand(new SelftestCommand());
                commandLine.addSubcommand(new ListenCommand());
                commandLine.addSubcommand(new CommandLine.HelpCommand());
                commandLine.addSubcommand(new picocli.AutoComplete.GenerateCompletion());
            }
        }
    }

    /** Usage errors exit with 2 (picocli's convention too): scripts tell them from a failed check. */
    private static int usageError(CommandLine.ParameterException exception) {
        CommandLine command = exception.getCommandLine();
        CommandLine.UnmatchedArgumentException.printSuggestions(exception, command.getErr());
        command.getErr().println("error: " + exception.getMessage());
        command.usage(command.getErr());
        return EXIT_USAGE;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (probe, selftest, listen)");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"sockopt-bridge " + (version == null ? "(development build)" : version)};
        }
    }
}
