package org.sockoptbridge.platform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One cell of the Linux matrix: an image (glibc + JDK) and the network-namespace sysctls its
 * container gets. All cells share the host's kernel.
 *
 * @param id          short name, used in test names and the report
 * @param image       locally built image (platform-tests/scripts/build-images.sh)
 * @param description what the cell varies, for the report
 * @param sysctls     set per container (namespaced net.* sysctls only)
 * @param javaMajor   the JDK feature version the image must run
 * @param kind        which cell-specific expectations apply
 * @param arch        the architecture of the image's user land, and how this host runs it
 */
record Cell(String id, String image, String description, Map<String, String> sysctls, int javaMajor, Kind kind,
        Arch arch) {

    /** An image's architecture: the host's own, or another one that qemu-user emulates. */
    enum Arch {
        X86_64("x86_64", null),
        /** Under qemu-user, registered with binfmt_misc (platform-tests/scripts/binfmt-aarch64.sh). */
        AARCH64("aarch64", "qemu-aarch64");

        /** What uname -m and the probe's platform.arch say in the cell. */
        final String machine;
        /** The binfmt_misc entry that runs it on this x86_64 host, or null where it runs natively. */
        final String binfmtEntry;

        Arch(String machine, String binfmtEntry) {
            this.machine = machine;
            this.binfmtEntry = binfmtEntry;
        }

        /** The jar's resource directory for this architecture's glibc shim. */
        String platform() {
            return "linux-" + machine;
        }

        boolean emulated() {
            return binfmtEntry != null;
        }
    }

    enum Kind {
        /** A user land (glibc, JDK) with IPv6 enabled on lo: every option must be supported. */
        USERLAND,
        /** Docker's default: IPv6 disabled in the container (no ::1). */
        NO_IPV6,
        /** IPv6 enabled and net.ipv6.bindv6only=1: fresh IPv6 sockets are IPv6-only. */
        BINDV6ONLY,
        /** A tiny listen backlog limit. */
        SOMAXCONN,
        /** Changed keep-alive defaults: fresh sockets must report them. */
        KEEPALIVE
    }

    static final String REPO = "sockopt-bridge/cell:";
    static final int SOMAXCONN_VALUE = 16;
    static final int KEEPALIVE_TIME = 600;
    static final int KEEPALIVE_INTVL = 30;
    static final int KEEPALIVE_PROBES = 4;

    /** Docker disables IPv6 in containers by default; these turn it on for lo. */
    private static Map<String, String> ipv6On(String... more) {
        Map<String, String> sysctls = new LinkedHashMap<>();
        sysctls.put("net.ipv6.conf.all.disable_ipv6", "0");
        sysctls.put("net.ipv6.conf.lo.disable_ipv6", "0");
        for (int i = 0; i < more.length; i += 2) {
            sysctls.put(more[i], more[i + 1]);
        }
        return sysctls;
    }

    static List<Cell> linux() {
        return List.of(
                new Cell("bullseye-jdk17", REPO + "bullseye-jdk17",
                        "Debian 11, glibc 2.31 (the oldest glibc: the floor), OpenJDK 17", ipv6On(), 17, Kind.USERLAND, Arch.X86_64),
                new Cell("bookworm-jdk17", REPO + "bookworm-jdk17",
                        "Debian 12, glibc 2.36, OpenJDK 17", ipv6On(), 17, Kind.USERLAND, Arch.X86_64),
                new Cell("trixie-jdk21", REPO + "trixie-jdk21",
                        "Debian 13, glibc 2.41, OpenJDK 21", ipv6On(), 21, Kind.USERLAND, Arch.X86_64),
                new Cell("trixie-jdk25", REPO + "trixie-jdk25",
                        "Debian 13, glibc 2.41, OpenJDK 25", ipv6On(), 25, Kind.USERLAND, Arch.X86_64),
                new Cell("bookworm-no-ipv6", REPO + "bookworm-jdk17",
                        "Docker's default namespace: IPv6 disabled, no ::1", Map.of(), 17, Kind.NO_IPV6, Arch.X86_64),
                new Cell("bookworm-bindv6only", REPO + "bookworm-jdk17",
                        "IPv6 enabled, net.ipv6.bindv6only=1", ipv6On("net.ipv6.bindv6only", "1"), 17,
                        Kind.BINDV6ONLY, Arch.X86_64),
                new Cell("bookworm-somaxconn16", REPO + "bookworm-jdk17",
                        "net.core.somaxconn=" + SOMAXCONN_VALUE,
                        ipv6On("net.core.somaxconn", String.valueOf(SOMAXCONN_VALUE)), 17, Kind.SOMAXCONN, Arch.X86_64),
                new Cell("bookworm-keepalive", REPO + "bookworm-jdk17",
                        "tcp_keepalive_time=" + KEEPALIVE_TIME + ", intvl=" + KEEPALIVE_INTVL + ", probes="
                                + KEEPALIVE_PROBES,
                        ipv6On("net.ipv4.tcp_keepalive_time", String.valueOf(KEEPALIVE_TIME),
                                "net.ipv4.tcp_keepalive_intvl", String.valueOf(KEEPALIVE_INTVL),
                                "net.ipv4.tcp_keepalive_probes", String.valueOf(KEEPALIVE_PROBES)),
                        17, Kind.KEEPALIVE, Arch.X86_64),
                new Cell("bookworm-arm64-jdk17", REPO + "bookworm-arm64-jdk17",
                        "Debian 12 arm64, glibc 2.36, OpenJDK 17, under qemu-user: the jar's aarch64 shim", ipv6On(), 17,
                        Kind.USERLAND, Arch.AARCH64));
    }

    /**
     * The user-land cells also run the host's JUnit suite: the JDK-internal fd readers and the
     * glibc floor get the same tests as on the host (the namespace variants run only the CLI).
     */
    boolean runsHostSuite() {
        return kind == Kind.USERLAND;
    }

    boolean ipv6Expected() {
        return kind != Kind.NO_IPV6;
    }

    @Override
    public String toString() {
        return id;
    }
}
