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
/* musl's <netinet/tcp.h> declares struct tcp_info only under _GNU_SOURCE (glibc's already under
 * the _DEFAULT_SOURCE the build sets); this file is the only one that needs it, so only it asks. */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE
#endif
#include "sockopt_bridge.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#if defined(__linux__) && defined(TCP_INFO)
/* Bytes of struct tcp_info that must have been written for the fields read below to be real.
 * The kernel copies min(the caller's length, its own sizeof(struct tcp_info)) and reports that
 * length back (net/ipv4/tcp.c do_tcp_getsockopt, case TCP_INFO: "len = min_t(unsigned int,
 * len, sizeof(info))"), so a length short of this means those fields were never filled. */
#define SOB_TCP_INFO_END(field) (offsetof(struct tcp_info, field) + sizeof(((struct tcp_info *)0)->field))
#define SOB_MAX(a, b) ((a) > (b) ? (a) : (b))
#define SOB_LISTEN_FIELDS_END \
    SOB_MAX(SOB_MAX(SOB_TCP_INFO_END(tcpi_state), SOB_TCP_INFO_END(tcpi_unacked)), SOB_TCP_INFO_END(tcpi_sacked))
#endif

int64_t sob_listen_queue(int fd) {
#if defined(__linux__) && defined(TCP_INFO)
    struct tcp_info info;
    socklen_t len = sizeof info;
    memset(&info, 0, sizeof info);
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0) {
        return -errno;
    }
    /* qemu-user 7.2 (Debian bookworm's qemu-user-static, aarch64 guest on x86_64) answers
     * TCP_INFO with success and a length of 4: only tcpi_state and the three bytes after it.
     * Without this check a LISTEN socket there reads as "limit 0, length 0", a plausible but
     * false queue. Too short a reply means this platform cannot tell: the header's EOPNOTSUPP.
     * (Checked by hand under qemu; see shared/reference/containers-here.md, issue 11.) */
    if ((size_t)len < SOB_LISTEN_FIELDS_END) {
        return -EOPNOTSUPP;
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
