package org.sockoptbridge.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a CLI run spends its time, printed to stderr with {@code -Dsockopt.bridge.timings=true}:
 * JVM start to main, the command line's parsing, the bridge's load (the native binding, the
 * shim, the capability probe: on its own thread), the command's work, the output.
 */
final class Timings {
    static final boolean ENABLED = Boolean.getBoolean("sockopt.bridge.timings");
    private static final long MAIN_NANOS = System.nanoTime();
    /**
     * Raw nanoTime pairs, formatted only by {@link #print}: the first String.format of a JVM
     * initializes Formatter, regex and locale data (~30 ms), which would land inside the
     * phase being measured and delay the command itself.
     */
    private static final List<String> NAMES = new ArrayList<>();
    private static final List<long[]> SPANS = new ArrayList<>();

    private Timings() {
    }

    /** Records that phase {@code name} ran from {@code startNanos} until now. */
    static synchronized void phase(String name, long startNanos) {
        if (ENABLED) {
            NAMES.add(name);
            SPANS.add(new long[] {startNanos, System.nanoTime()});
        }
    }

    static long mainNanos() {
        return MAIN_NANOS;
    }

    static synchronized void print(PrintStream err) {
        if (!ENABLED) {
            return;
        }
        long mainToEnd = System.nanoTime() - MAIN_NANOS;
        // Read last: loading the management classes is not part of the run being measured.
        long jvmUptime = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        err.println("timings (sockopt.bridge.timings):");
        for (int i = 0; i < NAMES.size(); i++) {
            long[] span = SPANS.get(i);
            err.printf("  %-34s %7.1f ms (ends %7.1f ms after main)%n", NAMES.get(i), (span[1] - span[0]) / 1e6,
                    (span[1] - MAIN_NANOS) / 1e6);
        }
        err.printf("  %-34s %7.1f ms%n", "main to end", mainToEnd / 1e6);
        err.printf("  %-34s %7.1f ms%n", "JVM start to main (approximately)", jvmUptime - mainToEnd / 1e6);
    }
}
