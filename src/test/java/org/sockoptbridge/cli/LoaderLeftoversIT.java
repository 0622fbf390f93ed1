package org.sockoptbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * No run of the CLI leaves an extracted library behind, however it exits (issue 9, section 3).
 * Every run extracts into its own fresh -Dsockopt.bridge.tmpdir, whose entries are counted after.
 */
class LoaderLeftoversIT {
    private static final int RUNS = 8;

    @Test
    void usageErrorsHelpAndARefusedPortLeaveNoExtractedLibrary(@TempDir Path dir) throws Exception {
        List<List<String>> commands = List.of(List.of("probe", "--bogus"), List.of("probe", "--help"),
                List.of("listen", "--port", "70000"));
        int leftovers = 0;
        List<String> left = new ArrayList<>();
        for (List<String> command : commands) {
            for (int run = 0; run < RUNS; run++) {
                Path tmpdir = Files.createDirectory(dir.resolve(String.join("_", command) + "-" + run));
                CliProcess.Result result = CliProcess.run(List.of("-Dsockopt.bridge.tmpdir=" + tmpdir),
                        command.toArray(String[]::new));
                assertEquals(command.contains("--help") ? 0 : 2, result.exitCode(), command + "\n" + result.stderr());
                List<Path> after = entries(tmpdir);
                if (!after.isEmpty()) {
                    leftovers++;
                    left.add(command + ": " + after);
                }
            }
        }
        System.out.println("leftovers after usage error / help / refused port: " + leftovers + " of "
                + commands.size() * RUNS + " runs" + (left.isEmpty() ? "" : "\n  " + String.join("\n  ", left)));
        assertEquals(0, leftovers, String.join("\n", left));
    }

    @Test
    void sigtermWhileTheLibraryIsBeingExtractedLeavesNothing(@TempDir Path dir) throws Exception {
        int hits = 0;
        for (int run = 0; run < RUNS; run++) {
            Path tmpdir = Files.createDirectory(dir.resolve("term-" + run));
            Process process = new ProcessBuilder(CliProcess.command(List.of("-Dsockopt.bridge.tmpdir=" + tmpdir),
                    "probe", "--json")).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            // SIGTERM as soon as the extraction directory exists: the loader is between creating
            // and deleting it. If the load finished first, the run still checks a normal exit.
            if (awaitEntry(tmpdir, process)) {
                hits++;
            }
            process.destroy(); // SIGTERM
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the CLI ends on SIGTERM");
            assertEquals(List.of(), entries(tmpdir), "run " + run + " exit " + process.exitValue());
        }
        System.out.println("SIGTERM during extraction: " + hits + " of " + RUNS + " runs caught it with the directory present");
        assertTrue(hits > 0, "no run sent SIGTERM while the directory existed: the test proved nothing");
    }

    /**
     * SIGKILL runs no code, so the killed process's directory stays; the next load removes it
     * because its pid is gone. The directory's time is moved back past the loader's 30 s grace
     * (which protects extractions of processes in other PID namespaces), as if the next start
     * came a minute later.
     */
    @Test
    void aDirectoryLeftBySigkillIsRemovedByTheNextLoad(@TempDir Path dir) throws Exception {
        Path tmpdir = Files.createDirectory(dir.resolve("kill"));
        Path stale = null;
        for (int attempt = 0; attempt < 20 && stale == null; attempt++) {
            Process process = new ProcessBuilder(CliProcess.command(List.of("-Dsockopt.bridge.tmpdir=" + tmpdir),
                    "probe", "--json")).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            awaitEntry(tmpdir, process);
            process.destroyForcibly(); // SIGKILL
            process.waitFor(30, TimeUnit.SECONDS);
            List<Path> left = entries(tmpdir);
            if (!left.isEmpty()) {
                stale = left.get(0);
            }
        }
        assertTrue(stale != null, "no SIGKILL landed during an extraction in 20 tries");
        assertTrue(stale.getFileName().toString().matches("sockopt-bridge-\\d+-\\d+"), stale.toString());
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(1, ChronoUnit.MINUTES)));
        // Look-alikes that must survive: a live process's directory (this JVM's pid), and a name
        // outside the exact pattern.
        Path live = Files.createDirectory(tmpdir.resolve("sockopt-bridge-" + ProcessHandle.current().pid() + "-1"));
        Path notOurs = Files.createDirectory(tmpdir.resolve("sockopt-bridge-notes"));
        for (Path keep : List.of(live, notOurs)) {
            Files.setLastModifiedTime(keep, FileTime.from(Instant.now().minus(1, ChronoUnit.MINUTES)));
        }

        CliProcess.Result next = CliProcess.run(List.of("-Dsockopt.bridge.tmpdir=" + tmpdir), "probe", "--json");

        assertEquals(0, next.exitCode(), next.stderr());
        assertFalse(Files.exists(stale), "the killed process's directory is removed: " + entries(tmpdir));
        assertEquals(List.of(live, notOurs).stream().sorted().toList(), entries(tmpdir));
    }

    private static boolean awaitEntry(Path tmpdir, Process process) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (!entries(tmpdir).isEmpty()) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    private static List<Path> entries(Path directory) throws IOException {
        try (var stream = Files.list(directory)) {
            return stream.sorted().toList();
        }
    }
}
