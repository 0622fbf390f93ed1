package org.sockoptbridge.platform;

import java.util.List;

/**
 * A platform the jar can carry a shim for (README, Platforms), and how this x86_64 Linux host
 * tests it. The report reads what was built from the jar, the C tests from each build's last
 * CTest run, and the Java tests from the cells of the target's architecture.
 *
 * @param id           the jar's resource directory, META-INF/native/&lt;id&gt;/
 * @param library      the shim's file name in that directory
 * @param buildDir     the CMake build directory under the root's target/ whose CTest ran
 * @param cellArch     the architecture of the cells that run a JVM with this shim, or null
 * @param noJvm        why no JVM runs this shim here (when cellArch is null)
 * @param how          how this host runs what it runs of the target
 */
record Target(String id, String library, String buildDir, Cell.Arch cellArch, String noJvm, String how) {

    static List<Target> all() {
        return List.of(
                new Target("linux-x86_64", "libsockopt_bridge-linux-x86_64.so", "native-build", Cell.Arch.X86_64, null,
                        "native: C tests on the host, JVMs in the x86_64 cells"),
                new Target("linux-x86_64-musl", "libsockopt_bridge-linux-x86_64-musl.so", "native-linux-x86_64-musl", null,
                        "no musl JDK is reachable here", "native: static musl test programs"),
                new Target("linux-aarch64", "libsockopt_bridge-linux-aarch64.so", "native-linux-aarch64", Cell.Arch.AARCH64,
                        null, "qemu-user: C tests by qemu-aarch64-static with an arm64 sysroot; the arm64 cell's JVM"
                                + " through binfmt_misc"),
                new Target("linux-aarch64-musl", "libsockopt_bridge-linux-aarch64-musl.so", "native-linux-aarch64-musl",
                        null, "no musl JDK is reachable here", "qemu-user: static test programs"),
                new Target("macos-x86_64", "libsockopt_bridge-macos-x86_64.dylib", "native-macos-x86_64", null,
                        "macOS cannot run here", "not runnable here: its CTests only read the dylib's files"),
                new Target("macos-aarch64", "libsockopt_bridge-macos-aarch64.dylib", "native-macos-aarch64", null,
                        "macOS cannot run here", "not runnable here: its CTests only read the dylib's files"));
    }

    String jarEntry() {
        return "META-INF/native/" + id + "/" + library;
    }
}
