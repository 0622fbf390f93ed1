package org.sockoptbridge.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Host tools run as separate processes: the kernel's view from outside the JVM (iproute2's ss
 * and ip, python3). A test that needs a tool this machine lacks is skipped, naming the Debian
 * package that provides it.
 */
public final class HostCommand {
    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        public Result orThrow(List<String> command) {
            if (!ok()) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + exitCode + ": " + stderr.strip());
            }
            return this;
        }
    }

    private HostCommand() {
    }

    public static Result run(String... command) throws IOException, InterruptedException {
        return run(List.of(command));
    }

    public static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        // Both streams at once, or a chatty stderr could block the child.
        CompletableFuture<String> err = readOnItsOwnThread(process.getErrorStream(), "stderr-" + process.pid());
        String out = readAll(process.getInputStream());
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("did not finish in 20 s: " + String.join(" ", command));
        }
        return new Result(process.exitValue(), out, err.join());
    }

    /** Runs the command and fails the test (not skips) if it fails: for steps that must work once the tool is there. */
    public static Result check(String... command) throws IOException, InterruptedException {
        return run(List.of(command)).orThrow(List.of(command));
    }

    /**
     * Reads a stream to its end on a daemon thread of its own and completes with the text. Not
     * CompletableFuture.supplyAsync: a child's stream can stay open for the child's whole life, and
     * on a 2-core machine the common pool that would block has a single thread, which every other
     * such read in the JVM would then wait for.
     */
    public static CompletableFuture<String> readOnItsOwnThread(java.io.InputStream in, String threadName) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (in) {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(new java.io.UncheckedIOException(e));
            }
        }, threadName);
        reader.setDaemon(true);
        reader.start();
        return text;
    }

    private static String readAll(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<unreadable: " + e + ">";
        }
    }

    /** The executable's path if it is on PATH (or in the sbin directories root's PATH usually has). */
    public static String find(String tool) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool).toString();
            }
        }
        return null;
    }

    /** Skips the test unless the tool is installed. */
    public static String assumeTool(String tool, String debianPackage) {
        String path = find(tool);
        assumeTrue(path != null, "skipped: " + tool + " is not installed (Debian package " + debianPackage + ")");
        return path;
    }

    public static void assumeLinux() {
        assumeTrue(System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux"),
                "skipped: asserts Linux kernel behaviour, this is " + System.getProperty("os.name"));
    }

    /** Effective uid 0, read from /proc (the JDK has no API for it). */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
