package org.sockoptbridge.internal.os;

import org.sockoptbridge.HostLimit;
import org.sockoptbridge.OptionName;

/**
 * FreeBSD, OpenBSD, NetBSD and DragonFly: shared BSD rules, none of them built or run here. The
 * FreeBSD sentences are read from FreeBSD's sources (named in each); the other BSDs are assumed
 * to share them, and the text says so.
 *
 * <p>Buffers (FreeBSD): sys/kern/uipc_socket.c sosetopt, case SO_SNDBUF/SO_RCVBUF, refuses a
 * value below 1 with EINVAL and hands the rest to sbsetopt (sys/kern/uipc_sockbuf.c), which
 * answers ENOBUFS when sbreserve_locked refuses: a size above sb_max_adj (kern.ipc.maxsockbuf
 * scaled by MCLBYTES / (MSIZE + MCLBYTES), sysctl_handle_sb_max) or beyond the user's
 * RLIMIT_SBSIZE. What is stored (sb_hiwat) is what sogetopt returns: no doubling.
 *
 * <p>Accept queue (FreeBSD): sys/kern/uipc_socket.c solisten_proto replaces a negative backlog or
 * one above kern.ipc.soacceptqueue with it and stores it as sol_qlimit; the comment on
 * sysctl_somaxconn there says connections are dropped past 3 * so_qlimit / 2.
 */
final class BsdFacts extends PlatformFacts {
    private final String os;

    BsdFacts(String os) {
        this.os = os;
    }

    @Override
    public String defaultSetting(OptionName option) {
        switch (option) {
            case TCP_KEEPIDLE: return "net.inet.tcp.keepidle";
            case TCP_KEEPINTVL: return "net.inet.tcp.keepintvl";
            case IPV6_V6ONLY: return "net.inet6.ip6.v6only";
            default: return null;
        }
    }

    private boolean freebsd() {
        return os.equals("freebsd");
    }

    @Override
    public String bufferRule(OptionName option, HostLimit cap) {
        String rule = "the kernel holds the size as set, not doubled; a request above " + capText(cap) + " scaled by "
                + "MCLBYTES / (MSIZE + MCLBYTES) fails with ENOBUFS instead of being cut down, and one below 1 with "
                + "EINVAL (FreeBSD: sys/kern/uipc_socket.c, sosetopt; sys/kern/uipc_sockbuf.c, sbsetopt and "
                + "sbreserve_locked";
        return freebsd() ? rule + "; read in the FreeBSD sources, not run here)"
                : rule + "; assumed, not checked, to hold on " + os + ")";
    }

    @Override
    public String oversizedBufferErrno() {
        return "ENOBUFS";
    }

    @Override
    public String acceptQueueRule(HostLimit cap) {
        String rule = "listen() replaces a larger backlog with " + capText(cap);
        return freebsd() ? rule + " (sys/kern/uipc_socket.c, solisten_proto), and drops connections past 3/2 of that "
                + "limit (the comment on sysctl_somaxconn there; read in the FreeBSD sources, not run here)"
                : rule + " (assumed from FreeBSD, not checked on " + os + ")";
    }

    @Override
    public String acceptQueueSource() {
        return freebsd() ? "read live with getsockopt SO_LISTENQLEN and SO_LISTENQLIMIT (sys/kern/uipc_socket.c, "
                + "sogetopt); the shim has that code, but no FreeBSD build of it exists yet"
                : "not read on " + os;
    }

    @Override
    public String v6OnlyAfterBindRule() {
        return "settable before bind() only (not checked on " + os + " here)"
                + (os.equals("openbsd") ? "; OpenBSD sockets are always IPv6-only" : "");
    }

    @Override
    public String optionNote(OptionName option) {
        if (option == OptionName.SO_REUSEPORT) {
            return freebsd() ? "the bridge sets FreeBSD's SO_REUSEPORT_LB (FreeBSD 12+), which spreads connections "
                    + "across the sockets that share the port as Linux's SO_REUSEPORT does; FreeBSD's own SO_REUSEPORT "
                    + "only shares the bind (native/src/options.c)"
                    : "BSD semantics: several sockets may bind the port, but connections are not spread across them";
        }
        if (option == OptionName.TCP_USER_TIMEOUT) {
            return missingOptionReason(option);
        }
        if (option.scope() == OptionName.Scope.TCP && os.equals("openbsd")) {
            return "OpenBSD has no per-socket keep-alive timers";
        }
        return "";
    }

    @Override
    public String missingOptionReason(OptionName option) {
        if (option != OptionName.TCP_USER_TIMEOUT) {
            return null;
        }
        if (os.equals("freebsd")) {
            // sys/netinet/tcp.h TCP_MAXUNACKTIME (FreeBSD 14); checked by ctf_progress_timeout_check
            // in sys/netinet/tcp_stacks, which the default stack does not call.
            return "FreeBSD has no TCP_USER_TIMEOUT, and the bridge does not map TCP_MAXUNACKTIME (14+) to it: that one "
                    + "takes whole seconds and only the RACK and BBR TCP stacks enforce it";
        }
        return os + " has no TCP_USER_TIMEOUT (its headers define none; not checked on " + os + " here)";
    }

    @Override
    public String jdkDifference(OptionName option) {
        return null;
    }
}
