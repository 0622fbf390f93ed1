package org.sockoptbridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class in a fresh JVM (the one running the tests), for what loads once per JVM. */
final class ChildJvm {
    record Outcome(int exitCode, String output) {
    }

    private ChildJvm() {
    }

    static Outcome run(String classpath, List<String> jvmOptions, Class<?> main, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(main.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("child JVM did not finish: " + command);
        }
        return new Outcome(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    static String testClasspath() {
        return System.getProperty("java.class.path");
    }
}
