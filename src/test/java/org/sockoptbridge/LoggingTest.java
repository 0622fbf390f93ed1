package org.sockoptbridge;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the bridge logs through System.Logger (logger "org.sockoptbridge"), in child JVMs: each
 * record is emitted once per JVM, at class initialisation. The JDK's default LoggerFinder routes
 * System.Logger to java.util.logging, so a logging.properties that prints level, logger and
 * message on one line shows every record; DEBUG arrives as JUL's FINE.
 */
class LoggingTest {
    private static final String PORTABLE_OPENS = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";

    @Test
    void theDefaultPathLogsNothingAndNeverStartsALoggingBackend(@TempDir Path dir) throws Exception {
        List<String> options = new ArrayList<>(everything(dir));
        options.add("-Xlog:class+load=info");
        ChildJvm.Outcome outcome = ChildJvm.run(ChildJvm.testClasspath(), options, InheritanceMain.class);
        assertEquals(0, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains("inherited: [TCP_KEEPIDLE"), "the shim loaded and inheritance was"
                + " detected on this Linux host: " + outcome.output());
        assertFalse(outcome.output().contains(SockoptBridge.LOGGER_NAME + " "), "no record: " + outcome.output());
        for (String backend : List.of("java.util.logging.", "jdk.internal.logger.", "java.lang.System$LoggerFinder")) {
            assertFalse(outcome.output().contains(" " + backend), "the default path loads no " + backend
                    + " class: the first System.getLogger of a JVM costs tens of milliseconds (BridgeLog)");
        }
    }

    @Test
    void aForcedPortableBackendIsADebugRecordThatTheDefaultConfigurationDoesNotPrint(@TempDir Path dir)
            throws Exception {
        String expected = "FINE " + SockoptBridge.LOGGER_NAME + " sockopt-bridge uses the portable backend: jnr-ffi over"
                + " libc (-Dsockopt.bridge.backend=portable)";
        List<String> portable = List.of("-Dsockopt.bridge.backend=portable", PORTABLE_OPENS);
        ChildJvm.Outcome all = run(dir, portable, true, StartupCheckMain.class);
        assertEquals(1, count(all.output(), expected), all.output());

        ChildJvm.Outcome defaults = run(dir, portable, false, StartupCheckMain.class);
        assertEquals(0, defaults.exitCode(), defaults.output());
        assertFalse(defaults.output().contains("sockopt-bridge uses"), "JUL's default level is INFO: " + defaults.output());
    }

    @Test
    void aFallbackToThePortableBackendIsAnInfoRecordNamingWhy(@TempDir Path dir) throws Exception {
        Path classes = Path.of(System.getProperty("sockopt.bridge.test.classesDir"));
        Path withoutNatives = ChildJvm.copyOf(classes, dir.resolve("classes"), "META-INF/native");
        String classpath = withoutNatives + File.pathSeparator + ChildJvm.classpathWithout(classes);
        ChildJvm.Outcome outcome = ChildJvm.run(classpath, List.of(), StartupCheckMain.class);
        assertEquals(0, outcome.exitCode(), outcome.output());
        String record = "INFO: sockopt-bridge uses the portable backend: jnr-ffi over libc (this jar has no shim for "
                + org.sockoptbridge.internal.Platform.current().nativeName();
        assertEquals(1, count(outcome.output(), record), "printed by JUL's default configuration: " + outcome.output());
        assertTrue(outcome.output().contains("a JDK socket's fd needs --add-opens"), outcome.output());
    }

    @Test
    void noBackendAtAllIsAWarningWithEveryAttemptAndWhatToDo(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("libmissing.so");
        ChildJvm.Outcome outcome = run(dir, List.of("-Dsockopt.bridge.library=" + missing), true,
                StartupCheckMain.class, "SO_RCVBUF");
        assertEquals(3, outcome.exitCode(), outcome.output());
        String output = outcome.output();
        assertEquals(1, count(output, "WARNING " + SockoptBridge.LOGGER_NAME
                + " sockopt-bridge could not load its native library"), output);
        assertTrue(output.contains(missing.toString()) && output.contains("What to do:")
                && output.contains("every option reads unsupported"), output);
    }

    @Test
    void removingAnExtractionDirectoryLeftByAGoneProcessIsADebugRecord(@TempDir Path dir) throws Exception {
        Path tmpdir = Files.createDirectory(dir.resolve("tmp"));
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        Path stale = Files.createDirectory(tmpdir.resolve("sockopt-bridge-" + gone.pid() + "-42"));
        Files.write(stale.resolve("libsockopt_bridge-left.so"), new byte[] {0x7f, 'E', 'L', 'F'});
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(1, ChronoUnit.MINUTES)));

        ChildJvm.Outcome outcome = run(dir, List.of("-Dsockopt.bridge.tmpdir=" + tmpdir), true,
                StartupCheckMain.class, "SO_RCVBUF");
        assertEquals(0, outcome.exitCode(), outcome.output());
        assertFalse(Files.exists(stale), outcome.output());
        assertEquals(1, count(outcome.output(), "FINE " + SockoptBridge.LOGGER_NAME + " sockopt-bridge removed "
                + stale + ", an extraction directory left by a process that is gone"), outcome.output());
    }

    @Test
    void inheritanceThatCannotBeDetectedIsAWarning(@TempDir Path dir) throws Exception {
        // The portable backend without --add-opens cannot read a JDK channel's fd.
        ChildJvm.Outcome outcome = run(dir, List.of("-Dsockopt.bridge.backend=portable"), true, InheritanceMain.class);
        assertEquals(0, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains("detected: false"), outcome.output());
        assertEquals(1, count(outcome.output(), "WARNING " + SockoptBridge.LOGGER_NAME
                + " sockopt-bridge could not detect which options accepted sockets inherit"), outcome.output());
        assertTrue(outcome.output().contains("one native call per connection"), outcome.output());
    }

    @Test
    void inheritanceSwitchedOffByTheUserIsADebugRecord(@TempDir Path dir) throws Exception {
        ChildJvm.Outcome outcome = run(dir, List.of("-Dsockopt.bridge.acceptedSocketsInherit=none"), true,
                InheritanceMain.class);
        assertEquals(0, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains("inherited: []"), outcome.output());
        assertEquals(1, count(outcome.output(), "FINE " + SockoptBridge.LOGGER_NAME
                + " sockopt-bridge: -Dsockopt.bridge.acceptedSocketsInherit=none"), outcome.output());
    }

    private static ChildJvm.Outcome run(Path dir, List<String> jvmOptions, boolean logEverything, Class<?> main,
                                        String... args) throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(jvmOptions);
        if (logEverything) {
            options.addAll(everything(dir));
        }
        return ChildJvm.run(ChildJvm.testClasspath(), options, main, args);
    }

    /** java.util.logging at ALL for the bridge's logger, one line per record: "LEVEL logger message". */
    private static List<String> everything(Path dir) throws IOException {
        Path config = dir.resolve("logging.properties");
        Files.writeString(config, String.join("\n",
                "handlers=java.util.logging.ConsoleHandler",
                "java.util.logging.ConsoleHandler.level=ALL",
                "java.util.logging.SimpleFormatter.format=%4$s %3$s %5$s%n",
                SockoptBridge.LOGGER_NAME + ".level=ALL", ""));
        return List.of("-Djava.util.logging.config.file=" + config);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            n++;
        }
        return n;
    }
}
