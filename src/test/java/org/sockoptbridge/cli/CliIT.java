package org.sockoptbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The CLI jar run as a user runs it, checked against the host (procfs, getconf, ss, python3). */
class CliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] OPTIONS = {"TCP_KEEPIDLE", "TCP_KEEPINTVL", "TCP_KEEPCNT", "SO_RCVBUF", "SO_SNDBUF",
            "IPV6_V6ONLY", "SO_REUSEPORT", "TCP_USER_TIMEOUT"};
    /**
     * The host limits the probe reports (README's JSON schema), pinned here rather than read from
     * ProbeReport: failsafe runs the ITs against the packaged library jar, which holds no CLI
     * classes (only compile-time constants such as ProbeReport.SCHEMA reach this class).
     */
    private static final List<String> LIMITS = List.of("net.core.somaxconn", "net.ipv4.tcp_max_syn_backlog",
            "net.core.rmem_max", "net.core.wmem_max", "net.ipv6.bindv6only", "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_retries2");

    @Test
    void probeJsonMatchesTheHost() throws Exception {
        CliProcess.Result result = CliProcess.run("probe", "--json");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("", result.stderr(), "nothing on stderr, no JVM warnings either");
        JsonNode probe = JSON.readTree(result.stdout());
        assertEquals(ProbeReport.SCHEMA, probe.get("schema").asText());

        JsonNode platform = probe.get("platform");
        assertEquals("linux", platform.get("os").asText());
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim(), platform.get("kernel").asText());
        assertEquals(System.getProperty("java.version"), platform.get("javaVersion").asText());
        assertEquals("glibc", platform.get("libc").asText());
        assertEquals(command("getconf", "GNU_LIBC_VERSION").replace("glibc", "").trim(),
                platform.get("libcVersion").asText());
        assertTrue(platform.get("nativeLibrary").asText().contains("libsockopt_bridge-linux-"), platform.toString());

        for (String limit : LIMITS) {
            assertEquals(CliProcess.sysctl(limit), probe.get("limits").get(limit).asLong(), limit);
        }
        // hostLimits: the same settings read by the shim (host_limits.c), named and with their value.
        String[][] hostLimits = {{"acceptQueueMax", "net.core.somaxconn"}, {"receiveBufferMax", "net.core.rmem_max"},
            {"sendBufferMax", "net.core.wmem_max"}};
        for (String[] limit : hostLimits) {
            JsonNode entry = probe.get("hostLimits").get(limit[0]);
            assertEquals(limit[1], entry.get("setting").asText(), entry.toString());
            assertEquals(CliProcess.sysctl(limit[1]), entry.get("value").asLong(), entry.toString());
            assertTrue(entry.get("unknownReason").isNull(), entry.toString());
            assertTrue(entry.get("meaning").asText().contains(limit[1]), entry.toString());
        }
        JsonNode options = probe.get("options");
        assertEquals(OPTIONS.length, options.size());
        for (int i = 0; i < OPTIONS.length; i++) {
            JsonNode option = options.get(i);
            assertEquals(OPTIONS[i], option.get("name").asText());
            assertTrue(option.get("supported").asBoolean(), option.toString());
            assertTrue(option.get("reason").isNull(), option.toString());
            assertTrue(option.get("semantics").asText().length() > 20, option.toString());
        }
        assertEquals(CliProcess.sysctl("net.ipv4.tcp_keepalive_time"), options.get(0).get("default").asLong());
        assertEquals(CliProcess.sysctl("net.ipv4.tcp_keepalive_intvl"), options.get(1).get("default").asLong());
        assertEquals(CliProcess.sysctl("net.ipv4.tcp_keepalive_probes"), options.get(2).get("default").asLong());
        assertEquals(CliProcess.sysctl("net.ipv6.bindv6only"), options.get(5).get("default").asLong());
        assertTrue(options.get(5).get("jdk").get("name").isNull(), "the JDK has no IPV6_V6ONLY");
        assertFalse(options.get(5).get("jdk").get("supported").asBoolean());
        long overflowsBefore = probe.get("counters").get("ListenOverflows").asLong();
        assertTrue(overflowsBefore >= 0 && overflowsBefore <= tcpExt("ListenOverflows"));
        assertTrue(probe.get("inheritance").get("detected").asBoolean());
    }

    @Test
    void probeTextNamesEveryOptionAndLimit() throws Exception {
        CliProcess.Result result = CliProcess.run("probe");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("", result.stderr());
        for (String option : OPTIONS) {
            assertTrue(result.stdout().contains(option + ": supported"), option + " in\n" + result.stdout());
        }
        for (String limit : LIMITS) {
            assertTrue(result.stdout().contains(limit), limit);
        }
        assertTrue(result.stdout().contains("ListenOverflows"));
    }

    @Test
    void requireExitCodes() throws Exception {
        CliProcess.Result all = CliProcess.run("probe", "--require", String.join(",", OPTIONS));
        assertEquals(0, all.exitCode(), all.stderr());
        assertEquals("", all.stderr());

        CliProcess.Result unknown = CliProcess.run("probe", "--require", "TCP_KEEPIDLE,TCP_NODELAYY");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.stderr().contains("TCP_NODELAYY"), unknown.stderr());
    }

    /** A build without TCP_KEEPCNT and SO_REUSEPORT: exit 1, one line per missing option, same reason as the JSON. */
    @Test
    void requireNamesEachMissingOptionWithTheJsonReason() throws Exception {
        Path library = Path.of(System.getProperty("sockopt.bridge.test.nativeDir"),
                "libsockopt_bridge-" + org.sockoptbridge.internal.Platform.current().osArch() + "-without-options.so");
        List<String> jvm = List.of("-Dsockopt.bridge.library=" + library);
        CliProcess.Result missing = CliProcess.run(jvm, "probe", "--require", "TCP_KEEPIDLE,TCP_KEEPCNT,SO_REUSEPORT");
        assertEquals(1, missing.exitCode(), missing.stdout() + missing.stderr());
        List<String> lines = missing.stderr().lines().toList();
        assertEquals(2, lines.size(), missing.stderr());

        JsonNode probe = JSON.readTree(CliProcess.run(jvm, "probe", "--json").stdout());
        assertEquals("TCP_KEEPCNT: " + probe.get("options").get(2).get("reason").asText(), lines.get(0));
        assertEquals("SO_REUSEPORT: " + probe.get("options").get(6).get("reason").asText(), lines.get(1));
        assertEquals("NOT_COMPILED_ON_THIS_OS", probe.get("options").get(2).get("reasonCode").asText());
        assertTrue(probe.get("options").get(0).get("supported").asBoolean());
    }

    @Test
    void selftestPassesOnThisHost() throws Exception {
        CliProcess.Result result = CliProcess.run("selftest", "--json");
        assertEquals(0, result.exitCode(), result.stdout() + result.stderr());
        JsonNode report = JSON.readTree(result.stdout());
        assertEquals(SelftestCommand.SCHEMA, report.get("schema").asText());
        assertTrue(report.get("passed").asBoolean());
        int passed = 0;
        for (JsonNode check : report.get("checks")) {
            assertNotEquals("FAIL", check.get("status").asText(), check.toString());
            passed += "PASS".equals(check.get("status").asText()) ? 1 : 0;
        }
        assertEquals(report.get("checks").size(), passed, "every check runs on this host: " + report);
    }

    /**
     * listen: the first line tells the truth about the listener (the backlog as ss shows it, a
     * second implementation can share the port only because SO_REUSEPORT is on), and a client
     * receives its accepted socket's options; when the client closes, listen prints why it ended.
     */
    @Test
    void listenReportsWhatTheKernelHolds() throws Exception {
        Process listen = CliProcess.start("listen", "--host", "127.0.0.1", "--port", "0", "--reuse-port",
                "--backlog", "7", "--rcvbuf", "65536", "--keepalive", "61,11,4", "--duration", "30", "--json");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(listen.getInputStream(), StandardCharsets.UTF_8))) {
            JsonNode first = JSON.readTree(out.readLine());
            assertEquals("listening", first.get("event").asText());
            assertEquals("127.0.0.1", first.get("address").asText());
            int port = first.get("port").asInt();
            assertTrue(port > 0);
            JsonNode options = first.get("options");
            assertTrue(options.get("SO_REUSEPORT").asBoolean());
            assertEquals(2 * 65536, options.get("SO_RCVBUF").asInt(), "Linux doubles what was asked");
            assertEquals(61, options.get("TCP_KEEPIDLE").asInt(), "policy installed on the listener");

            // From outside: ss shows a listening socket's backlog in Send-Q.
            String ss = command("ss", "-Hltn", "sport = :" + port);
            assertTrue(ss.trim().split("\\s+")[2].equals("7"), "ss -ltn Send-Q is the backlog: " + ss);

            // A second implementation shares the port only with SO_REUSEPORT (same user).
            assumeTrue(commandExists("python3"), "python3 is needed for the cross-check");
            String python = "import socket,sys\n"
                    + "def bind(reuse):\n"
                    + "  s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1) if reuse else None\n"
                    + "  try:\n    s.bind(('127.0.0.1'," + port + ")); s.listen(1); return 'bound'\n"
                    + "  except OSError as e: return 'refused:'+str(e.errno)\n"
                    + "print(bind(False), bind(True))\n";
            assertEquals("refused:98 bound", command("python3", "-c", python).trim());

            for (int i = 0; i < 2; i++) {
                JsonNode accepted = connectAndRead(port);
                assertEquals("accepted", accepted.get("event").asText());
                assertEquals(61, accepted.get("options").get("TCP_KEEPIDLE").asInt());
                assertEquals(11, accepted.get("options").get("TCP_KEEPINTVL").asInt());
                assertEquals(4, accepted.get("options").get("TCP_KEEPCNT").asInt());
                assertEquals(2 * 65536, accepted.get("options").get("SO_RCVBUF").asInt(), "inherited from the listener");
                JsonNode printed = JSON.readTree(out.readLine());
                assertEquals(accepted, printed, "the client gets the line listen printed");
                // listen holds the connection until the client closes it, then says so.
                JsonNode closed = JSON.readTree(out.readLine());
                assertEquals("closed", closed.get("event").asText(), closed.toString());
                assertEquals(accepted.get("peer"), closed.get("peer"));
                assertEquals("peer-closed", closed.get("reason").asText(), closed.toString());
            }
        } finally {
            listen.destroy();
            listen.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void listenUsageErrors() throws Exception {
        assertEquals(2, CliProcess.run("listen", "--keepalive", "60,10").exitCode());
        assertEquals(2, CliProcess.run("listen", "--keepalive", "0,10,3").exitCode());
        CliProcess.Result outOfRange = CliProcess.run("listen", "--host", "127.0.0.1", "--keepalive", "99999,10,3",
                "--duration", "1");
        assertEquals(2, outOfRange.exitCode());
        assertTrue(outOfRange.stderr().contains("TCP_KEEPIDLE") && outOfRange.stderr().contains("1..32767"),
                outOfRange.stderr());
        CliProcess.Result v4only = CliProcess.run("listen", "--host", "127.0.0.1", "--ipv6-only", "--duration", "1");
        assertEquals(2, v4only.exitCode());
    }

    @Test
    void listenFailsClearlyWhenThePortIsTaken() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliProcess.Result result = CliProcess.run("listen", "--host", "127.0.0.1", "--port",
                    String.valueOf(taken.getLocalPort()), "--duration", "1");
            assertEquals(1, result.exitCode());
            assertTrue(result.stderr().contains("cannot listen") && result.stderr().contains("in use"), result.stderr());
        } catch (BindException e) {
            throw new AssertionError(e);
        }
    }

    // Issue 9, section 5: bad input is a usage error (exit 2) found before anything binds, with one
    // "error:" line that names the option and the value, the usage, and no Java class names.

    @Test
    void listenBacklogMustBePositive() throws Exception {
        for (String backlog : List.of("0", "-1")) {
            assertUsageError(CliProcess.run("listen", "--host", "127.0.0.1", "--backlog", backlog, "--duration", "1"),
                    "--backlog", backlog);
        }
    }

    /** Longer than System.nanoTime() can time (Long.MAX_VALUE ns, about 292 years): refused before binding. */
    @Test
    void listenDurationBeyondTheJvmClock() throws Exception {
        for (String duration : List.of("9223372037", String.valueOf(Long.MAX_VALUE))) {
            assertUsageError(CliProcess.run("listen", "--host", "127.0.0.1", "--duration", duration),
                    "--duration", duration);
        }
    }

    /** An empty name is a typo (a stray comma), not "require nothing": it must not pass a start script's gate. */
    @Test
    void requireRejectsEmptyNames() throws Exception {
        for (String require : List.of(",", "", " ", "TCP_KEEPIDLE,", "TCP_KEEPIDLE,,SO_RCVBUF")) {
            assertUsageError(CliProcess.run("probe", "--require", require), "--require", "'" + require + "'");
        }
    }

    /** InetAddress.getByName("") is the loopback address: an empty --host must not mean 127.0.0.1. */
    @Test
    void listenRejectsAnEmptyHost() throws Exception {
        for (String host : List.of("", " ")) {
            assertUsageError(CliProcess.run("listen", "--host", host, "--duration", "1"), "--host", "'" + host + "'");
        }
    }

    /**
     * Names match case-insensitively in ASCII only: String.equalsIgnoreCase folds the dotted capital
     * İ to i, and toUpperCase(Locale.ROOT) the dotless ı to I, so neither spelling may name an option.
     * A Turkish default locale (where "i".toUpperCase() is "İ") must not break the plain lower case.
     */
    @Test
    void optionNamesMatchOnlyInAsciiCase() throws Exception {
        // The names travel as command-line bytes: both JVMs must encode them as UTF-8 (LANG=C.UTF-8 here).
        assumeTrue("UTF-8".equals(System.getProperty("sun.jnu.encoding")), "needs a UTF-8 locale to pass İ and ı");
        for (String name : List.of("TCP_KEEP\u0130DLE", "tcp_keep\u0131dle")) {
            assertUsageError(CliProcess.run("probe", "--require", name), "--require", name);
        }
        List<String> turkish = List.of("-Duser.language=tr", "-Duser.country=TR");
        CliProcess.Result lower = CliProcess.run(turkish, "probe", "--require", "tcp_keepidle,ipv6_v6only");
        assertEquals(0, lower.exitCode(), lower.stderr());
        assertEquals("all 2 required options are supported", lower.stdout().trim());
    }

    @Test
    void listenNamesAHostThatDoesNotResolve() throws Exception {
        // .invalid never resolves (RFC 6761); the stub resolver answers NXDOMAIN-style at once, even offline.
        assertUsageError(CliProcess.run("listen", "--host", "no-such-host.invalid", "--duration", "1"),
                "--host", "'no-such-host.invalid'", "does not resolve");
    }

    /**
     * Scoped IPv6 literals: a zone names an interface that must exist (and hold an address the
     * JDK can scope by), and only an IPv6 address takes one; a valid one binds.
     */
    @Test
    void listenScopedIpv6Literals() throws Exception {
        assertUsageError(CliProcess.run("listen", "--host", "fe80::1%nosuchif", "--duration", "1"),
                "--host", "'fe80::1%nosuchif'", "no network interface named 'nosuchif'");
        assertUsageError(CliProcess.run("listen", "--host", "127.0.0.1%lo", "--duration", "1"),
                "--host", "'127.0.0.1%lo'", "IPv6");
        java.net.NetworkInterface lo = java.net.NetworkInterface.getByName("lo");
        assumeTrue(lo != null && lo.inetAddresses().noneMatch(InetAddress::isLinkLocalAddress),
                "needs a loopback interface without a link-local address");
        // The JDK scopes a link-local address by an interface's own link-local address; lo has none.
        assertUsageError(CliProcess.run("listen", "--host", "fe80::1%lo", "--duration", "1"),
                "--host", "'fe80::1%lo'", "'lo'");

        assumeTrue(lo.inetAddresses().anyMatch(a -> a.isLoopbackAddress() && a instanceof java.net.Inet6Address),
                "needs ::1 on lo");
        CliProcess.Result scoped = CliProcess.run("listen", "--host", "::1%lo", "--duration", "1");
        assertEquals(0, scoped.exitCode(), scoped.stderr());
        assertTrue(scoped.stdout().startsWith("listening on [0:0:0:0:0:0:0:1]:"), scoped.stdout());
    }

    /** Exit 2; exactly one "error:" line naming each fragment; the usage; nothing on stdout (nothing bound). */
    private static void assertUsageError(CliProcess.Result result, String... fragments) {
        String all = result.stdout() + result.stderr();
        assertEquals(2, result.exitCode(), all);
        List<String> errors = result.stderr().lines().filter(line -> line.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), result.stderr());
        for (String fragment : fragments) {
            assertTrue(errors.get(0).contains(fragment), "'" + fragment + "' in " + errors.get(0));
        }
        assertTrue(result.stderr().contains("Usage: "), result.stderr());
        assertEquals("", result.stdout());
        assertFalse(java.util.regex.Pattern.compile("\\b(java\\.|[A-Z]\\w*(Exception|Error)\\b)").matcher(all).find(),
                "no Java class names: " + all);
    }

    private static JsonNode connectAndRead(int port) throws IOException {
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            client.setSoTimeout(10_000);
            return JSON.readTree(new BufferedReader(new InputStreamReader(client.getInputStream(),
                    StandardCharsets.UTF_8)).readLine());
        }
    }

    private static long tcpExt(String name) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith("TcpExt:")) {
                List<String> names = List.of(lines.get(i).split("\\s+"));
                return Long.parseLong(lines.get(i + 1).split("\\s+")[names.indexOf(name)]);
            }
        }
        throw new IllegalStateException("no TcpExt in /proc/net/netstat");
    }

    private static boolean commandExists(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    private static String command(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
        return output;
    }
}
