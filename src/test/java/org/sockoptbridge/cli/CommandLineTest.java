package org.sockoptbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The command line in-process: parsing, help and usage errors, none of which loads the bridge
 * (only {@code main} starts loading it), so these run without the native library. CliIT runs
 * the jar for what a user sees end to end.
 */
class CommandLineTest {
    private record Run(int exitCode, String stdout, String stderr) {
    }

    /** Main.run with System.out and System.err captured (it wraps whatever they are when called). */
    private static synchronized Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            int exitCode = Main.run(args);
            return new Run(exitCode, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Exit 2, nothing on stdout, one "error:" line holding each fragment, then the usage. */
    private static void assertUsageError(Run run, String... fragments) {
        assertEquals(2, run.exitCode(), run.stderr());
        assertEquals("", run.stdout());
        List<String> lines = run.stderr().lines().toList();
        assertTrue(lines.get(0).startsWith("error: "), run.stderr());
        assertEquals(1, lines.stream().filter(line -> line.startsWith("error: ")).count(), run.stderr());
        for (String fragment : fragments) {
            assertTrue(lines.get(0).contains(fragment), "'" + fragment + "' in " + lines.get(0));
        }
        assertTrue(lines.get(1).startsWith("Usage: sockopt-bridge"), run.stderr());
    }

    @Test
    void helpOfEachCommandOnStdout() {
        for (String command : List.of("probe", "selftest", "listen", "connect")) {
            for (List<String> args : List.of(List.of(command, "--help"), List.of(command, "-h"), List.of("help", command))) {
                Run run = run(args.toArray(new String[0]));
                assertEquals(0, run.exitCode(), run.stderr());
                assertEquals("", run.stderr());
                assertTrue(run.stdout().startsWith("Usage: sockopt-bridge " + command + " [-hV]"), run.stdout());
                assertTrue(run.stdout().contains("Exit codes:"), run.stdout());
                assertTrue(run.stdout().contains("--json"), run.stdout());
                assertFitsATerminal(run.stdout());
            }
        }
        Run listen = run("listen", "--help");
        for (String option : List.of("--host=H", "--port=P", "--ipv6-only", "--reuse-port", "--backlog=N",
                "--rcvbuf=BYTES", "--sndbuf=BYTES", "--keepalive=IDLE,INTERVAL,COUNT", "--duration=SECONDS")) {
            assertTrue(listen.stdout().contains(option), option);
        }
        assertTrue(listen.stdout().contains("fe80::1%eth0."), "a % in a description is text, not a format");
        Run connect = run("connect", "--help");
        for (String option : List.of("[HOST:PORT]", "--bind=ADDRESS[:PORT]", "--ipv6-only", "--keepalive=IDLE,INTERVAL,COUNT",
                "--rcvbuf=BYTES", "--sndbuf=BYTES", "--duration=SECONDS", "--burst=N", "--timeout=DURATION")) {
            assertTrue(connect.stdout().contains(option), option + " in\n" + connect.stdout());
        }
    }

    /** connect HOST:PORT: every malformed target or mix of options is refused before anything connects. */
    @Test
    void connectUsageErrors() {
        assertUsageError(run("connect"), "--port must be 1..65535 and is required", "HOST:PORT");
        assertUsageError(run("connect", "127.0.0.1"), "HOST:PORT '127.0.0.1' has no port");
        assertUsageError(run("connect", "::1:80"), "HOST:PORT '::1:80'", "[ADDRESS]:PORT");
        assertUsageError(run("connect", "127.0.0.1:0"), "the port must be 1..65535, got '0'");
        assertUsageError(run("connect", "127.0.0.1:http"), "got 'http'");
        assertUsageError(run("connect", "[::1:80"), "no ']'");
        assertUsageError(run("connect", "[::1]80"), "only ':PORT' may follow ']'");
        assertUsageError(run("connect", ":80"), "HOST:PORT ''", "give an address or a host name");
        assertUsageError(run("connect", "127.0.0.1:80", "--port", "80"), "give the server once");
        assertUsageError(run("connect", "127.0.0.1:80", "extra"), "takes one HOST:PORT", "'extra'");
        assertUsageError(run("connect", "127.0.0.1:80", "--burst", "5", "--keepalive", "1,1,1"),
                "--keepalive is for one held connection");
        assertUsageError(run("connect", "127.0.0.1:80", "--burst", "5", "--duration", "5"), "--duration");
        assertUsageError(run("connect", "127.0.0.1:80", "--ipv6-only"), "--ipv6-only", "IPv4 address 127.0.0.1");
        assertUsageError(run("connect", "[::1]:80", "--bind", "127.0.0.1"), "different address families");
        assertUsageError(run("connect", "127.0.0.1:80", "--bind", "127.0.0.1:70000"), "--bind '127.0.0.1:70000'",
                "0..65535");
        assertUsageError(run("connect", "127.0.0.1:80", "--keepalive", "30,5"), "--keepalive", "three positive numbers");
        assertUsageError(run("connect", "127.0.0.1:80", "--rcvbuf", "lots"), "--rcvbuf 'lots'", "not a whole number");
        assertUsageError(run("connect", "127.0.0.1:80", "--duration", "0"), "--duration must be 1..");
        assertUsageError(run("connect", "127.0.0.1:80", "--timeout", "0"), "--timeout must be");
        assertUsageError(run("connect", "no-such-host.invalid:80"), "'no-such-host.invalid'", "does not resolve");
    }

    @Test
    void programHelpListsEveryCommand() {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"-h"}, new String[] {"help"})) {
            Run run = run(args);
            assertEquals(0, run.exitCode());
            assertTrue(run.stdout().startsWith("Usage: sockopt-bridge [-hV] COMMAND"), run.stdout());
            for (String command : List.of("probe", "selftest", "listen", "help")) {
                assertTrue(run.stdout().contains("\n  " + command + " "), command + " in\n" + run.stdout());
            }
            assertFitsATerminal(run.stdout());
        }
    }

    @Test
    void version() {
        for (String[] args : List.of(new String[] {"--version"}, new String[] {"-V"}, new String[] {"probe", "-V"},
                new String[] {"listen", "--version"})) {
            Run run = run(args);
            assertEquals(0, run.exitCode());
            // No manifest when the classes run from target/classes.
            assertEquals("sockopt-bridge (development build)", run.stdout().trim());
        }
    }

    @Test
    void commandErrorsShowTheProgramUsage() {
        assertUsageError(run(), "a command is required");
        assertUsageError(run("prob"), "unknown command 'prob'", "did you mean probe?");
        assertUsageError(run("generate-completion"), "unknown command 'generate-completion'");
        assertUsageError(run("--jsn"), "unknown option '--jsn'");
        assertUsageError(run("help", "nosuch"), "unknown command 'nosuch'");
        assertUsageError(run("help", "probe", "listen"), "at most one command");
    }

    @Test
    void optionErrorsShowTheCommandsUsage() {
        Run typo = run("probe", "--jsn");
        assertUsageError(typo, "unknown option '--jsn'", "did you mean --json?");
        assertTrue(typo.stderr().contains("Usage: sockopt-bridge probe"), typo.stderr());
        // Only whole names: an abbreviation that happens to be unique today breaks when an option is added.
        assertUsageError(run("probe", "--js"), "unknown option '--js'");
        assertUsageError(run("probe", "extra"), "'extra'");
        assertUsageError(run("probe", "--require", "TCP_KEEPIDLE", "--", "--json"), "'--json'");
        assertUsageError(run("listen", "--port"), "--port needs a value");
        assertUsageError(run("listen", "--port", "80", "--port", "81"), "--port", "2 times");
        assertUsageError(run("selftest", "--json", "--json"), "--json", "2 times");
    }

    @Test
    void numbersNameTheOptionAndTheValue() {
        assertUsageError(run("listen", "--port", "abc"), "--port 'abc'", "not a whole number");
        assertUsageError(run("listen", "--port="), "--port ''", "not a whole number");
        assertUsageError(run("listen", "--rcvbuf", "99999999999"), "--rcvbuf '99999999999'", "out of range");
        assertUsageError(run("listen", "--duration", "99999999999999999999"), "--duration '99999999999999999999'",
                "out of range");
        // A negative number is the option's value, not an unknown option "-1".
        assertUsageError(run("listen", "--backlog", "-1"), "--backlog must be at least 1, got -1");
        assertUsageError(run("listen", "--backlog=-1"), "--backlog must be at least 1, got -1");
        assertUsageError(run("listen", "--port", "65536"), "--port must be 0..65535, got 65536");
    }

    @Test
    void keepAliveTakesExactlyThreePositiveNumbers() {
        for (String value : List.of("60,10", "60,10,5,1", "60,x,5", "60,,5", "60,10,", "", "0,10,5")) {
            assertUsageError(run("listen", "--keepalive", value), "--keepalive", "three positive numbers");
        }
        assertUsageError(run("listen", "--keepalive", "60,10,5", "--keepalive", "30,5,3"), "--keepalive", "2 times");
    }

    /** Both spellings of a value, quotes kept as typed, and --require collects every occurrence. */
    @Test
    void requireValuesAreCheckedAsTyped() {
        assertUsageError(run("probe", "--require", ","), "--require ','", "empty option name");
        assertUsageError(run("probe", "--require="), "--require ''", "empty option name");
        assertUsageError(run("probe", "--require", ""), "--require ''", "empty option name");
        assertUsageError(run("probe", "--require", "\"TCP_KEEPIDLE\""), "--require '\"TCP_KEEPIDLE\"'");
        assertUsageError(run("probe", "--require=TCP_KEEPIDLE", "--require", "TCP_NODELAYY"), "TCP_NODELAYY");
    }

    /** As picocli took them: an explicit true sets a flag, false leaves it unset. */
    @Test
    void flagsTakeAnExplicitTrueOrFalse() {
        assertEquals(0, run("selftest", "--json=true", "--help").exitCode());
        assertEquals(0, run("selftest", "--json=FALSE", "--help").exitCode());
        assertUsageError(run("selftest", "--json=yes"), "--json takes no value", "'yes'");
        assertUsageError(run("selftest", "--json=true", "--json"), "--json", "2 times");
        assertUsageError(run("probe", "--require", "TCP_KEEPIDLE", "--", "--json=false"), "'--json=false'");
        // Main.run would run the self-test: whether the flag is set is checked on the parsed arguments.
        assertTrue(Arguments.parse(SelftestCommand.SPEC, List.of("--json=true")).flag("json"));
        assertFalse(Arguments.parse(SelftestCommand.SPEC, List.of("--json=false")).flag("json"));
    }

    @Test
    void suggestions() {
        assertEquals(" (did you mean probe?)", Main.suggestion("prbe", List.of("probe", "listen")));
        assertEquals(" (did you mean --reuse-port?)", Main.suggestion("--reuse-prot=1", List.of("--json", "--reuse-port")));
        assertEquals("", Main.suggestion("xyz", List.of("probe", "listen")));
    }

    private static void assertFitsATerminal(String text) {
        for (String line : text.lines().toList()) {
            assertTrue(line.length() <= 80, "longer than 80 columns: " + line);
            assertFalse(line.endsWith(" "), "trailing space: '" + line + "'");
        }
    }
}
