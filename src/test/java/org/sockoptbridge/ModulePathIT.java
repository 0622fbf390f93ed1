package org.sockoptbridge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library jar on the module path, as module org.sockoptbridge (its Automatic-Module-Name): the
 * startup check passes, and with --enable-native-access=org.sockoptbridge no JDK 24+ warning is
 * printed. A server on the class path passes --enable-native-access=ALL-UNNAMED instead.
 */
class ModulePathIT {
    @Test
    void theLibraryWorksOnTheModulePathAsOrgSockoptbridgeWithoutWarnings() throws Exception {
        Path library = Path.of(System.getProperty("sockopt.bridge.test.libraryJar"));
        assertTrue(Files.exists(library), "mvn package builds " + library);
        List<String> options = new ArrayList<>(List.of("--module-path", library.toString(),
                "--add-modules", "org.sockoptbridge"));
        if (Runtime.version().feature() >= 22) {
            options.add("--enable-native-access=org.sockoptbridge");
        }
        // The test main stays on the class path (unnamed module), which reads every module.
        ChildJvm.Outcome outcome = ChildJvm.run(testClassesOnly(), options,
                org.sockoptbridge.modulepath.ModulePathMain.class);
        assertEquals(0, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains("module: org.sockoptbridge"), outcome.output());
        assertTrue(outcome.output().contains("TCP_KEEPIDLE read back: 77"), outcome.output());
        assertTrue(outcome.output().contains("startup check passed"), outcome.output());
        assertTrue(outcome.output().contains(library.getFileName().toString()), "loaded from the module's jar: "
                + outcome.output());
        assertFalse(outcome.output().contains("WARNING"), outcome.output());
        // The JUnit condition's package pulls no JUnit in: an automatic module requires only java.base.
        assertTrue(outcome.output().contains("automatic: true, requires: [mandated java.base]"), outcome.output());
        assertTrue(outcome.output().contains("junit module resolved: false"), outcome.output());
    }

    /**
     * A user's tests with the library on the module path and JUnit on the class path: the
     * automatic module reads the unnamed module, so @EnabledIfSocketOptions finds JUnit's types,
     * and JUnit can instantiate the condition (an automatic module opens every package).
     */
    @Test
    void theJunitConditionWorksFromTheModulePath() throws Exception {
        Path library = Path.of(System.getProperty("sockopt.bridge.test.libraryJar"));
        List<String> classpath = new ArrayList<>(List.of(testClassesOnly()));
        for (String entry : ChildJvm.testClasspath().split(java.io.File.pathSeparator)) {
            if (entry.contains("/org/junit/") || entry.contains("/org/opentest4j/") || entry.contains("/org/apiguardian/")) {
                classpath.add(entry);
            }
        }
        List<String> options = new ArrayList<>(List.of("--module-path", library.toString(),
                "--add-modules", "org.sockoptbridge"));
        if (Runtime.version().feature() >= 22) {
            options.add("--enable-native-access=org.sockoptbridge");
        }
        String launch = String.join(java.io.File.pathSeparator, classpath);
        ChildJvm.Outcome bundled = ChildJvm.run(launch, options, org.sockoptbridge.launcher.ConditionReportMain.class,
                org.sockoptbridge.modulepath.ConditionSample.class.getName());
        assertEquals(0, bundled.exitCode(), bundled.output());
        assertTrue(bundled.output().contains("ran setsKeepAlive(): SUCCESSFUL"), bundled.output());

        // With the test build that lacks SO_REUSEPORT, the condition is evaluated and skips the class.
        options.add("-Dsockopt.bridge.library=" + Path.of(System.getProperty("sockopt.bridge.test.nativeDir"),
                "libsockopt_bridge-" + org.sockoptbridge.internal.Platform.current().osArch() + "-without-options.so"));
        ChildJvm.Outcome without = ChildJvm.run(launch, options, org.sockoptbridge.launcher.ConditionReportMain.class,
                org.sockoptbridge.modulepath.ConditionSample.class.getName());
        assertEquals(0, without.exitCode(), without.output());
        assertTrue(without.output().contains("skipped ConditionSample: sockopt-bridge cannot provide SO_REUSEPORT:"),
                without.output());
        assertFalse(without.output().contains("ran "), without.output());
    }

    /** The test classes alone: the library must come from the module path, not target/classes. */
    private static String testClassesOnly() {
        for (String entry : ChildJvm.testClasspath().split(java.io.File.pathSeparator)) {
            if (entry.endsWith("test-classes")) {
                return entry;
            }
        }
        throw new IllegalStateException("no test-classes on " + ChildJvm.testClasspath());
    }
}
