package org.sockoptbridge.internal.os;

import org.sockoptbridge.HostLimit;
import org.sockoptbridge.OptionName;

/**
 * macOS (XNU), from its headers and bsd/ sources; unverified where it says so. Nothing here has
 * run on a Mac: the rules are read from the XNU sources named in each sentence. The keep-alive
 * sysctls are in milliseconds (bsd/netinet/tcp_timer.c, sysctl_msec_to_ticks); the probe count
 * has no sysctl there (tcp_keepcnt is a static), so none is named for it.
 *
 * <p>Buffers: bsd/kern/uipc_socket.c sosetoptlock, case SO_SNDBUF/SO_RCVBUF, refuses a value
 * below 1 with EINVAL and calls sbreserve, whose refusal becomes ENOBUFS; bsd/kern/uipc_socket2.c
 * sbreserve refuses a size above sb_max_adj (kern.ipc.maxsockbuf scaled by MCLBYTES / (MSIZE +
 * MCLBYTES), sysctl_sb_max) and otherwise stores it as sb_hiwat, which sogetoptlock returns as it
 * is: no doubling, no clamping. A successful set also clears SB_AUTOSIZE.
 *
 * <p>Accept queue: bsd/kern/uipc_socket.c solisten replaces a backlog that is 0 or below, or above
 * kern.ipc.somaxconn, with somaxconn, and stores it as so_qlimit; bsd/kern/uipc_socket2.c
 * sonewconn_internal refuses a connection once so_qlen (by default complete and incomplete
 * connections together) reaches so_qlimit. sogetoptlock has no option that reads the queue.
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
    public String bufferRule(OptionName option, HostLimit cap) {
        return "macOS holds the size as set, not doubled; a request above " + capText(cap) + " scaled by "
                + "MCLBYTES / (MSIZE + MCLBYTES), a little below it, fails with ENOBUFS instead of being cut down, and "
                + "one below 1 with EINVAL (bsd/kern/uipc_socket.c, sosetoptlock; bsd/kern/uipc_socket2.c, sbreserve); "
                + "setting it turns off the kernel's automatic sizing for that socket (read in the XNU sources, not "
                + "run on a Mac here)";
    }

    @Override
    public String oversizedBufferErrno() {
        return "ENOBUFS";
    }

    @Override
    public String acceptQueueRule(HostLimit cap) {
        return "listen() replaces a backlog of 0 or one above " + capText(cap) + " with it (bsd/kern/uipc_socket.c, "
                + "solisten); the queue counts connections still in the handshake as well as completed ones "
                + "(bsd/kern/uipc_socket2.c, sonewconn_internal; read in the XNU sources, not run on a Mac here)";
    }

    @Override
    public String acceptQueueSource() {
        return "XNU has no getsockopt for a listener's queue (bsd/kern/uipc_socket.c, sogetoptlock: SO_NREAD and "
                + "SO_NUMRCVPKT count received data, not connections); the queue is visible only through "
                + "proc_pidfdinfo (bsd/kern/socket_info.c: soi_qlen, soi_qlimit), which the bridge does not read";
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
