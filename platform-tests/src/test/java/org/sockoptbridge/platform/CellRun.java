package org.sockoptbridge.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * Runs one cell: starts its container (no network, its sysctls, the CLI jar copied in), runs the
 * CLI the way a user would, and records every check in a {@link CellResult}. The container is
 * always stopped, whatever happens.
 */
final class CellRun {

    static final String JAR_IN_CONTAINER = "/opt/sockopt-bridge/sockopt-bridge-cli.jar";
    static final List<String> OPTIONS = List.of("TCP_KEEPIDLE", "TCP_KEEPINTVL", "TCP_KEEPCNT", "SO_RCVBUF",
            "SO_SNDBUF", "IPV6_V6ONLY", "SO_REUSEPORT", "TCP_USER_TIMEOUT");
    static final List<String> LIMITS = List.of("net.core.somaxconn", "net.ipv4.tcp_max_syn_backlog",
            "net.core.rmem_max", "net.core.wmem_max", "net.ipv6.bindv6only", "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_retries2");
    /** Seconds one CLI run may take inside the container (coreutils timeout; exit 124 when hit). */
    static final int COMMAND_TIMEOUT_S = Integer.getInteger("sob.commandTimeout", 180);
    /**
     * Seconds the host's JUnit suite may take in a cell: about 40 s natively, 1.5 to 3 minutes
     * under qemu-user on 2 busy cores (measured here), so a wide margin.
     */
    static final int SUITE_TIMEOUT_S = Integer.getInteger("sob.suiteTimeout", 900);
    static final String SUITE_REPORTS = "/tmp/sockopt-bridge-suite-reports";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static final String SUITE_IN_CONTAINER = "/opt/suite";

    private final Cell cell;
    private final Path jar;
    private final Path suite;
    private final CellResult result;
    private GenericContainer<?> container;

    /** @param suite the host suite (run-matrix.sh prepares it), or null to run only the CLI */
    CellRun(Cell cell, Path jar, Path suite, CellResult result) {
        this.cell = cell;
        this.jar = jar;
        this.suite = suite;
        this.result = result;
    }

    void run() throws Exception {
        if (cell.arch().emulated() && !emulatorRegistered()) {
            return;
        }
        try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(cell.image()))
                .withNetworkMode("none")
                .withCommand("sleep", "infinity")
                .withLabel("org.sockoptbridge.cell", cell.id())
                .withCopyFileToContainer(MountableFile.forHostPath(jar), JAR_IN_CONTAINER)
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withSysctls(cell.sysctls()))
                .withStartupTimeout(Duration.ofSeconds(120))) {
            if (suite != null && cell.runsHostSuite()) {
                c.withCopyFileToContainer(MountableFile.forHostPath(suite), SUITE_IN_CONTAINER);
            }
            container = c;
            c.start();
            runChecks();
        }
    }

    /**
     * The kernel runs the cell's programs through qemu-user only with a binfmt_misc entry that
     * has the F flag (its interpreter opened at registration, so the container needs no qemu of
     * its own). Records the emulator's version for the report.
     */
    private boolean emulatorRegistered() throws IOException, InterruptedException {
        Path entry = Path.of("/proc/sys/fs/binfmt_misc", cell.arch().binfmtEntry);
        List<String> lines = Files.isReadable(entry) ? Files.readAllLines(entry) : List.of();
        String interpreter = lines.stream().filter(l -> l.startsWith("interpreter ")).map(l -> l.substring(12).strip())
                .findFirst().orElse(null);
        String flags = lines.stream().filter(l -> l.startsWith("flags:")).map(l -> l.substring(6).strip())
                .findFirst().orElse("");
        boolean ready = !lines.isEmpty() && lines.get(0).equals("enabled") && interpreter != null && flags.contains("F");
        if (!result.check("binfmt_misc runs " + cell.arch().machine + " programs (" + entry + ": enabled, flag F)", ready,
                lines.isEmpty() ? "missing: run platform-tests/scripts/binfmt-aarch64.sh register (run-matrix.sh does)"
                        : String.join("; ", lines))) {
            return false;
        }
        // Debian's entry names a wrapper (aarch64-binfmt-P) that only the kernel may start: ask the
        // emulator it links to.
        Process version = new ProcessBuilder(Path.of(interpreter).toRealPath().toString(), "--version")
                .redirectErrorStream(true).start();
        String first = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .findFirst().orElse("").strip();
        version.waitFor();
        result.emulator = first.isEmpty() ? interpreter : first;
        return true;
    }

    record Exec(int exit, String stdout, String stderr) {
        String both() {
            return (stdout + "\n" + stderr).strip();
        }
    }

    private Exec exec(String... command) throws IOException, InterruptedException {
        return execWithin(COMMAND_TIMEOUT_S, command);
    }

    private Exec execWithin(int seconds, String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("timeout", String.valueOf(seconds)));
        full.addAll(Arrays.asList(command));
        ExecResult r = container.execInContainer(full.toArray(String[]::new));
        return new Exec(r.getExitCode(), r.getStdout(), r.getStderr());
    }

    private Exec cli(String... args) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("java", "-jar", JAR_IN_CONTAINER));
        full.addAll(Arrays.asList(args));
        return exec(full.toArray(String[]::new));
    }

    private static String shorten(String text) {
        String t = text == null ? "" : text.strip();
        return t.length() > 600 ? t.substring(0, 600) + " ..." : t;
    }

    private static String exitText(Exec e) {
        return "exit " + e.exit() + (e.exit() == 124 ? " (timed out)" : "")
                + (e.both().isEmpty() ? "" : ": " + shorten(e.both()));
    }

    private void runChecks() throws IOException, InterruptedException {
        CellResult r = result;

        // The user land: JDK and glibc.
        Exec version = exec("java", "-version");
        Matcher m = Pattern.compile("version \"([^\"]+)\"").matcher(version.stderr());
        r.javaVersion = m.find() ? m.group(1) : null;
        r.check("java -version is JDK " + cell.javaMajor(), version.exit() == 0 && r.javaVersion != null
                && (r.javaVersion.equals(String.valueOf(cell.javaMajor()))
                    || r.javaVersion.startsWith(cell.javaMajor() + ".")), exitText(version));
        Exec libc = exec("getconf", "GNU_LIBC_VERSION");
        r.glibc = libc.exit() == 0 ? libc.stdout().strip().replaceFirst("^glibc\\s+", "") : null;
        Exec uname = exec("uname", "-r");
        r.kernel = uname.stdout().strip();
        // Under qemu-user uname reports the emulated machine (qemu's linux-user/uname.c,
        // cpu_to_uname_machine), so this shows the cell really runs its own architecture.
        Exec machine = exec("uname", "-m");
        r.machine = machine.stdout().strip();
        r.check("uname -m is " + cell.arch().machine, cell.arch().machine.equals(r.machine), exitText(machine));
        String library = "META-INF/native/" + cell.arch().platform() + "/libsockopt_bridge-" + cell.arch().platform()
                + ".so";
        r.check("the CLI jar carries " + library, jarHas(library), jar + " has no such entry"
                + (cell.arch().emulated() ? ": build it with mvn -Pall-platforms package (see README, Platforms)" : ""));

        // The sysctls the cell asked for, and the limits the probe must report, read with cat.
        StringBuilder script = new StringBuilder();
        Set<String> keys = new LinkedHashSet<>(LIMITS);
        keys.addAll(cell.sysctls().keySet());
        for (String key : keys) {
            String file = "/proc/sys/" + key.replace('.', '/');
            script.append("printf '%s=' '").append(key).append("'; cat '").append(file)
                    .append("' 2>/dev/null || echo; ");
        }
        Exec proc = exec("sh", "-c", script.toString());
        for (String line : proc.stdout().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                String value = line.substring(eq + 1).strip();
                r.procSys.put(line.substring(0, eq), value.isEmpty() ? null : value);
            }
        }
        for (Map.Entry<String, String> sysctl : cell.sysctls().entrySet()) {
            r.check("sysctl " + sysctl.getKey() + "=" + sysctl.getValue() + " in effect",
                    sysctl.getValue().equals(r.procSys.get(sysctl.getKey())),
                    "cat /proc/sys/...: " + r.procSys.get(sysctl.getKey()));
        }

        // probe --json
        Exec probeRun = cli("probe", "--json");
        // JEP 472: the jar's manifest (Enable-Native-Access) must keep JDK 24+ quiet about native access.
        r.check("no native-access warning (probe stderr)",
                !probeRun.stderr().contains("restricted method"), shorten(probeRun.stderr()));
        probeRun.stderr().lines().filter(l -> l.startsWith("WARNING:")).forEach(r.jvmWarnings::add);
        JsonNode probe = parse("probe --json", probeRun);
        if (probe != null) {
            checkProbe(probe);
        }

        // probe --require
        List<String> expected = new ArrayList<>(OPTIONS);
        if (!cell.ipv6Expected()) {
            expected.remove("IPV6_V6ONLY");
        }
        Exec require = cli("probe", "--require", String.join(",", expected));
        r.check("probe --require " + String.join(",", expected) + " exits 0", require.exit() == 0,
                exitText(require));
        Exec usage = cli("probe", "--require", "NO_SUCH_OPTION");
        r.check("probe --require NO_SUCH_OPTION exits 2 (usage error)", usage.exit() == 2, exitText(usage));
        if (!cell.ipv6Expected()) {
            checkRequireWithoutIpv6();
        }

        // selftest --json: the conformance checks against real sockets in this cell.
        Exec selftestRun = cli("selftest", "--json");
        JsonNode selftest = parse("selftest --json", selftestRun);
        if (selftest != null) {
            r.selftestPassed = selftest.path("passed").isBoolean() ? selftest.path("passed").asBoolean() : null;
            for (JsonNode check : selftest.path("checks")) {
                switch (check.path("status").asText()) {
                    case "PASS" -> r.selftestPass++;
                    case "SKIP" -> r.selftestSkip++;
                    default -> {
                        r.selftestFail++;
                        r.selftestFailures.add(check.path("name").asText("?") + " [" + check.path("status").asText()
                                + "]: " + check.path("detail").asText(""));
                    }
                }
            }
            r.check("selftest schema", selftest.path("schema").asText("").startsWith("sockopt-bridge.selftest/"),
                    "schema=" + selftest.path("schema"));
            r.check("selftest has checks", r.selftestPass > 0, r.selftestPass + " PASS, " + r.selftestSkip + " SKIP");
            r.check("selftest passed (no FAIL, passed=true, exit 0)",
                    selftestRun.exit() == 0 && Boolean.TRUE.equals(r.selftestPassed) && r.selftestFail == 0,
                    "exit " + selftestRun.exit() + ", passed=" + r.selftestPassed + ", failed: " + r.selftestFailures);
        }
        if (cell.kind() == Cell.Kind.SOMAXCONN) {
            checkBacklogCap();
        }
        if (cell.runsHostSuite()) {
            runHostSuite();
        }
    }

    /**
     * The cap in action, not only in the probe's limits: a listener asking for 4096 gets
     * somaxconn (net/socket.c __sys_listen: backlog = min(backlog, somaxconn)), in the listening
     * line and in every --watch line's limit, read live from TCP_INFO.
     */
    private void checkBacklogCap() throws IOException, InterruptedException {
        Exec listen = cli("listen", "--host", "127.0.0.1", "--backlog", "4096", "--watch", "100ms", "--duration", "1",
                "--json");
        String[] lines = listen.stdout().strip().split("\n");
        JsonNode first = null;
        JsonNode watch = null;
        try {
            first = JSON.readTree(lines[0]);
            watch = lines.length > 1 ? JSON.readTree(lines[1]) : null;
        } catch (JsonProcessingException e) {
            // reported by the checks below, with the output
        }
        long cap = Cell.SOMAXCONN_VALUE;
        result.check("listen --backlog 4096 is reported as " + cap, listen.exit() == 0 && first != null
                && first.path("backlog").path("requested").asLong() == 4096
                && first.path("backlog").path("effective").asLong() == cap, exitText(listen));
        result.check("listen --watch shows a limit of " + cap, watch != null
                && "watch".equals(watch.path("event").asText()) && watch.path("queue").path("limit").asLong() == cap,
                shorten(listen.stdout()));
    }

    /**
     * The host's own JUnit tests (target/test-classes, the *Test classes; the CLI's *IT need the
     * host's tools), run with this cell's JDK by JUnit's console launcher, which writes JUnit XML
     * that is read back for the counts and every skip reason. Tests whose tools or privileges a
     * container lacks (python3, network namespaces), or that the platform cannot serve, are
     * aborted by their assumptions with the reason, not failed.
     */
    private void runHostSuite() throws IOException, InterruptedException {
        CellResult r = result;
        if (suite == null) {
            r.suiteNote = "not run: SOB_SUITE_DIR not set (run-matrix.sh prepares the suite after mvn verify)";
            return;
        }
        String dir = SUITE_IN_CONTAINER;
        Exec run = execWithin(SUITE_TIMEOUT_S, "java", "-Dsockopt.bridge.test.nativeDir=" + dir + "/native-test",
                "-Dsockopt.bridge.test.classesDir=" + dir + "/classes",
                "-cp", dir + "/test-classes:" + dir + "/classes:" + dir + "/deps/*",
                "org.junit.platform.console.ConsoleLauncher", "execute", "--disable-banner", "--disable-ansi-colors",
                "--details=summary", "--reports-dir", SUITE_REPORTS,
                "--scan-classpath", dir + "/test-classes", "--include-classname", ".*Test");
        Exec xml = exec("cat", SUITE_REPORTS + "/TEST-junit-jupiter.xml");
        if (xml.exit() != 0) {
            r.check("host JUnit suite wrote its XML report", false,
                    exitText(new Exec(run.exit(), tail(run.stdout()), run.stderr())) + "; cat: " + xml.stderr().strip());
            return;
        }
        TestResults tests;
        try {
            tests = TestResults.parse(xml.stdout());
        } catch (IOException e) {
            r.check("host JUnit suite's XML report reads", false, e.getMessage());
            return;
        }
        r.suite = tests;
        String summary = tests.passed() + " passed, " + tests.failed() + " failed, " + tests.skipped() + " skipped";
        r.check("host JUnit suite passes with JDK " + cell.javaMajor() + " (" + summary + ")",
                run.exit() == 0 && tests.failed() == 0 && tests.passed() > 0,
                (run.exit() == 0 ? summary : exitText(new Exec(run.exit(), tail(run.stdout()), run.stderr())))
                        + (tests.failures().isEmpty() ? "" : "; failed: " + String.join("; ", tests.failures())));
    }

    /** The end of the launcher's output, where it lists failures and the summary. */
    private static String tail(String text) {
        return text.length() > 3000 ? "..." + text.substring(text.length() - 3000) : text;
    }

    private boolean jarHas(String entry) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.getEntry(entry) != null;
        }
    }

    private JsonNode parse(String what, Exec run) {
        if (!result.check(what + " exits 0", run.exit() == 0, exitText(run))
                && run.stdout().isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(run.stdout());
            if (result.check(what + " prints one JSON object", node != null && node.isObject(),
                    shorten(run.stdout()))) {
                return node;
            }
        } catch (JsonProcessingException e) {
            result.check(what + " prints one JSON object", false,
                    e.getOriginalMessage() + "; stdout: " + shorten(run.stdout()));
        }
        return null;
    }

    private void checkProbe(JsonNode probe) {
        CellResult r = result;
        r.check("probe schema", probe.path("schema").asText("").startsWith("sockopt-bridge.probe/"),
                "schema=" + probe.path("schema"));
        JsonNode platform = probe.path("platform");
        r.javaVendor = platform.path("javaVendor").asText(null);
        r.check("probe platform is Linux", platform.path("os").asText("").toLowerCase(Locale.ROOT).contains("linux"),
                "platform=" + platform);
        if (r.glibc != null) {
            r.check("probe libcVersion is the cell's glibc " + r.glibc,
                    platform.path("libcVersion").asText("").contains(r.glibc), "platform.libcVersion="
                            + platform.path("libcVersion"));
        }
        r.backend = probe.path("backend").asText(null);
        r.nativeLibrary = platform.path("nativeLibrary").asText(null);
        r.check("probe platform.osArch is " + cell.arch().platform(),
                cell.arch().platform().equals(platform.path("osArch").asText()), "platform.osArch=" + platform.path("osArch"));
        r.check("the JVM loaded the jar's " + cell.arch().platform() + " shim", "shim".equals(r.backend)
                && r.nativeLibrary != null && r.nativeLibrary.contains("!/META-INF/native/" + cell.arch().platform() + "/"),
                "backend=" + r.backend + ", nativeLibrary=" + r.nativeLibrary);
        r.check("probe javaVersion is JDK " + cell.javaMajor(),
                platform.path("javaVersion").asText("").matches(cell.javaMajor() + "([.+\\-].*)?"),
                "platform.javaVersion=" + platform.path("javaVersion"));
        r.ipv6 = probe.path("ipv6").isBoolean() ? probe.path("ipv6").asBoolean() : null;
        r.check("probe ipv6 is " + cell.ipv6Expected(), Objects.equals(r.ipv6, cell.ipv6Expected()),
                "ipv6=" + probe.path("ipv6"));

        // options: each of the eight exactly once, well-formed.
        r.readOptions(probe);
        List<String> names = new ArrayList<>();
        probe.path("options").forEach(o -> names.add(o.path("name").asText()));
        r.check("probe lists the eight options once each",
                names.size() == OPTIONS.size() && new LinkedHashSet<>(names).equals(new LinkedHashSet<>(OPTIONS)),
                "options=" + names);
        for (JsonNode o : probe.path("options")) {
            boolean wellFormed = o.path("supported").isBoolean()
                    && (o.path("default").isNull() || o.path("default").isNumber())
                    && (o.path("reason").isNull() || o.path("reason").isTextual())
                    && o.has("default") && o.has("reason")
                    && (o.path("supported").asBoolean() || !o.path("reason").asText("").isBlank());
            if (!wellFormed) {
                r.check("probe option " + o.path("name").asText() + " well-formed", false, o.toString());
            }
        }
        for (String option : OPTIONS) {
            CellResult.OptionRow row = r.options.get(option);
            if (row == null) {
                continue;
            }
            boolean expected = cell.ipv6Expected() || !option.equals("IPV6_V6ONLY");
            r.check(option + " supported=" + expected, row.supported() == expected,
                    "supported=" + row.supported() + ", reason=" + row.reason());
            if (row.supported()) {
                r.check(option + " has a default", row.defaultValue() != null, "default=null");
            }
        }

        // limits equal /proc/sys (null where the file is absent)
        JsonNode limits = probe.path("limits");
        for (String key : LIMITS) {
            JsonNode v = limits.get(key);
            Long value = v == null || !v.isNumber() ? null : v.asLong();
            r.probeLimits.put(key, value);
            String cat = r.procSys.get(key);
            r.check("limit " + key + " equals /proc/sys", v != null && Objects.equals(
                    cat == null ? null : Long.valueOf(cat), value), "probe=" + v + ", cat=" + cat);
        }

        // Linux: a fresh socket's keep-alive defaults come from the net.ipv4.tcp_keepalive_* sysctls,
        // and a fresh IPv6 socket's IPV6_V6ONLY from net.ipv6.bindv6only.
        defaultFollows("TCP_KEEPIDLE", "net.ipv4.tcp_keepalive_time");
        defaultFollows("TCP_KEEPINTVL", "net.ipv4.tcp_keepalive_intvl");
        defaultFollows("TCP_KEEPCNT", "net.ipv4.tcp_keepalive_probes");
        if (cell.ipv6Expected()) {
            defaultFollows("IPV6_V6ONLY", "net.ipv6.bindv6only");
        }

        switch (cell.kind()) {
            case NO_IPV6 -> {
                CellResult.OptionRow v6 = r.options.get("IPV6_V6ONLY");
                r.check("IPV6_V6ONLY unsupported with a reason naming IPv6", v6 != null && !v6.supported()
                        && v6.reason() != null && v6.reason().toLowerCase(Locale.ROOT).contains("ipv6"),
                        v6 == null ? "missing" : "reason=" + v6.reason());
            }
            case BINDV6ONLY -> {
                expectDefault("IPV6_V6ONLY", 1);
                expectLimit("net.ipv6.bindv6only", 1);
            }
            case SOMAXCONN -> expectLimit("net.core.somaxconn", Cell.SOMAXCONN_VALUE);
            case KEEPALIVE -> {
                expectLimit("net.ipv4.tcp_keepalive_time", Cell.KEEPALIVE_TIME);
                expectLimit("net.ipv4.tcp_keepalive_intvl", Cell.KEEPALIVE_INTVL);
                expectLimit("net.ipv4.tcp_keepalive_probes", Cell.KEEPALIVE_PROBES);
                expectDefault("TCP_KEEPIDLE", Cell.KEEPALIVE_TIME);
                expectDefault("TCP_KEEPINTVL", Cell.KEEPALIVE_INTVL);
                expectDefault("TCP_KEEPCNT", Cell.KEEPALIVE_PROBES);
            }
            case USERLAND -> {
            }
        }
    }

    private void defaultFollows(String option, String sysctl) {
        CellResult.OptionRow row = result.options.get(option);
        String cat = result.procSys.get(sysctl);
        if (row != null && row.supported() && cat != null) {
            result.check(option + " default equals " + sysctl, Objects.equals(row.defaultValue(), Long.valueOf(cat)),
                    "default=" + row.defaultValue() + ", " + sysctl + "=" + cat);
        }
    }

    private void expectDefault(String option, long expected) {
        CellResult.OptionRow row = result.options.get(option);
        Long actual = row == null ? null : row.defaultValue();
        result.check(option + " default is " + expected, Objects.equals(actual, expected), "default=" + actual);
    }

    private void expectLimit(String key, long expected) {
        Long actual = result.probeLimits.get(key);
        result.check("limit " + key + " is " + expected, Objects.equals(actual, expected), "probe=" + actual);
    }

    /** Without IPv6, a startup check that requires IPV6_V6ONLY fails, naming it and the reason. */
    private void checkRequireWithoutIpv6() throws IOException, InterruptedException {
        CellResult.OptionRow v6 = result.options.get("IPV6_V6ONLY");
        String reason = v6 == null ? null : v6.reason();
        Exec only = cli("probe", "--require", "IPV6_V6ONLY");
        List<String> lines = only.stderr().lines().map(String::strip).toList();
        result.check("probe --require IPV6_V6ONLY exits 1", only.exit() == 1, exitText(only));
        result.check("its stderr has 'IPV6_V6ONLY: <reason>' with the probe's reason",
                lines.stream().anyMatch(l -> l.startsWith("IPV6_V6ONLY:") && reason != null && l.contains(reason)),
                "stderr=" + shorten(only.stderr()) + "; probe reason=" + reason);
        Exec both = cli("probe", "--require", "TCP_KEEPIDLE,IPV6_V6ONLY");
        List<String> bothLines = both.stderr().lines().map(String::strip).toList();
        result.check("probe --require TCP_KEEPIDLE,IPV6_V6ONLY exits 1 naming only IPV6_V6ONLY",
                both.exit() == 1 && bothLines.stream().anyMatch(l -> l.startsWith("IPV6_V6ONLY:"))
                        && bothLines.stream().noneMatch(l -> l.startsWith("TCP_KEEPIDLE:")),
                exitText(both));
    }
}
