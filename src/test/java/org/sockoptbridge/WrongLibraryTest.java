package org.sockoptbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** -Dsockopt.bridge.library naming a loadable library that is not the shim (issue 9, section 4). */
class WrongLibraryTest {
    /** Two libraries every Debian system has, in its multiarch directory for this JVM's architecture. */
    static List<String> otherLibraries() {
        String arch = System.getProperty("os.arch");
        String tuple = (arch.equals("amd64") ? "x86_64" : arch) + "-linux-gnu";
        return List.of("/lib/" + tuple + "/libc.so.6", "/lib/" + tuple + "/libz.so.1");
    }

    @ParameterizedTest
    @MethodSource("otherLibraries")
    void anotherLibraryIsNamedAsNotThisProjectsWithTheWayToTheRightOne(String other) throws Exception {
        assumeTrue(Files.isRegularFile(Path.of(other)), "skipped: " + other + " is not on this host (Debian's"
                + " multiarch path for os.arch=" + System.getProperty("os.arch") + ")");

        ChildJvm.Outcome outcome = ChildJvm.run(ChildJvm.testClasspath(), List.of("-Dsockopt.bridge.library=" + other),
                LoadedLibraryMain.class);

        assertEquals(3, outcome.exitCode(), outcome.output());
        String output = outcome.output();
        assertTrue(output.contains(other + " is not sockopt-bridge's native library (loading it registered none"
                + " of the bridge's native methods"), output);
        assertTrue(output.contains("Point -Dsockopt.bridge.library at the libsockopt_bridge-linux-"), output);
        assertTrue(output.contains("remove -Dsockopt.bridge.library to use the copy inside the jar"), output);
        assertFalse(output.contains("UnsatisfiedLinkError: unknown"), output);
    }
}
