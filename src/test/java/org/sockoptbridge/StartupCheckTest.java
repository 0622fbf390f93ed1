package org.sockoptbridge;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fail-fast check a server runs at startup, in child JVMs because the library loads once per JVM. */
class StartupCheckTest {
    private static final String WITHOUT_OPTIONS = "libsockopt_bridge-"
            + org.sockoptbridge.internal.Platform.current().osArch() + "-without-options.so";

    @Test
    void everyOptionIsSupportedOnThisLinuxHostSoTheCheckPasses() {
        assertTrue(OptionRoundTripTest.isLinux());
        SockoptBridge.requireSupport(OptionName.TCP_KEEPIDLE, OptionName.TCP_KEEPINTVL, OptionName.TCP_KEEPCNT,
                OptionName.SO_RCVBUF, OptionName.SO_SNDBUF, OptionName.SO_REUSEPORT);
        assertEquals(SockoptBridge.capabilities().ipv6Available(),
                SockoptBridge.capabilities().isSupported(OptionName.IPV6_V6ONLY));
    }

    @Test
    void aBuildWithoutTwoOptionsFailsTheStartupCheckNamingBoth() throws Exception {
        Path library = Path.of(System.getProperty("sockopt.bridge.test.nativeDir"), WITHOUT_OPTIONS);
        assertTrue(Files.exists(library), "CMake builds the test library " + library);
        ChildJvm.Outcome outcome = ChildJvm.run(ChildJvm.testClasspath(),
                List.of("-Dsockopt.bridge.library=" + library), StartupCheckMain.class,
                "TCP_KEEPIDLE", "TCP_KEEPCNT", "SO_RCVBUF", "SO_REUSEPORT");
        assertEquals(3, outcome.exitCode(), outcome.output());
        String output = outcome.output();
        assertTrue(output.contains("requires 2 socket option(s)"), output);
        assertTrue(output.contains("(backend: shim)"), output);
        assertTrue(output.contains("- TCP_KEEPCNT: not compiled on this OS"), output);
        assertTrue(output.contains("- SO_REUSEPORT: not compiled on this OS"), output);
        assertFalse(output.contains("- TCP_KEEPIDLE"), output);
    }

    @Test
    void withoutANativeLibraryTheCheckThrowsForEveryOptionAndListsTheLoaderAttempts(@TempDir Path dir) throws Exception {
        ChildJvm.Outcome outcome = ChildJvm.run(ChildJvm.testClasspath(),
                List.of("-Dsockopt.bridge.library=" + dir.resolve("libmissing.so")), StartupCheckMain.class,
                "TCP_KEEPIDLE", "SO_RCVBUF");
        assertEquals(3, outcome.exitCode(), outcome.output());
        String output = outcome.output();
        assertTrue(output.contains("- TCP_KEEPIDLE: no native library for linux-"), output);
        assertTrue(output.contains("- SO_RCVBUF: no native library for linux-"), output);
        assertTrue(output.contains("libmissing.so"), "names the failed attempt: " + output);
    }

    @Test
    void theLibraryIsExtractedIntoAPrivateDirectoryWhichIsRemovedAfterLoading(@TempDir Path dir) throws Exception {
        ChildJvm.Outcome outcome = ChildJvm.run(ChildJvm.testClasspath(),
                List.of("-Dsockopt.bridge.tmpdir=" + dir), StartupCheckMain.class, "SO_RCVBUF");
        assertEquals(0, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains("/META-INF/native/") && outcome.output().contains("read back and compared"),
                outcome.output());
        try (var left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "nothing is left behind in the extraction directory");
        }
    }

    @Test
    void aTruncatedLibraryInTheJarIsRefusedAtStartupNamingTheResource(@TempDir Path dir) throws Exception {
        Path classes = Path.of(System.getProperty("sockopt.bridge.test.classesDir"));
        Path copy = ChildJvm.copyOf(classes, dir.resolve("classes"), null);
        String osArch = org.sockoptbridge.internal.Platform.current().osArch();
        Path library = copy.resolve("META-INF/native/" + osArch + "/libsockopt_bridge-" + osArch + ".so");
        byte[] whole = Files.readAllBytes(library);
        Files.write(library, java.util.Arrays.copyOf(whole, whole.length / 2));
        String classpath = copy + File.pathSeparator + ChildJvm.classpathWithout(classes);
        ChildJvm.Outcome outcome = ChildJvm.run(classpath, List.of("-Dsockopt.bridge.tmpdir=" + dir),
                StartupCheckMain.class, "SO_RCVBUF");
        assertEquals(3, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains("the library was altered or truncated; refusing to load it"), outcome.output());
    }

    @Test
    void aDamagedLibraryInAJarIsRefusedByTheEntrysCrcBeforeTheDynamicLinkerSeesIt(@TempDir Path dir) throws Exception {
        Path classes = Path.of(System.getProperty("sockopt.bridge.test.classesDir"));
        String osArch = org.sockoptbridge.internal.Platform.current().osArch();
        String libraryEntry = "META-INF/native/" + osArch + "/libsockopt_bridge-" + osArch + ".so";
        Path jar = dir.resolve("bridge.jar");
        byte[] library = Files.readAllBytes(classes.resolve(libraryEntry));
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar)); var files = Files.walk(classes)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                String name = classes.relativize(source).toString().replace(File.separatorChar, '/');
                if (Files.isDirectory(source) || name.equals(libraryEntry)) {
                    continue;
                }
                out.putNextEntry(new java.util.jar.JarEntry(name));
                out.write(Files.readAllBytes(source));
                out.closeEntry();
            }
            // Stored, not deflated, so that its bytes can be damaged in place below.
            java.util.jar.JarEntry stored = new java.util.jar.JarEntry(libraryEntry);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(library);
            stored.setMethod(java.util.zip.ZipEntry.STORED);
            stored.setSize(library.length);
            stored.setCrc(crc.getValue());
            out.putNextEntry(stored);
            out.write(library);
            out.closeEntry();
        }
        byte[] jarBytes = Files.readAllBytes(jar);
        int at = indexOf(jarBytes, java.util.Arrays.copyOfRange(library, 4096, 4096 + 64));
        assertTrue(at > 0, "the stored library is in the jar as is");
        jarBytes[at + 10] ^= 0x5a;
        Files.write(jar, jarBytes);
        ChildJvm.Outcome outcome = ChildJvm.run(jar + File.pathSeparator + ChildJvm.classpathWithout(classes),
                List.of("-Dsockopt.bridge.tmpdir=" + dir), StartupCheckMain.class, "SO_RCVBUF");
        assertEquals(3, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains("is damaged: its CRC-32 is"), outcome.output());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
