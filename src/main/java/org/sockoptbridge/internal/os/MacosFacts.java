package org.sockoptbridge.internal.os;

import org.sockoptbridge.OptionName;

/**
 * macOS (XNU), from its headers and bsd/netinet sources; unverified where it says so. The
 * keep-alive sysctls are in milliseconds (bsd/netinet/tcp_timer.c, sysctl_msec_to_ticks); the
 * probe count has no sysctl there (tcp_keepcnt is a static), so none is named for it.
 */
final class MacosFacts extends PlatformFacts {
    @Override
    public String defaultSetting(OptionName option) {
        switch (option) {
            case TCP_KEEPIDLE: return "net.inet.tcp.keepidle (milliseconds)";
            case TCP_KEEPINTVL: return "net.inet.tcp.keepintvl (milliseconds)";
            case SO_RCVBUF: return "net.inet.tcp.recvspace";
            case SO_SNDBUF: return "net.inet.tcp.sendspace";
            default: return null;
        }
    }

    @Override
    public String bufferCap(OptionName option) {
        return option.unit() == OptionName.Unit.BYTES ? "kern.ipc.maxsockbuf" : null;
    }

    @Override
    public String bufferRule(OptionName option) {
        return "the kernel holds the size as set, up to a share of kern.ipc.maxsockbuf (sbreserve in "
                + "bsd/kern/uipc_socket2.c; not checked on a Mac here)";
    }

    @Override
    public String v6OnlyAfterBindRule() {
        return "settable before bind() only (macOS behaviour not checked here; Linux refuses it once bound)";
    }

    @Override
    public String optionNote(OptionName option) {
        switch (option) {
            case TCP_KEEPIDLE:
                return "macOS spells it TCP_KEEPALIVE (bsd/netinet/tcp.h); its accepted sockets are reported not to "
                        + "inherit it from the listener, which the bridge detects";
            case SO_REUSEPORT:
                return "BSD semantics: several sockets may bind the port, but TCP connections are not spread "
                        + "across them";
            case TCP_USER_TIMEOUT:
                return missingOptionReason(option);
            default:
                return "";
        }
    }

    /**
     * XNU's nearest option, TCP_RXT_CONNDROPTIME (bsd/netinet/tcp_usrreq.c stores seconds x
     * TCP_RETRANSHZ in t_rxt_conndroptime; bsd/netinet/tcp_timer.c, TCPT_REXMT, compares it with
     * tcp_now - t_rxtstart), keeps another contract; mapping it would promise Linux's behaviour.
     */
    @Override
    public String missingOptionReason(OptionName option) {
        if (option != OptionName.TCP_USER_TIMEOUT) {
            return null;
        }
        return "macOS has no TCP_USER_TIMEOUT, and the bridge does not map TCP_RXT_CONNDROPTIME to it: that one takes "
                + "whole seconds, counts from the first retransmission rather than from the first transmission, is "
                + "checked only when the retransmission timer fires (bsd/netinet/tcp_timer.c), and ends neither "
                + "keep-alive nor zero-window probing";
    }

    @Override
    public String jdkDifference(OptionName option) {
        return null;
    }
}
