package org.sockoptbridge;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class in a fresh JVM (the one running the tests), for what loads once per JVM. */
public final class ChildJvm {
    public record Outcome(int exitCode, String output) {
    }

    private ChildJvm() {
    }

    public static Outcome run(String classpath, List<String> jvmOptions, Class<?> main, String... args)
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

    public static String testClasspath() {
        return System.getProperty("java.class.path");
    }

    /**
     * A copy of a directory tree, leaving out what lies under {@code skipped} (a relative path with
     * '/' separators, or null to copy everything).
     */
    static Path copyOf(Path from, Path to, String skipped) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                String relative = from.relativize(source).toString().replace(File.separatorChar, '/');
                if (skipped != null && (relative.equals(skipped) || relative.startsWith(skipped + "/"))) {
                    continue;
                }
                Path target = to.resolve(relative);
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        return to;
    }

    /** The test classpath without one of its entries (the library's classes, to put a changed copy in their place). */
    static String classpathWithout(Path classes) {
        StringBuilder rest = new StringBuilder();
        for (String entry : testClasspath().split(File.pathSeparator)) {
            if (!Path.of(entry).toAbsolutePath().normalize().equals(classes.toAbsolutePath().normalize())) {
                rest.append(rest.length() == 0 ? "" : File.pathSeparator).append(entry);
            }
        }
        return rest.toString();
    }
}
