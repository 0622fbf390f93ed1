/*
 * The accept queue of a listening socket: how many connections wait for accept(), and the
 * limit beyond which the kernel drops or refuses new ones ("TCP backlog exceeded"), which is
 * what busy servers need to see and the JDK does not show.
 *
 * Linux: TCP_INFO on a LISTEN socket reports the queue length in tcpi_unacked and the limit in
 * tcpi_sacked (net/ipv4/tcp.c tcp_get_info: "if (info->tcpi_state == TCP_LISTEN) {
 * info->tcpi_unacked = READ_ONCE(sk->sk_ack_backlog); info->tcpi_sacked =
 * READ_ONCE(sk->sk_max_ack_backlog); }"), the limit being min(backlog, net.core.somaxconn).
 * Other platforms: not available through this call (FreeBSD's TCP_INFO has no such fields).
 */
#include "sockopt_bridge.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

int64_t sob_listen_queue(int fd) {
#if defined(__linux__) && defined(TCP_INFO)
    struct tcp_info info;
    socklen_t len = sizeof info;
    memset(&info, 0, sizeof info);
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0) {
        return -errno;
    }
    if (info.tcpi_state != TCP_LISTEN) {
        return -EINVAL;
    }
    return ((int64_t)info.tcpi_sacked << 32) | (int64_t)info.tcpi_unacked;
#else
    (void)fd;
    return -EOPNOTSUPP;
#endif
}
