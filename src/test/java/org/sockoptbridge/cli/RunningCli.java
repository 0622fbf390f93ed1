package org.sockoptbridge.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A CLI command with --json running in the background (listen, a held connect), its stdout read
 * on a thread of its own, line by line, so that the command never blocks on a full pipe however
 * many lines it prints. Closing it ends the process (by its own handle) and waits for it.
 */
final class RunningCli implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String END = "\u0000end";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> stderr;

    private RunningCli(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended; what it printed is in the queue
            } finally {
                lines.add(END);
            }
        }, "cli-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        stderr = org.sockoptbridge.kernel.HostCommand.readOnItsOwnThread(process.getErrorStream(),
                "cli-stderr-" + process.pid());
    }

    /** Runs the jar's command; {@code prefix} (such as {@code ip netns exec NAME}) goes before java. */
    static RunningCli start(List<String> prefix, String... args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(CliProcess.command(List.of(), args));
        return new RunningCli(new ProcessBuilder(command).start());
    }

    static RunningCli start(String... args) throws IOException {
        return start(List.of(), args);
    }

    long pid() {
        return process.pid();
    }

    /** The next line as JSON; fails if none comes within the wait or the process ended. */
    JsonNode next(Duration wait) throws Exception {
        String line = lines.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("no line within " + wait.toMillis() + " ms");
        }
        if (line.equals(END)) {
            lines.add(END);
            // Its stdout ended: it is exiting; say how, with what it wrote to stderr.
            boolean exited = process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the command's output ended" + (exited ? " (exit " + process.exitValue()
                    + "); stderr: " + stderr.join() : ", yet it still runs"));
        }
        return JSON.readTree(line);
    }

    /** The next line whose "event" is {@code event}, skipping others. */
    JsonNode nextEvent(String event, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            JsonNode line = next(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            if (event.equals(line.path("event").asText())) {
                return line;
            }
        }
    }

    /** Waits for the process to exit by itself; its exit code. */
    int exitCode(Duration wait) throws InterruptedException {
        if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + wait.toMillis() + " ms");
        }
        return process.exitValue();
    }

    /** Everything it wrote to stderr (waits for it to end). */
    String stderr() {
        return stderr.join();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
