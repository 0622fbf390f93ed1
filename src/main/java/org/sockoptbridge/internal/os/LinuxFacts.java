package org.sockoptbridge.internal.os;

import org.sockoptbridge.HostLimit;
import org.sockoptbridge.OptionName;

/** Linux, from the kernel sources named in each sentence. */
final class LinuxFacts extends PlatformFacts {
    @Override
    public String defaultSetting(OptionName option) {
        switch (option) {
            case TCP_KEEPIDLE: return "net.ipv4.tcp_keepalive_time";
            case TCP_KEEPINTVL: return "net.ipv4.tcp_keepalive_intvl";
            case TCP_KEEPCNT: return "net.ipv4.tcp_keepalive_probes";
            case SO_RCVBUF: return "net.ipv4.tcp_rmem (its middle value, for TCP)";
            case SO_SNDBUF: return "net.ipv4.tcp_wmem (its middle value, for TCP)";
            case IPV6_V6ONLY: return "net.ipv6.bindv6only";
            default: return null;
        }
    }

    @Override
    public String bufferRule(OptionName option, HostLimit cap) {
        // net/core/sock.c: SO_RCVBUF goes through __sock_set_rcvbuf ("We double it on the way in"),
        // SO_SNDBUF through the set_sndbuf label of sk_setsockopt (max_t(int, val * 2, SOCK_MIN_SNDBUF)).
        String doubling = option == OptionName.SO_SNDBUF ? "sk_setsockopt, SO_SNDBUF: val * 2"
                : "__sock_set_rcvbuf: \"We double it on the way in\"";
        return "Linux cuts the request down to " + capText(cap) + ", then doubles it for its own bookkeeping "
                + "(net/core/sock.c, " + doubling + "), and getsockopt reads the "
                + "doubled value; setting it turns off the kernel's automatic tuning for that socket";
    }

    /**
     * Linux never refuses a size, it clamps: net/core/sock.c, sk_setsockopt (sock_setsockopt before
     * 6.0), case SO_RCVBUF: __sock_set_rcvbuf(sk, min_t(u32, val, sysctl_rmem_max)).
     */
    @Override
    public String oversizedBufferErrno() {
        return null;
    }

    @Override
    public String acceptQueueRule(HostLimit cap) {
        return "listen() cuts a larger backlog down to " + capText(cap) + " (net/socket.c, __sys_listen), which "
                + "belongs to the network namespace; the queue takes one connection more than that limit before it "
                + "drops (include/net/sock.h, sk_acceptq_is_full)";
    }

    @Override
    public String acceptQueueSource() {
        return "read live from TCP_INFO on the listener (net/ipv4/tcp.c, tcp_get_info: tcpi_unacked is the queue, "
                + "tcpi_sacked its limit), when the kernel returns the whole structure";
    }

    @Override
    public String v6OnlyAfterBindRule() {
        return "Linux refuses the change with EINVAL once the socket has a local port (net/ipv6/ipv6_sockglue.c)";
    }

    @Override
    public String optionNote(OptionName option) {
        switch (option) {
            case SO_REUSEPORT:
                return "all sockets of the group must set it, under the same user; the kernel spreads incoming "
                        + "connections across the listeners (Linux 3.9+, net/core/sock_reuseport.c)";
            case TCP_USER_TIMEOUT:
                return USER_TIMEOUT;
            default:
                return "";
        }
    }

    /**
     * net/ipv4/tcp_output.c: tcp_retransmit_skb saves retrans_stamp (the first retransmission's
     * time); net/ipv4/tcp_timer.c: retransmits_timed_out, tcp_clamp_rto_to_user_timeout,
     * tcp_probe_timer, tcp_keepalive_timer. UserTimeoutDeadPeerTest measures both halves.
     */
    private static final String USER_TIMEOUT = "Linux 2.6.37+; the clock starts at the first retransmission of the "
            + "oldest unacknowledged segment (tcp_retransmit_skb's retrans_stamp; on a short path a few hundred "
            + "milliseconds after the send), and the retransmission timer is shortened to fire when it runs out "
            + "(net/ipv4/tcp_timer.c, tcp_clamp_rto_to_user_timeout); it also ends zero-window probing. Without it "
            + "net.ipv4.tcp_retries2 decides (default 15: about 15 minutes). With SO_KEEPALIVE on it takes TCP_KEEPCNT's "
            + "place: the connection is dropped at the first keep-alive timer tick at which nothing has been received "
            + "for the user timeout and at least one probe is unanswered (tcp_keepalive_timer), so a user timeout "
            + "shorter than idle + interval x count ends a dead idle peer sooner (at the earliest idle + interval), and "
            + "a longer one keeps probing past TCP_KEEPCNT probes; keep-alive probes never run while data is "
            + "unacknowledged";

    @Override
    public String missingOptionReason(OptionName option) {
        return null; // every option is in the Linux headers; an older kernel rejects it on the probe
    }

    @Override
    public String jdkDifference(OptionName option) {
        if (option.unit() == OptionName.Unit.BYTES) {
            return "the JDK's getOption reports half of what the kernel holds (it undoes the doubling); "
                    + "the bridge reports both";
        }
        return null;
    }
}
