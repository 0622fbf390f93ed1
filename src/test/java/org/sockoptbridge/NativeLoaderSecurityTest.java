package org.sockoptbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sockoptbridge.internal.Platform;

/**
 * The extraction directory cannot be redirected (issue 9, section 2). Each load runs in a child
 * JVM, because the library loads once per JVM, with -Dsockopt.bridge.tmpdir on a directory the
 * test prepared. The tests run as root, so "another user" is played by modes and owners.
 */
class NativeLoaderSecurityTest {
    private static final String LIBRARY = Platform.current().libraryFileName();

    @Test
    void aWorldWritableParentWithoutTheStickyBitIsRefusedNamingItAndTheFix(@TempDir Path dir) throws Exception {
        Path unsafe = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(unsafe, PosixFilePermissions.fromString("rwxrwxrwx")); // 0777, no sticky bit

        ChildJvm.Outcome outcome = loadWithTmpdir(unsafe);

        assertEquals(3, outcome.exitCode(), outcome.output());
        String output = outcome.output();
        assertTrue(output.contains("refusing to extract the native library: " + unsafe + " is world-writable"
                + " without the sticky bit (mode 0777)"), output);
        assertTrue(output.contains("chmod +t " + unsafe) && output.contains("-Dsockopt.bridge.tmpdir"), output);
        assertEquals(List.of(), list(unsafe), "nothing is created in a refused directory");
    }

    @Test
    void aGroupWritableParentWithoutTheStickyBitIsRefused(@TempDir Path dir) throws Exception {
        Path unsafe = Files.createDirectory(dir.resolve("group"));
        Files.setPosixFilePermissions(unsafe, PosixFilePermissions.fromString("rwxrwx---"));

        ChildJvm.Outcome outcome = loadWithTmpdir(unsafe);

        assertEquals(3, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains(unsafe + " is group-writable without the sticky bit"), outcome.output());
        assertEquals(List.of(), list(unsafe));
    }

    @Test
    void aParentOwnedByAnotherUserIsRefused(@TempDir Path dir) throws Exception {
        Path foreign = Files.createDirectory(dir.resolve("nobodys"));
        Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setAttribute(foreign, "unix:uid", 65534); // nobody: root may still write, its owner may rename

        ChildJvm.Outcome outcome = loadWithTmpdir(foreign);

        assertEquals(3, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains(foreign + " is owned by uid 65534, neither this process's user (uid 0)"
                + " nor root"), outcome.output());
        assertEquals(List.of(), list(foreign), "the probe directory made to learn the uid is removed again");
    }

    @Test
    void aLinkToAnUnsafeDirectoryIsJudgedByWhereItLeads(@TempDir Path dir) throws Exception {
        Path unsafe = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(unsafe, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path link = Files.createSymbolicLink(dir.resolve("looks-private"), unsafe);

        ChildJvm.Outcome outcome = loadWithTmpdir(link);

        assertEquals(3, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains(unsafe + " (on the way to the extraction directory " + link + ")"),
                outcome.output());
    }

    @Test
    void aStickyWorldWritableParentLikeTmpIsAccepted(@TempDir Path dir) throws Exception {
        Path sticky = Files.createDirectory(dir.resolve("sticky"));
        Files.setAttribute(sticky, "unix:mode", 01777);

        ChildJvm.Outcome outcome = loadWithTmpdir(sticky);

        assertEquals(0, outcome.exitCode(), outcome.output());
        assertEquals(List.of(), list(sticky));
        assumeMappedBytesReadable(outcome);
        assertTrue(outcome.output().contains("mapped-sha256: " + expectedSha256()), outcome.output());
    }

    /** The mapped bytes come from /proc/self/map_files, which needs CAP_SYS_ADMIN (containers lack it). */
    private static void assumeMappedBytesReadable(ChildJvm.Outcome outcome) {
        org.junit.jupiter.api.Assumptions.assumeFalse(outcome.output().contains("mapped-sha256 unavailable"),
                "the rest passed; the mapped bytes cannot be compared here: /proc/self/map_files needs CAP_SYS_ADMIN");
    }

    /**
     * The attacker (this JVM, root like the loader, so stronger than "another user") watches the
     * safe parent, renames every fresh extraction directory away and plants a symbolic link under
     * its name to a directory holding a root-owned 0600 file of the library's name. The loader
     * must never write through the link (the victim stays as it was, nothing new appears beside
     * it), and each run either maps exactly the jar's bytes or fails with the loader's message.
     */
    @Test
    void anAttackerSwappingTheExtractionDirectoryForALinkNeverRedirectsTheWriteNorTheLoad(@TempDir Path dir)
            throws Exception {
        Path parent = Files.createDirectory(dir.resolve("parent"));
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx------"));
        Path victimDir = Files.createDirectory(dir.resolve("victim"));
        Path victim = victimDir.resolve(LIBRARY);
        byte[] victimBytes = "root-owned file that must never be overwritten\n".getBytes(StandardCharsets.US_ASCII);
        Files.write(victim, victimBytes);
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger swaps = new AtomicInteger();
        Thread attacker = new Thread(() -> {
            int moved = 0;
            while (!stop.get()) {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, "sockopt-bridge-*")) {
                    for (Path entry : entries) {
                        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                            Files.move(entry, parent.resolve("moved-away-" + moved++));
                            Files.createSymbolicLink(entry, victimDir);
                            swaps.incrementAndGet();
                        }
                    }
                } catch (IOException | RuntimeException raced) {
                    // The loader removed or created something meanwhile: look again.
                }
            }
        }, "attacker");
        attacker.setDaemon(true);
        attacker.start();

        int runs = 20;
        int loaded = 0;
        List<String> failures = new ArrayList<>();
        try {
            for (int run = 0; run < runs; run++) {
                ChildJvm.Outcome outcome = loadWithTmpdir(parent);
                assertTrue(Files.isRegularFile(victim, LinkOption.NOFOLLOW_LINKS), "run " + run + ": victim replaced");
                assertEquals(new String(victimBytes, StandardCharsets.US_ASCII),
                        new String(Files.readAllBytes(victim), StandardCharsets.ISO_8859_1),
                        "run " + run + ": the loader wrote through the planted link\n" + outcome.output());
                assertEquals(List.of(victim), list(victimDir), "run " + run + ": nothing new beside the victim");
                if (outcome.exitCode() == 0) {
                    assumeMappedBytesReadable(outcome);
                    assertTrue(outcome.output().contains("mapped-sha256: " + expectedSha256()),
                            "run " + run + ": loaded, but not the jar's bytes\n" + outcome.output());
                    loaded++;
                } else {
                    assertEquals(3, outcome.exitCode(), "run " + run + ": a clean failure\n" + outcome.output());
                    assertTrue(outcome.output().contains("could not load its native library"), outcome.output());
                    failures.add(firstAttempt(outcome.output()));
                }
            }
        } finally {
            stop.set(true);
            attacker.join(10_000);
        }
        System.out.println("attack: " + swaps.get() + " directories swapped for a link in " + runs + " runs; "
                + loaded + " loaded the jar's bytes, " + failures.size() + " refused:");
        failures.forEach(failure -> System.out.println("  " + failure));
        assertTrue(swaps.get() > 0, "the attacker never got to a directory: the test proved nothing");
    }

    private static ChildJvm.Outcome loadWithTmpdir(Path tmpdir) throws IOException, InterruptedException {
        return ChildJvm.run(ChildJvm.testClasspath(), List.of("-Dsockopt.bridge.tmpdir=" + tmpdir),
                LoadedLibraryMain.class);
    }

    private static String expectedSha256() throws IOException {
        Path classes = Path.of(System.getProperty("sockopt.bridge.test.classesDir", "target/classes"));
        String osArch = Platform.current().osArch();
        return Files.readString(classes.resolve("META-INF/native/" + osArch + "/" + LIBRARY + ".sha256")).trim();
    }

    private static String firstAttempt(String output) {
        int start = output.indexOf("1. ");
        return start < 0 ? output.strip() : output.substring(start, output.indexOf('\n', start) < 0 ? output.length()
                : output.indexOf('\n', start));
    }

    private static List<Path> list(Path directory) throws IOException {
        try (var entries = Files.list(directory)) {
            return entries.toList();
        }
    }
}
