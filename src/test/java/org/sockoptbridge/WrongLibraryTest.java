package org.sockoptbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** -Dsockopt.bridge.library naming a loadable library that is not the shim (issue 9, section 4). */
class WrongLibraryTest {
    @ParameterizedTest
    @ValueSource(strings = {"/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libz.so.1"})
    void anotherLibraryIsNamedAsNotThisProjectsWithTheWayToTheRightOne(String other) throws Exception {
        assumeTrue(Files.isRegularFile(Path.of(other)), other + " exists on this host (Debian x86_64)");

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
