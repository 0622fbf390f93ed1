package org.sockoptbridge.junit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sockoptbridge.ChildJvm;
import org.sockoptbridge.OptionName;
import org.sockoptbridge.internal.Platform;
import org.sockoptbridge.launcher.ConditionReportMain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The condition as a user's build runs it: sample test classes launched through the JUnit
 * Platform in a child JVM, once with this host's shim, once with the test build that lacks
 * TCP_KEEPCNT and SO_REUSEPORT, once with no library at all. The samples are static nested
 * classes, which Surefire does not run on its own.
 */
class EnabledIfSocketOptionsTest {
    private static final Path WITHOUT_OPTIONS = Path.of(System.getProperty("sockopt.bridge.test.nativeDir"),
            "libsockopt_bridge-" + Platform.current().osArch() + "-without-options.so");

    @Test
    @EnabledIfSocketOptions({OptionName.TCP_KEEPCNT, OptionName.SO_REUSEPORT})
    void whereEveryOptionIsSupportedTheTestsRun() throws Exception {
        String report = report(List.of(), NeedsKeepCountAndReusePort.class);
        assertEquals(List.of("ran countsProbes(): SUCCESSFUL", "ran sharesThePort(): SUCCESSFUL"),
                report.lines().sorted().toList(), report);
    }

    @Test
    void aMissingOptionSkipsTheClassWithTheBridgesReasonForEachMissingOption() throws Exception {
        assertTrue(Files.exists(WITHOUT_OPTIONS), "CMake builds the test library " + WITHOUT_OPTIONS);
        String report = report(List.of("-Dsockopt.bridge.library=" + WITHOUT_OPTIONS), NeedsKeepCountAndReusePort.class);
        assertEquals("skipped EnabledIfSocketOptionsTest$NeedsKeepCountAndReusePort: sockopt-bridge cannot provide TCP_KEEPCNT: not compiled on"
                + " this OS: its headers have no TCP_KEEPCNT; SO_REUSEPORT: not compiled on this OS: its headers have"
                + " no SO_REUSEPORT (backend: shim)", report.strip(), "one line, no test ran: " + report);
    }

    @Test
    void onAMethodItSkipsOnlyThatMethod() throws Exception {
        String report = report(List.of("-Dsockopt.bridge.library=" + WITHOUT_OPTIONS), OneMethodNeedsKeepCount.class);
        List<String> lines = report.lines().sorted().toList();
        assertEquals(2, lines.size(), report);
        assertEquals("ran setsIdleTime(): SUCCESSFUL", lines.get(0), report);
        assertTrue(lines.get(1).startsWith("skipped countsProbes(): sockopt-bridge cannot provide TCP_KEEPCNT: not"
                + " compiled on this OS"), report);
    }

    @Test
    void withoutANativeLibraryTheReasonSaysSo(@TempDir Path dir) throws Exception {
        String report = report(List.of("-Dsockopt.bridge.library=" + dir.resolve("libmissing.so")),
                OneMethodNeedsKeepCount.class);
        assertTrue(report.contains("skipped setsIdleTime(): sockopt-bridge cannot provide TCP_KEEPIDLE: no native"
                + " library for " + Platform.current().nativeName()), report);
        assertTrue(report.contains("(backend: none loaded)"), report);
        assertFalse(report.contains("ran "), report);
    }

    /** The launcher's report lines, without what else the child printed (the bridge's log on stderr). */
    private static String report(List<String> jvmOptions, Class<?> sample) throws Exception {
        ChildJvm.Outcome outcome = ChildJvm.run(ChildJvm.testClasspath(), jvmOptions, ConditionReportMain.class,
                sample.getName());
        assertEquals(0, outcome.exitCode(), outcome.output());
        return outcome.output().lines().filter(line -> line.startsWith("ran ") || line.startsWith("skipped "))
                .collect(Collectors.joining("\n"));
    }

    @EnabledIfSocketOptions({OptionName.TCP_KEEPCNT, OptionName.SO_REUSEPORT})
    static class NeedsKeepCountAndReusePort {
        @Test
        void countsProbes() {
        }

        @Test
        void sharesThePort() {
        }
    }

    static class OneMethodNeedsKeepCount {
        @Test
        @EnabledIfSocketOptions(OptionName.TCP_KEEPIDLE)
        void setsIdleTime() {
        }

        @Test
        @EnabledIfSocketOptions(OptionName.TCP_KEEPCNT)
        void countsProbes() {
        }
    }
}
