package org.sockoptbridge.internal.os;

import org.sockoptbridge.OptionName;

/** FreeBSD, OpenBSD, NetBSD and DragonFly: shared BSD rules, none of them run here (unverified). */
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

    @Override
    public String bufferCap(OptionName option) {
        return option.unit() == OptionName.Unit.BYTES ? "kern.ipc.maxsockbuf" : null;
    }

    @Override
    public String bufferRule(OptionName option) {
        return "the kernel holds the size as set, up to a share of kern.ipc.maxsockbuf (sys/kern/uipc_sockbuf.c; "
                + "not checked on " + os + " here)";
    }

    @Override
    public String v6OnlyAfterBindRule() {
        return "settable before bind() only (not checked on " + os + " here)"
                + (os.equals("openbsd") ? "; OpenBSD sockets are always IPv6-only" : "");
    }

    @Override
    public String optionNote(OptionName option) {
        if (option == OptionName.SO_REUSEPORT) {
            return "BSD semantics: several sockets may bind the port, but connections are not spread across them"
                    + (os.equals("freebsd") ? " (FreeBSD 12+ has SO_REUSEPORT_LB for that)" : "");
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
