package org.sockoptbridge.platform;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one cell showed: filled in while the cell runs, read by {@link MatrixReport}. */
final class CellResult {

    enum Status { PASS, FAIL, NOT_RUN }

    record Check(String name, boolean ok, String detail) {
    }

    record OptionRow(boolean supported, Long defaultValue, String reason) {
    }

    final Cell cell;
    Status status = Status.NOT_RUN;
    String notRunReason;
    final List<Check> checks = new ArrayList<>();
    String javaVersion;
    String javaVendor;
    String glibc;
    String kernel;
    /** uname -m in the cell: the emulated machine where qemu-user runs it. */
    String machine;
    /** The host's emulator for this cell ("qemu-aarch64 version 7.2.22 ..."), null where native. */
    String emulator;
    /** The probe's backend and platform.nativeLibrary: which file the JVM loaded, and why. */
    String backend;
    String nativeLibrary;
    Boolean ipv6;
    final Map<String, OptionRow> options = new LinkedHashMap<>();
    final Map<String, Long> probeLimits = new LinkedHashMap<>();
    final Map<String, String> procSys = new LinkedHashMap<>();
    Boolean selftestPassed;
    int selftestPass;
    int selftestFail;
    int selftestSkip;
    final List<String> selftestFailures = new ArrayList<>();
    /** The host's JUnit suite in this cell: null when not run (see suiteNote). */
    TestResults suite;
    String suiteNote;
    /** "WARNING: ..." lines the JVM printed while running the probe (reported, not failed). */
    final List<String> jvmWarnings = new ArrayList<>();
    long durationMs;

    CellResult(Cell cell) {
        this.cell = cell;
    }

    /** Records a check; returns {@code ok} so callers can skip what depends on it. */
    boolean check(String name, boolean ok, String detail) {
        checks.add(new Check(name, ok, detail));
        return ok;
    }

    List<Check> failures() {
        return checks.stream().filter(c -> !c.ok()).toList();
    }

    void readOptions(JsonNode probe) {
        for (JsonNode option : probe.path("options")) {
            JsonNode def = option.get("default");
            JsonNode reason = option.get("reason");
            options.put(option.path("name").asText(), new OptionRow(option.path("supported").asBoolean(false),
                    def == null || def.isNull() || !def.isNumber() ? null : def.asLong(),
                    reason == null || reason.isNull() ? null : reason.asText()));
        }
    }
}
