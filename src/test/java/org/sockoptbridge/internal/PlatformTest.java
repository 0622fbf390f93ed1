package org.sockoptbridge.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The libc is read from the process (the JVM executable's ELF interpreter), and a musl process is
 * shipped a library of its own name, since neither libc's build loads in the other's process.
 */
class PlatformTest {
    @TempDir
    Path dir;

    @Test
    void a_musl_process_gets_the_musl_build_and_a_glibc_process_keeps_the_bare_name() {
        Platform musl = new Platform("Linux", "6.1", "aarch64", "musl", "test");
        assertEquals("linux-aarch64", musl.osArch());
        assertEquals("linux-aarch64-musl", musl.nativeName());
        assertEquals("sockopt_bridge-linux-aarch64-musl", musl.libraryName());
        Platform glibc = new Platform("Linux", "6.1", "amd64", "glibc", "test");
        assertEquals("linux-x86_64", glibc.nativeName());
        assertEquals("macos-aarch64", new Platform("Mac OS X", "14.1", "aarch64").nativeName());
        assertTrue(Platform.BUILT.contains(musl.nativeName()) && Platform.BUILT.contains(glibc.nativeName()));
    }

    @Test
    void this_jvm_is_recognized_by_its_elf_interpreter_and_the_jar_has_its_shim() throws IOException {
        assumeTrue(Platform.current().isLinux(), "reads /proc/self/exe: Linux only");
        String interpreter = Platform.elfInterpreter(Path.of("/proc/self/exe"));
        System.out.println("this JVM: " + Platform.current().description() + ", interpreter " + interpreter
                + ", libc " + Platform.current().libc() + " (" + Platform.current().libcEvidence() + ")");
        assertTrue(interpreter != null && interpreter.startsWith("/"), String.valueOf(interpreter));
        assertEquals(interpreter.contains("musl") ? "musl" : "glibc", Platform.current().libc());
        assertTrue(Platform.current().libcEvidence().contains(interpreter), Platform.current().libcEvidence());
        assertTrue(NativeLoader.bundledPlatforms().contains(Platform.current().nativeName()),
                "the test class path carries the host's shim: " + NativeLoader.bundledText());
    }

    @Test
    void the_interpreter_is_read_from_64_bit_little_endian_and_32_bit_big_endian_elf_files() throws IOException {
        Path musl64 = dir.resolve("musl64");
        Files.write(musl64, elf(true, ByteOrder.LITTLE_ENDIAN, "/lib/ld-musl-aarch64.so.1"));
        assertEquals("/lib/ld-musl-aarch64.so.1", Platform.elfInterpreter(musl64));
        Path glibc32 = dir.resolve("glibc32");
        Files.write(glibc32, elf(false, ByteOrder.BIG_ENDIAN, "/lib/ld.so.1"));
        assertEquals("/lib/ld.so.1", Platform.elfInterpreter(glibc32));
        Path script = dir.resolve("script");
        Files.writeString(script, "#!/bin/sh\n" + "x".repeat(80));
        assertNull(Platform.elfInterpreter(script));
    }

    @Test
    void without_a_readable_executable_the_mapped_loader_decides() throws IOException {
        Path maps = dir.resolve("maps");
        Files.writeString(maps, "7f0000000000-7f0000001000 r--p 00000000 08:01 42   /lib/ld-musl-x86_64.so.1\n");
        String[] libc = Platform.linuxLibc(dir.resolve("missing-exe"), maps);
        assertEquals("musl", libc[0]);
        assertTrue(libc[1].contains("/lib/ld-musl-x86_64.so.1 is mapped"), libc[1]);
        String[] unknown = Platform.linuxLibc(dir.resolve("missing-exe"), dir.resolve("missing-maps"));
        assertEquals("glibc", unknown[0]);
        assertTrue(unknown[1].endsWith("assumed glibc"), unknown[1]);
    }

    /** A minimal ELF header with one PT_LOAD and one PT_INTERP program header. */
    private static byte[] elf(boolean is64, ByteOrder order, String interpreter) {
        int ehsize = is64 ? 64 : 52;
        int phentsize = is64 ? 56 : 32;
        int phoff = ehsize;
        int interpAt = phoff + 2 * phentsize;
        byte[] name = (interpreter + "\0").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(interpAt + name.length).order(order);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1), (byte) (order == ByteOrder.BIG_ENDIAN ? 2 : 1), 1});
        if (is64) {
            b.putLong(32, phoff).putShort(54, (short) phentsize).putShort(56, (short) 2);
            b.putInt(phoff, 1); // PT_LOAD, ignored
            b.putInt(phoff + phentsize, 3).putLong(phoff + phentsize + 8, interpAt).putLong(phoff + phentsize + 32, name.length);
        } else {
            b.putInt(28, phoff).putShort(42, (short) phentsize).putShort(44, (short) 2);
            b.putInt(phoff, 1);
            b.putInt(phoff + phentsize, 3).putInt(phoff + phentsize + 4, interpAt).putInt(phoff + phentsize + 16, name.length);
        }
        b.position(interpAt);
        b.put(name);
        return b.array();
    }
}
