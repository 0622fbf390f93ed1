package org.sockoptbridge.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs target/sockopt-bridge-cli.jar the way a user does ({@code java [jvm options] -jar ...}),
 * with the JVM that runs the tests (17 by default, 25 in CI's second run).
 */
final class CliProcess {
    record Result(int exitCode, String stdout, String stderr) {
    }

    private CliProcess() {
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("sockopt.bridge.test.cliJar", "target/sockopt-bridge-cli.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: these tests run after `mvn package`");
        }
        return jar;
    }

    static List<String> command(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        return command;
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return run(List.of(), args);
    }

    static Result run(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command(jvmOptions, args)).start();
        CompletableFuture<String> stderr = org.sockoptbridge.kernel.HostCommand.readOnItsOwnThread(process.getErrorStream(),
                "cli-stderr-" + process.pid());
        String stdout = readAll(process.getInputStream());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the CLI did not finish: " + String.join(" ", args));
        }
        return new Result(process.exitValue(), stdout, stderr.join());
    }

    static Process start(String... args) throws IOException {
        return new ProcessBuilder(command(List.of(), args)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A sysctl read here, independently of the code under test. */
    static long sysctl(String name) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys", name.replace('.', '/')))) {
            return Long.parseLong(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        }
    }
}
