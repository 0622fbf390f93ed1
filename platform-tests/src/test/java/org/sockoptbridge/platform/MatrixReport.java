package org.sockoptbridge.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Writes target/matrix.md and target/matrix.json: one row per cell, one column per option
 * (supported / default / reason), JDK and glibc, pass/fail per cell, and the cells this host
 * cannot run (other kernels), marked as such; then one row per target platform of the jar
 * (built, C tests run, Java tests run, how), and every skipped test's reason.
 */
final class MatrixReport {

    static final String NOT_RUN_OTHER_KERNEL =
            "not run on this host: containers share the Linux host kernel; BSD/macOS need a VM";
    static final List<String> OTHER_KERNELS = List.of("FreeBSD", "OpenBSD", "macOS");

    private final List<CellResult> results;
    private final String precondition;
    private final Path jar;
    private final Path buildDir;

    /**
     * @param precondition why no cell could run (no engine, no jar), or null
     * @param jar          the CLI jar the cells ran
     * @param buildDir     the root project's target/, where each native build's CTest wrote its XML
     */
    MatrixReport(List<CellResult> results, String precondition, Path jar, Path buildDir) {
        this.results = results;
        this.precondition = precondition;
        this.jar = jar;
        this.buildDir = buildDir;
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("matrix.md"), markdown(), StandardCharsets.UTF_8);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.resolve("matrix.json").toFile(), json());
    }

    private String hostKernel() {
        return results.stream().map(r -> r.kernel).filter(k -> k != null && !k.isBlank()).findFirst()
                .orElse(System.getProperty("os.version"));
    }

    private static String cellText(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }

    private static String optionText(CellResult.OptionRow row) {
        if (row == null) {
            return "?";
        }
        if (row.supported()) {
            return "yes (" + (row.defaultValue() == null ? "no default" : row.defaultValue()) + ")";
        }
        return "**no**: " + cellText(row.reason());
    }

    private static String ipv6Text(Boolean ipv6) {
        return ipv6 == null ? "?" : ipv6 ? "yes" : "no";
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "–" : cellText(s);
    }

    private static String limit(CellResult r, String key) {
        Long v = r.probeLimits.get(key);
        if (v != null) {
            return String.valueOf(v);
        }
        String cat = r.procSys.get(key);
        return cat == null ? "–" : cat + " (cat)";
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        long failed = results.stream().filter(r -> r.status == CellResult.Status.FAIL).count();
        long passed = results.stream().filter(r -> r.status == CellResult.Status.PASS).count();
        long notRun = results.stream().filter(r -> r.status == CellResult.Status.NOT_RUN).count();
        md.append("# sockopt-bridge platform matrix\n\n");
        md.append("Generated ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append(" by `platform-tests/scripts/run-matrix.sh`. Linux cells: ").append(passed)
                .append(" passed, ").append(failed).append(" failed, ").append(notRun).append(" not run.\n\n");
        md.append("Every Linux cell is a container on this host and shares its kernel (")
                .append(cellText(hostKernel()))
                .append("): the cells vary the user land (glibc, JDK, architecture) and network-namespace sysctls, not ")
                .append("the kernel. The shims were built once on the host into one jar, and each cell's JVM loaded the ")
                .append("one for its architecture: x86_64 natively, aarch64 under qemu-user (binfmt_misc).\n\n");
        if (precondition != null) {
            md.append("**No cell could run:** ").append(cellText(precondition)).append("\n\n");
        }
        md.append("Option columns: `yes (N)` = supported, N = the value a fresh socket reports (booleans 0/1); ")
                .append("`no: reason` = unsupported and why.\n\n");
        md.append("| cell | result | arch | glibc | JDK | IPv6 |");
        CellRun.OPTIONS.forEach(o -> md.append(' ').append(o).append(" |"));
        md.append(" selftest | host JUnit suite |\n|---|---|---|---|---|---|");
        CellRun.OPTIONS.forEach(o -> md.append("---|"));
        md.append("---|---|\n");
        for (CellResult r : results) {
            md.append("| ").append(r.cell.id()).append(" | ").append(statusText(r)).append(" | ")
                    .append(archText(r)).append(" | ")
                    .append(orDash(r.glibc)).append(" | ")
                    .append(r.javaVersion == null ? "–" : cellText(r.javaVersion
                            + (r.javaVendor == null ? "" : " (" + r.javaVendor + ")")))
                    .append(" | ").append(r.status == CellResult.Status.NOT_RUN ? "–" : ipv6Text(r.ipv6)).append(" |");
            for (String o : CellRun.OPTIONS) {
                md.append(' ').append(r.status == CellResult.Status.NOT_RUN && r.options.isEmpty() ? "–"
                        : optionText(r.options.get(o))).append(" |");
            }
            md.append(' ').append(selftestText(r)).append(" | ").append(suiteText(r)).append(" |\n");
        }
        for (String os : OTHER_KERNELS) {
            md.append("| ").append(os).append(" | NOT RUN | – | – | – | – |");
            CellRun.OPTIONS.forEach(o -> md.append(" – |"));
            md.append(' ').append(NOT_RUN_OTHER_KERNEL).append(" | – |\n");
        }

        targets(md);
        skipped(md);

        md.append("\n## Cells and their sysctls\n\n");
        md.append("Limits as the probe reported them (each was checked against `cat /proc/sys/...` in the cell).\n\n");
        md.append("| cell | image | what it varies | sysctls set |");
        CellRun.LIMITS.forEach(l -> md.append(' ').append(l.substring(l.lastIndexOf('.') + 1)).append(" |"));
        md.append("\n|---|---|---|---|");
        CellRun.LIMITS.forEach(l -> md.append("---|"));
        md.append('\n');
        for (CellResult r : results) {
            StringBuilder sysctls = new StringBuilder();
            r.cell.sysctls().forEach((k, v) -> sysctls.append(sysctls.length() == 0 ? "" : ", ").append(k)
                    .append('=').append(v));
            md.append("| ").append(r.cell.id()).append(" | `").append(r.cell.image()).append("` | ")
                    .append(cellText(r.cell.description())).append(" | ")
                    .append(sysctls.length() == 0 ? "(Docker defaults)" : sysctls).append(" |");
            for (String l : CellRun.LIMITS) {
                md.append(' ').append(limit(r, l)).append(" |");
            }
            md.append('\n');
        }

        if (results.stream().anyMatch(r -> !r.jvmWarnings.isEmpty())) {
            md.append("\n## JVM warnings (reported, not failed)\n\nWhat `probe --json` printed on stderr as `WARNING:` lines.\n");
            for (CellResult r : results) {
                if (!r.jvmWarnings.isEmpty()) {
                    md.append("\n- ").append(r.cell.id()).append(":\n");
                    r.jvmWarnings.forEach(w -> md.append("  - `").append(w.replace("`", "'")).append("`\n"));
                }
            }
        }

        boolean anyProblem = results.stream().anyMatch(r -> r.status != CellResult.Status.PASS);
        if (anyProblem) {
            md.append("\n## Failures\n");
            for (CellResult r : results) {
                if (r.status == CellResult.Status.PASS) {
                    continue;
                }
                md.append("\n### ").append(r.cell.id()).append(" (").append(r.status).append(")\n\n");
                if (r.notRunReason != null) {
                    md.append("- ").append(cellText(r.notRunReason)).append('\n');
                }
                for (CellResult.Check c : r.failures()) {
                    md.append("- ").append(cellText(c.name())).append(": ").append(cellText(c.detail())).append('\n');
                }
                for (String s : r.selftestFailures) {
                    md.append("- selftest ").append(cellText(s)).append('\n');
                }
            }
        }
        return md.toString();
    }

    private static String statusText(CellResult r) {
        return switch (r.status) {
            case PASS -> "PASS";
            case FAIL -> "**FAIL** (" + r.failures().size() + ")";
            case NOT_RUN -> "NOT RUN";
        };
    }

    private static String suiteText(CellResult r) {
        if (r.suite == null) {
            return r.suiteNote == null ? "–" : cellText(r.suiteNote);
        }
        return r.suite.passed() + " pass, " + r.suite.failed() + " fail, " + r.suite.skipped() + " skipped";
    }

    private static String archText(CellResult r) {
        String machine = r.machine == null || r.machine.isBlank() ? r.cell.arch().machine : r.machine;
        return machine + (r.cell.arch().emulated() ? " (qemu-user)" : "");
    }

    /**
     * One row per platform the jar can carry: is its shim in the jar, which C tests ran (its
     * build's CTest XML), which Java tests ran (the cells of its architecture), and how.
     */
    private void targets(StringBuilder md) {
        md.append("\n## Targets\n\n");
        md.append("What was built into `").append(cellText(jar.getFileName().toString()))
                .append("`, which C tests ran (each build's last CTest run, from `target/<build>/")
                .append(CTestLog.LOG).append("`) and which Java tests ran (the cells above).\n\n");
        md.append("| target | built | C tests run | Java tests run | how |\n|---|---|---|---|---|\n");
        for (Map<String, Object> t : targetRows()) {
            md.append("| ").append(t.get("target")).append(" | ").append(cellText((String) t.get("built")))
                    .append(" | ").append(cellText((String) t.get("cTests"))).append(" | ")
                    .append(cellText((String) t.get("javaTests"))).append(" | ").append(cellText((String) t.get("how")))
                    .append(" |\n");
        }
    }

    private List<Map<String, Object>> targetRows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Target t : Target.all()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("target", t.id());
            row.put("built", builtText(t));
            row.put("cTests", cTestsText(t));
            row.put("javaTests", javaTestsText(t));
            String emulator = results.stream().filter(r -> r.cell.arch() == t.cellArch() && r.emulator != null)
                    .map(r -> r.emulator).findFirst().orElse(null);
            row.put("how", t.how() + (emulator == null ? "" : " (" + emulator + ")"));
            rows.add(row);
        }
        return rows;
    }

    private String builtText(Target t) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(t.jarEntry());
            return entry == null ? "no: not in the jar" : "yes: " + entry.getSize() + " bytes";
        } catch (IOException e) {
            return "? (" + jar + ": " + e.getMessage() + ")";
        }
    }

    private String cTestsText(Target t) {
        Path dir = buildDir.resolve(t.buildDir());
        try {
            CTestLog ctest = CTestLog.read(dir);
            if (ctest == null) {
                return "no CTest run found (target/" + t.buildDir() + "/" + CTestLog.LOG + ")";
            }
            int passed = ctest.tests().size() - ctest.notPassed().size();
            return ctest.tests().size() + " run, " + passed + " passed"
                    + (ctest.notPassed().isEmpty() ? "" : "; did not pass: " + String.join(", ", ctest.notPassed()));
        } catch (IOException e) {
            return "? (" + dir + ": " + e.getMessage() + ")";
        }
    }

    private String javaTestsText(Target t) {
        if (t.cellArch() == null) {
            return "none: " + t.noJvm();
        }
        List<CellResult> ran = results.stream()
                .filter(r -> r.cell.arch() == t.cellArch() && r.status != CellResult.Status.NOT_RUN).toList();
        long cells = results.stream().filter(r -> r.cell.arch() == t.cellArch()).count();
        if (ran.isEmpty()) {
            return "none: its " + cells + " cell(s) did not run";
        }
        long passed = ran.stream().filter(r -> r.status == CellResult.Status.PASS).count();
        StringBuilder text = new StringBuilder();
        text.append(ran.size() == 1 ? ran.get(0).cell.id() + ": " : ran.size() + " of " + cells + " cells ran, ")
                .append(passed == ran.size() ? "PASS" : (ran.size() - passed) + " FAIL")
                .append(" (probe --json, probe --require, selftest");
        List<CellResult> suites = ran.stream().filter(r -> r.suite != null).toList();
        if (suites.isEmpty()) {
            text.append("; no host JUnit suite)");
        } else {
            text.append("); host JUnit suite").append(suites.size() == 1 ? "" : " in " + suites.size() + " cells")
                    .append(": ").append(range(suites, TestResults::passed)).append(" passed, ")
                    .append(range(suites, TestResults::failed)).append(" failed, ")
                    .append(range(suites, TestResults::skipped)).append(" skipped (reasons under *Skipped tests*)");
        }
        return text.toString();
    }

    private static String range(List<CellResult> suites, ToIntFunction<TestResults> count) {
        int min = suites.stream().mapToInt(r -> count.applyAsInt(r.suite)).min().orElse(0);
        int max = suites.stream().mapToInt(r -> count.applyAsInt(r.suite)).max().orElse(0);
        return min == max ? String.valueOf(min) : min + "–" + max;
    }

    /** Every skip reason of the host suite, per cell, with the tests it skipped. */
    private void skipped(StringBuilder md) {
        if (results.stream().noneMatch(r -> r.suite != null && r.suite.skipped() > 0)) {
            return;
        }
        md.append("\n## Skipped tests\n\nThe host JUnit suite's tests that skipped themselves, with the reason they gave.\n");
        for (CellResult r : results) {
            if (r.suite == null || r.suite.skipped() == 0) {
                continue;
            }
            md.append("\n- ").append(r.cell.id()).append(" (").append(r.suite.skipped()).append("):\n");
            r.suite.skipReasons().forEach((reason, tests) -> md.append("  - ").append(tests.size()).append(" × ")
                    .append(cellText(reason)).append(": ").append(String.join(", ", tests)).append('\n'));
        }
    }

    private static String selftestText(CellResult r) {
        if (r.selftestPassed == null && r.selftestPass + r.selftestFail + r.selftestSkip == 0) {
            return "–";
        }
        return r.selftestPass + " pass, " + r.selftestFail + " fail, " + r.selftestSkip + " skip";
    }

    Map<String, Object> json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", "sockopt-bridge.matrix/1");
        root.put("generated", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        root.put("hostKernel", hostKernel());
        root.put("precondition", precondition);
        List<Object> cells = new ArrayList<>();
        for (CellResult r : results) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", r.cell.id());
            c.put("os", "Linux");
            c.put("image", r.cell.image());
            c.put("description", r.cell.description());
            c.put("sysctls", r.cell.sysctls());
            c.put("status", r.status.name());
            c.put("notRunReason", r.notRunReason);
            c.put("glibc", r.glibc);
            c.put("javaVersion", r.javaVersion);
            c.put("javaVendor", r.javaVendor);
            c.put("kernel", r.kernel);
            c.put("machine", r.machine);
            c.put("emulator", r.emulator);
            c.put("backend", r.backend);
            c.put("nativeLibrary", r.nativeLibrary);
            c.put("ipv6", r.ipv6);
            Map<String, Object> options = new LinkedHashMap<>();
            r.options.forEach((name, row) -> {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("supported", row.supported());
                o.put("default", row.defaultValue());
                o.put("reason", row.reason());
                options.put(name, o);
            });
            c.put("options", options);
            c.put("limits", r.probeLimits);
            c.put("procSys", r.procSys);
            Map<String, Object> selftest = new LinkedHashMap<>();
            selftest.put("passed", r.selftestPassed);
            selftest.put("pass", r.selftestPass);
            selftest.put("fail", r.selftestFail);
            selftest.put("skip", r.selftestSkip);
            selftest.put("failures", r.selftestFailures);
            c.put("selftest", selftest);
            Map<String, Object> hostSuite = new LinkedHashMap<>();
            hostSuite.put("passed", r.suite == null ? null : r.suite.passed());
            hostSuite.put("failed", r.suite == null ? null : r.suite.failed());
            hostSuite.put("skipped", r.suite == null ? null : r.suite.skipped());
            hostSuite.put("skipReasons", r.suite == null ? null : r.suite.skipReasons());
            hostSuite.put("failures", r.suite == null ? null : r.suite.failures());
            hostSuite.put("note", r.suiteNote);
            c.put("hostSuite", hostSuite);
            List<Object> checks = new ArrayList<>();
            for (CellResult.Check check : r.checks) {
                Map<String, Object> k = new LinkedHashMap<>();
                k.put("name", check.name());
                k.put("ok", check.ok());
                k.put("detail", check.detail());
                checks.add(k);
            }
            c.put("checks", checks);
            c.put("jvmWarnings", r.jvmWarnings);
            c.put("durationMs", r.durationMs);
            cells.add(c);
        }
        for (String os : OTHER_KERNELS) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", os);
            c.put("os", os);
            c.put("status", "NOT_RUN");
            c.put("notRunReason", NOT_RUN_OTHER_KERNEL);
            cells.add(c);
        }
        root.put("cells", cells);
        root.put("targets", targetRows());
        return root;
    }
}
