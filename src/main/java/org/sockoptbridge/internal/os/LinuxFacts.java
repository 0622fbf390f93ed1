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
        return "Linux cuts the request down to " + capText(cap) + ", then doubles it for its own bookkeeping "
                + "(net/core/sock.c, __sock_set_rcvbuf: \"We double it on the way in\"), and getsockopt reads the "
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
            default:
                return "";
        }
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
