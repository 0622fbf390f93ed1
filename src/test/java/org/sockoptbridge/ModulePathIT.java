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
