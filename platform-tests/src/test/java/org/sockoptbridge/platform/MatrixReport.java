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

/**
 * Writes target/matrix.md and target/matrix.json: one row per cell, one column per option
 * (supported / default / reason), JDK and glibc, pass/fail per cell, and the cells this host
 * cannot run (other kernels), marked as such.
 */
final class MatrixReport {

    static final String NOT_RUN_OTHER_KERNEL =
            "not run on this host: containers share the Linux host kernel; BSD/macOS need a VM";
    static final List<String> OTHER_KERNELS = List.of("FreeBSD", "OpenBSD", "macOS");

    private final List<CellResult> results;
    private final String precondition;

    /** @param precondition why no cell could run (no engine, no jar), or null */
    MatrixReport(List<CellResult> results, String precondition) {
        this.results = results;
        this.precondition = precondition;
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
                .append("): the cells vary the user land (glibc, JDK) and network-namespace sysctls, not the kernel. ")
                .append("The native library was built once on the host and loaded in every cell.\n\n");
        if (precondition != null) {
            md.append("**No cell could run:** ").append(cellText(precondition)).append("\n\n");
        }
        md.append("Option columns: `yes (N)` = supported, N = the value a fresh socket reports (booleans 0/1); ")
                .append("`no: reason` = unsupported and why.\n\n");
        md.append("| cell | result | glibc | JDK | IPv6 |");
        CellRun.OPTIONS.forEach(o -> md.append(' ').append(o).append(" |"));
        md.append(" selftest | host JUnit suite |\n|---|---|---|---|---|");
        CellRun.OPTIONS.forEach(o -> md.append("---|"));
        md.append("---|---|\n");
        for (CellResult r : results) {
            md.append("| ").append(r.cell.id()).append(" | ").append(statusText(r)).append(" | ")
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
            md.append("| ").append(os).append(" | NOT RUN | – | – | – |");
            CellRun.OPTIONS.forEach(o -> md.append(" – |"));
            md.append(' ').append(NOT_RUN_OTHER_KERNEL).append(" | – |\n");
        }

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
        if (r.suiteSucceeded == null) {
            return r.suiteNote == null ? "–" : cellText(r.suiteNote);
        }
        return r.suiteSucceeded + " pass, " + r.suiteFailed + " fail, " + r.suiteAborted + " aborted";
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
            hostSuite.put("passed", r.suiteSucceeded);
            hostSuite.put("failed", r.suiteFailed);
            hostSuite.put("aborted", r.suiteAborted);
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
        return root;
    }
}
