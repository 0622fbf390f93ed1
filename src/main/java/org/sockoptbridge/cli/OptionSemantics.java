package org.sockoptbridge.cli;

import org.sockoptbridge.OptionName;
import org.sockoptbridge.internal.Platform;

/**
 * What each option really does on this platform, and what the JDK offers for it: the facts a
 * server author trips over. Every platform-dependent sentence of the probe is here.
 */
final class OptionSemantics {
    private OptionSemantics() {
    }

    static String describe(OptionName option) {
        boolean linux = Platform.current().isLinux();
        boolean macos = Platform.current().osArch().startsWith("macos");
        switch (option) {
            case TCP_KEEPIDLE:
                return "seconds a connection is idle before the first keep-alive probe; acts only with SO_KEEPALIVE "
                        + "on (the bridge turns it on)" + (linux ? "; default net.ipv4.tcp_keepalive_time" : "")
                        + (macos ? "; macOS spells it TCP_KEEPALIVE" : "");
            case TCP_KEEPINTVL:
                return "seconds between unanswered keep-alive probes"
                        + (linux ? "; default net.ipv4.tcp_keepalive_intvl" : "");
            case TCP_KEEPCNT:
                return "unanswered probes before the kernel drops the connection (the application then reads "
                        + "ETIMEDOUT); dead-peer detection takes idle + interval x count"
                        + (linux ? "; default net.ipv4.tcp_keepalive_probes" : "");
            case SO_RCVBUF:
            case SO_SNDBUF:
                String max = option == OptionName.SO_RCVBUF ? "net.core.rmem_max" : "net.core.wmem_max";
                return linux
                        ? "bytes; Linux caps the request at " + max + ", then doubles it for its own bookkeeping "
                                + "(net/core/sock.c), and getsockopt reads the doubled value; setting it turns "
                                + "off the kernel's automatic tuning for that socket; set it on the listener "
                                + "before listen() so that window scaling covers accepted connections"
                        : "bytes, as the kernel holds them; set it on the listener before listen() so that window "
                                + "scaling covers accepted connections";
            case IPV6_V6ONLY:
                return "an IPv6 socket that accepts only IPv6 (on) or also IPv4 as ::ffff:a.b.c.d (off); works only "
                        + "before bind()" + (linux ? "; a fresh socket starts with net.ipv6.bindv6only" : "")
                        + (Platform.current().osArch().startsWith("openbsd") ? "; OpenBSD is always IPv6-only" : "");
            case SO_REUSEPORT:
                return linux
                        ? "several sockets of the same user bind one address and port, and the kernel spreads "
                                + "incoming connections across the listeners (Linux 3.9+); set before bind()"
                        : "several sockets bind one address and port (set before bind()); this platform does not "
                                + "spread TCP connections across them (FreeBSD has SO_REUSEPORT_LB for that)";
            default:
                throw new IllegalArgumentException(option.name());
        }
    }

    /** Listener options that accepted sockets could inherit (the probe detects which do). */
    static boolean appliesToAcceptedSockets(OptionName option) {
        return option != OptionName.IPV6_V6ONLY && option != OptionName.SO_REUSEPORT;
    }

    /** The JDK's SocketOption name for the same thing, or null where the JDK has none. */
    static String jdkOptionName(OptionName option) {
        switch (option) {
            case TCP_KEEPIDLE:
                return "TCP_KEEPIDLE";
            case TCP_KEEPINTVL:
                return "TCP_KEEPINTERVAL";
            case TCP_KEEPCNT:
                return "TCP_KEEPCOUNT";
            case SO_RCVBUF:
                return "SO_RCVBUF";
            case SO_SNDBUF:
                return "SO_SNDBUF";
            case SO_REUSEPORT:
                return "SO_REUSEPORT";
            default:
                return null;
        }
    }

    static String jdkOptionClass(OptionName option) {
        return option.name().startsWith("TCP_KEEP") ? "jdk.net.ExtendedSocketOptions" : "java.net.StandardSocketOptions";
    }

    /** What the bridge adds over the JDK here. */
    static String jdkNote(OptionName option) {
        boolean linux = Platform.current().isLinux();
        switch (option) {
            case SO_RCVBUF:
            case SO_SNDBUF:
                return linux ? "the JDK's getOption reports half of what the kernel holds (it undoes the doubling); "
                        + "the bridge reports both" : "same value as the bridge";
            case IPV6_V6ONLY:
                return "no JDK option; the JDK clears IPV6_V6ONLY on every IPv6 socket it creates "
                        + "(sun.nio.ch.Net), so only the bridge can make an IPv6-only listener";
            default:
                return "the bridge validates the range before the syscall and fails at startup where it is missing";
        }
    }
}
