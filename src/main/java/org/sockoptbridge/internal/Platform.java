package org.sockoptbridge.internal;

import java.util.Locale;

/**
 * The os-arch name under which native libraries are built and shipped. Must agree with the
 * naming in CMakeLists.txt ("linux-x86_64", "macos-aarch64", "freebsd-x86_64", ...).
 */
public final class Platform {
    private static final Platform CURRENT = new Platform(
            System.getProperty("os.name", "unknown"), System.getProperty("os.version", ""),
            System.getProperty("os.arch", "unknown"));

    private final String osName;
    private final String osVersion;
    private final String javaArch;
    private final String osArch;

    Platform(String osName, String osVersion, String javaArch) {
        this.osName = osName;
        this.osVersion = osVersion;
        this.javaArch = javaArch;
        this.osArch = normalizeOs(osName) + "-" + normalizeArch(javaArch);
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

    /** For example {@code linux-x86_64}. */
    public String osArch() {
        return osArch;
    }

    public boolean isLinux() {
        return osArch.startsWith("linux-");
    }

    /** The library file shipped for this platform, e.g. {@code libsockopt_bridge-linux-x86_64.so}. */
    public String libraryFileName() {
        return System.mapLibraryName(libraryName());
    }

    /** The name for {@code System.mapLibraryName}: {@code sockopt_bridge-linux-x86_64}. */
    public String libraryName() {
        return "sockopt_bridge-" + osArch;
    }

    /** For error messages: {@code linux-x86_64 (Linux 6.1.0, os.arch=amd64)}. */
    public String description() {
        return osArch + " (" + osName + " " + osVersion + ", os.arch=" + javaArch + ")";
    }
}
