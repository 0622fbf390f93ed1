package org.sockoptbridge.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A copy with org.sockoptbridge relocated to com.example.shaded.org.sockoptbridge (maven-shade, as
 * a user bundling the bridge would do): JNI_OnLoad registers the natives on the relocated JniShim,
 * named by the loader through a system property, and the self-test's sets and gets all pass.
 */
class ShadedCopyIT {
    private static final String RELOCATED_MAIN = "com.example.shaded.org.sockoptbridge.cli.Main";

    @Test
    void aRelocatedCopyPassesTheStartupCheckAndTheSelfTest() throws Exception {
        Path jar = Path.of(System.getProperty("sockopt.bridge.test.relocatedCliJar"));
        assertTrue(Files.exists(jar), "mvn package builds " + jar);
        String probe = run(jar, "probe", "--require", "TCP_KEEPIDLE,SO_RCVBUF,SO_REUSEPORT");
        assertTrue(probe.contains("exit 0"), probe);
        String selftest = run(jar, "selftest");
        assertTrue(selftest.contains("exit 0"), selftest);
        assertTrue(selftest.contains("no check failed"), selftest);
        assertFalse(selftest.contains("org.sockoptbridge.internal"), "only relocated classes run: " + selftest);
    }

    private static String run(Path jar, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of("-cp", jar.toString(), RELOCATED_MAIN));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "finished");
        assertEquals(0, process.exitValue(), output);
        return output + "\nexit " + process.exitValue();
    }
}
