package org.sockoptbridge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.sockoptbridge.internal.Platform;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shim is bound through JNI alone: the startup check loads nothing of jnr-ffi or jffi. */
class JniBindingTest {

    @Test
    void theStartupCheckLoadsNoJnrOrJffiClass() throws Exception {
        ChildJvm.Outcome outcome = ChildJvm.run(ChildJvm.testClasspath(), List.of("-verbose:class"),
                StartupCheckMain.class, "TCP_KEEPIDLE", "TCP_KEEPINTVL", "TCP_KEEPCNT", "SO_RCVBUF", "SO_SNDBUF",
                "SO_REUSEPORT");
        assertEquals(0, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains("startup check passed"), outcome.output());
        assertTrue(outcome.output().contains("org.sockoptbridge.internal.JniShim"), "the class log must be there");
        List<String> foreign = outcome.output().lines()
                .filter(line -> line.contains(" jnr.") || line.contains(" com.kenai.jffi."))
                .toList();
        assertEquals(List.of(), foreign, "jnr/jffi classes loaded on the shim path");
    }

    @Test
    void aLibraryFromAnotherBuildIsRefusedAtStartupNamingBothAbis() throws Exception {
        Path library = Path.of(System.getProperty("sockopt.bridge.test.nativeDir"),
                "libsockopt_bridge-" + Platform.current().osArch() + "-other-abi.so");
        assertTrue(Files.exists(library), "CMake builds the test library " + library);
        ChildJvm.Outcome outcome = ChildJvm.run(ChildJvm.testClasspath(),
                List.of("-Dsockopt.bridge.library=" + library), StartupCheckMain.class, "SO_RCVBUF");
        assertEquals(3, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains("with ABI " + (org.sockoptbridge.internal.JniShim.ABI_VERSION + 100)), outcome.output());
        assertTrue(outcome.output().contains("needs ABI " + org.sockoptbridge.internal.JniShim.ABI_VERSION), outcome.output());
        assertTrue(outcome.output().contains("come from different builds"), outcome.output());
    }
}
