package org.sockoptbridge.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

/**
 * The platform native libraries are built and shipped for: os-arch ("linux-x86_64",
 * "macos-aarch64") and, on Linux, the C library. Must agree with the naming in CMakeLists.txt and
 * with the targets in cmake/toolchains/.
 *
 * <p>The libc matters because a glibc build does not load in a musl process
 * ("gnu_get_libc_version: symbol not found") nor a musl build in a glibc one ("libc.so: invalid
 * ELF header"). It is read from this process, never guessed from os.name or from what is
 * installed: a glibc JVM runs fine on a machine that also has musl (Debian's musl package puts
 * /lib/ld-musl-x86_64.so.1 next to glibc), and an Alpine container reports the same os.name as
 * Debian.
 */
public final class Platform {
    /** Every platform the project builds a shim for (cmake/toolchains/ plus the host's glibc build). */
    public static final List<String> BUILT = List.of("linux-x86_64", "linux-x86_64-musl", "linux-aarch64",
            "linux-aarch64-musl", "macos-x86_64", "macos-aarch64");

    /** -Dsockopt.bridge.libc=glibc|musl overrides the detection (a libc this code does not recognize). */
    public static final String LIBC_PROPERTY = "sockopt.bridge.libc";

    private static final Platform CURRENT = detect();

    private final String osName;
    private final String osVersion;
    private final String javaArch;
    private final String osArch;
    private final String libc;
    private final String libcEvidence;

    Platform(String osName, String osVersion, String javaArch) {
        this(osName, osVersion, javaArch, "", "");
    }

    Platform(String osName, String osVersion, String javaArch, String libc, String libcEvidence) {
        this.osName = osName;
        this.osVersion = osVersion;
        this.javaArch = javaArch;
        this.osArch = normalizeOs(osName) + "-" + normalizeArch(javaArch);
        this.libc = libc;
        this.libcEvidence = libcEvidence;
    }

    private static Platform detect() {
        String osName = System.getProperty("os.name", "unknown");
        String osVersion = System.getProperty("os.version", "");
        String javaArch = System.getProperty("os.arch", "unknown");
        if (!normalizeOs(osName).equals("linux")) {
            return new Platform(osName, osVersion, javaArch);
        }
        String forced = System.getProperty(LIBC_PROPERTY);
        if (forced != null && !forced.isBlank()) {
            return new Platform(osName, osVersion, javaArch, forced.trim().toLowerCase(Locale.ROOT),
                    "-D" + LIBC_PROPERTY + "=" + forced.trim());
        }
        String[] libc = linuxLibc(Paths.get("/proc/self/exe"), Paths.get("/proc/self/maps"));
        return new Platform(osName, osVersion, javaArch, libc[0], libc[1]);
    }

    /**
     * {glibc|musl, evidence} of the running process. First the program interpreter of the JVM's
     * own executable (ELF PT_INTERP: "/lib64/ld-linux-x86-64.so.2" or "/lib/ld-musl-x86_64.so.1"):
     * it names the dynamic loader, which is the libc, and costs one read of a few hundred bytes.
     * Then, if the executable cannot be read, the mapped files of the process (the loader is
     * always mapped). glibc when nothing tells, saying so: the shim then fails to load with the
     * loader's own message, listed among the attempts.
     */
    static String[] linuxLibc(Path exe, Path maps) {
        String evidence;
        try {
            String interpreter = elfInterpreter(exe);
            if (interpreter != null) {
                return new String[] {interpreter.contains("musl") ? "musl" : "glibc",
                    "the JVM's ELF interpreter is " + interpreter};
            }
            evidence = exe + " has no ELF interpreter";
        } catch (IOException | RuntimeException e) {
            evidence = "reading the ELF interpreter of " + exe + " failed (" + e + ")";
        }
        try (java.util.stream.Stream<String> lines = Files.lines(maps, StandardCharsets.ISO_8859_1)) {
            String loader = lines.map(line -> line.substring(line.lastIndexOf(' ') + 1))
                    .filter(file -> file.contains("/ld-musl-") || file.contains("/ld-linux"))
                    .findFirst().orElse(null);
            if (loader != null) {
                return new String[] {loader.contains("musl") ? "musl" : "glibc", evidence + "; " + loader + " is mapped"};
            }
            evidence += "; no dynamic loader in " + maps;
        } catch (IOException | RuntimeException e) {
            evidence += "; reading " + maps + " failed (" + e + ")";
        }
        return new String[] {"glibc", evidence + "; assumed glibc"};
    }

    /** The PT_INTERP string of an ELF file, or null when it has none (static) or is not ELF. */
    static String elfInterpreter(Path file) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] ident = new byte[64];
            in.readFully(ident);
            if (ident[0] != 0x7f || ident[1] != 'E' || ident[2] != 'L' || ident[3] != 'F') {
                return null;
            }
            boolean is64 = ident[4] == 2; // EI_CLASS: 1 = ELFCLASS32, 2 = ELFCLASS64
            ByteBuffer header = ByteBuffer.wrap(ident).order(ident[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            long phoff = is64 ? header.getLong(32) : Integer.toUnsignedLong(header.getInt(28));
            int phentsize = Short.toUnsignedInt(header.getShort(is64 ? 54 : 42));
            int phnum = Short.toUnsignedInt(header.getShort(is64 ? 56 : 44));
            if (phnum == 0 || phnum > 256 || phentsize < (is64 ? 56 : 32)) {
                return null;
            }
            byte[] table = new byte[phentsize * phnum];
            in.seek(phoff);
            in.readFully(table);
            ByteBuffer phdrs = ByteBuffer.wrap(table).order(header.order());
            for (int i = 0; i < phnum; i++) {
                int at = i * phentsize;
                if (phdrs.getInt(at) != 3) { // PT_INTERP
                    continue;
                }
                long offset = is64 ? phdrs.getLong(at + 8) : Integer.toUnsignedLong(phdrs.getInt(at + 4));
                long size = is64 ? phdrs.getLong(at + 32) : Integer.toUnsignedLong(phdrs.getInt(at + 16));
                if (size <= 1 || size > 4096) {
                    return null;
                }
                byte[] name = new byte[(int) size - 1]; // without the terminating NUL
                in.seek(offset);
                in.readFully(name);
                return new String(name, StandardCharsets.ISO_8859_1);
            }
            return null;
        }
    }

    public static Platform current() {
        return CURRENT;
    }

    static String normalizeOs(String osName) {
        String os = osName.toLowerCase(Locale.ROOT).replace(" ", "");
        if (os.startsWith("macos") || os.startsWith("darwin")) {
            return "macos";
        }
        if (os.startsWith("windows")) {
            return "windows";
        }
        return os;
    }

    static String normalizeArch(String javaArch) {
        String arch = javaArch.toLowerCase(Locale.ROOT);
        if (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x64")) {
            return "x86_64";
        }
        if (arch.equals("arm64") || arch.equals("aarch64")) {
            return "aarch64";
        }
        return arch;
    }

    /** For example {@code linux-x86_64}: the OS and the architecture, whatever the libc. */
    public String osArch() {
        return osArch;
    }

    /**
     * The name native libraries are built and shipped under: {@link #osArch()}, plus "-musl" for a
     * musl process. glibc keeps the bare name, the one the jar always carried.
     */
    public String nativeName() {
        return libc.equals("musl") ? osArch + "-musl" : osArch;
    }

    /** "glibc" or "musl" on Linux, "" elsewhere. */
    public String libc() {
        return libc;
    }

    /** Why {@link #libc()} is what it is, e.g. "the JVM's ELF interpreter is /lib/ld-musl-x86_64.so.1". */
    public String libcEvidence() {
        return libcEvidence;
    }

    public boolean isLinux() {
        return osArch.startsWith("linux-");
    }

    /** The library file shipped for this platform, e.g. {@code libsockopt_bridge-linux-x86_64.so}. */
    public String libraryFileName() {
        return System.mapLibraryName(libraryName());
    }

    /** The name for {@code System.mapLibraryName}: {@code sockopt_bridge-linux-x86_64-musl}. */
    public String libraryName() {
        return "sockopt_bridge-" + nativeName();
    }

    /** For error messages: {@code linux-x86_64 (Linux 6.1.0, os.arch=amd64, libc glibc)}. */
    public String description() {
        return nativeName() + " (" + osName + " " + osVersion + ", os.arch=" + javaArch
                + (libc.isEmpty() ? "" : ", libc " + libc) + ")";
    }
}
