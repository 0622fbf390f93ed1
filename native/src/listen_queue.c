/*
 * Readings of Linux TCP_INFO that the JDK does not show.
 *
 * The accept queue of a listening socket: how many connections wait for accept(), and the
 * limit beyond which the kernel drops or refuses new ones ("TCP backlog exceeded"), which is
 * what busy servers need to see.
 *
 * Linux: TCP_INFO on a LISTEN socket reports the queue length in tcpi_unacked and the limit in
 * tcpi_sacked (net/ipv4/tcp.c tcp_get_info: "if (info->tcpi_state == TCP_LISTEN) {
 * info->tcpi_unacked = READ_ONCE(sk->sk_ack_backlog); info->tcpi_sacked =
 * READ_ONCE(sk->sk_max_ack_backlog); }"), the limit being min(backlog, net.core.somaxconn).
 * FreeBSD: getsockopt(SOL_SOCKET, SO_LISTENQLEN) is the queue of completed connections and
 *   SO_LISTENQLIMIT the backlog listen() settled on (sys/sys/socket.h: 0x1012, 0x1011;
 *   sys/kern/uipc_socket.c sogetopt returns sol_qlen and sol_qlimit, and 0 for both on a socket
 *   that is not listening, hence the SO_ACCEPTCONN check first). The kernel drops connections only
 *   past 3/2 of the limit (the comment on sysctl_somaxconn there), so a "full" queue here is an
 *   early warning. Compiled where those constants exist; no FreeBSD build exists yet (no FreeBSD
 *   headers on the build host), so this branch has not been compiled.
 * macOS: XNU has no getsockopt for it (bsd/kern/uipc_socket.c sogetoptlock: SO_NREAD and
 *   SO_NUMRCVPKT count received data); its queue is only in proc_pidfdinfo's socket_info
 *   (bsd/kern/socket_info.c: soi_qlen, soi_qlimit), which the shim does not read. Not available.
 *
 * A connection's retransmission and probe counters (sob_tcp_info): the one way to tell, after
 * the kernel dropped a connection with ETIMEDOUT, which timer did it. Checked on Linux 6.18 in
 * network namespaces: a keep-alive drop leaves tcpi_probes at the probe count and
 * tcpi_retransmits at 0; a drop of unacknowledged data leaves tcpi_retransmits above 0 and
 * tcpi_probes at 0. The drop purges the write queue (net/ipv4/tcp.c tcp_done_with_error calls
 * tcp_write_queue_purge), so tcpi_unacked reads 0 afterwards; the counters themselves are reset
 * only by tcp_disconnect() or a new acknowledgement, neither of which comes to a dead connection.
 * Other platforms: EOPNOTSUPP (macOS has TCP_CONNECTION_INFO, FreeBSD another struct tcp_info:
 * not mapped here).
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
/* tcpi_total_retrans is the last of the fields sob_tcp_info reads (struct tcp_info order). */
#define SOB_CONNECTION_FIELDS_END \
    SOB_MAX(SOB_TCP_INFO_END(tcpi_total_retrans), SOB_TCP_INFO_END(tcpi_last_ack_recv))
#endif

#if defined(__linux__) && defined(TCP_INFO)
/* getsockopt(TCP_INFO) into *info: 0, -errno, or -EOPNOTSUPP when the reply stops before the
 * first `needed` bytes. qemu-user 7.2 (Debian bookworm's qemu-user-static, aarch64 guest on
 * x86_64) answers TCP_INFO with success and a length of 4: only tcpi_state and the three bytes
 * after it. Without this check a LISTEN socket there reads as "limit 0, length 0" and a dead
 * connection as "0 probes, 0 retransmissions": plausible but false. Too short a reply means this
 * platform cannot tell: the header's EOPNOTSUPP. (Checked by hand under qemu; see
 * shared/reference/containers-here.md, issue 11.) */
static int read_tcp_info(int fd, struct tcp_info *info, size_t needed) {
    socklen_t len = sizeof *info;
    memset(info, 0, sizeof *info);
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, info, &len) != 0) {
        return -errno;
    }
    return (size_t)len < needed ? -EOPNOTSUPP : 0;
}
#endif

int64_t sob_listen_queue(int fd) {
#if defined(__linux__) && defined(TCP_INFO)
    struct tcp_info info;
    int rc = read_tcp_info(fd, &info, SOB_LISTEN_FIELDS_END);
    if (rc != 0) {
        return rc;
    }
    if (info.tcpi_state != TCP_LISTEN) {
        return -EINVAL;
    }
    return ((int64_t)info.tcpi_sacked << 32) | (int64_t)info.tcpi_unacked;
#elif defined(SO_LISTENQLEN) && defined(SO_LISTENQLIMIT) && defined(SO_ACCEPTCONN)
    int value = 0;
    socklen_t len = sizeof value;
#if defined(SO_PROTOCOL)
    /* Only a TCP listener's queue, as on Linux: a listening Unix-domain or SCTP socket has one too. */
    if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &value, &len) != 0) {
        return -errno;
    }
    if (value != IPPROTO_TCP) {
        return -EOPNOTSUPP;
    }
#endif
    len = sizeof value;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &value, &len) != 0) {
        return -errno;
    }
    if (value == 0) {
        return -EINVAL;
    }
    int length = 0;
    int limit = 0;
    len = sizeof length;
    if (getsockopt(fd, SOL_SOCKET, SO_LISTENQLEN, &length, &len) != 0) {
        return -errno;
    }
    len = sizeof limit;
    if (getsockopt(fd, SOL_SOCKET, SO_LISTENQLIMIT, &limit, &len) != 0) {
        return -errno;
    }
    if (length < 0 || limit < 0) {
        return -EOPNOTSUPP;
    }
    return ((int64_t)limit << 32) | (int64_t)length;
#else
    (void)fd;
    return -EOPNOTSUPP;
#endif
}

int sob_tcp_info(int fd, uint32_t *out, int count) {
    if (out == NULL || count < SOB_TCPI_FIELDS) {
        return -EINVAL;
    }
#if defined(__linux__) && defined(TCP_INFO)
    struct tcp_info info;
    int rc = read_tcp_info(fd, &info, SOB_CONNECTION_FIELDS_END);
    if (rc != 0) {
        return rc;
    }
    out[SOB_TCPI_STATE] = info.tcpi_state;
    out[SOB_TCPI_RETRANSMITS] = info.tcpi_retransmits;
    out[SOB_TCPI_PROBES] = info.tcpi_probes;
    out[SOB_TCPI_UNACKED] = info.tcpi_unacked;
    out[SOB_TCPI_TOTAL_RETRANS] = info.tcpi_total_retrans;
    out[SOB_TCPI_LAST_DATA_RECV] = info.tcpi_last_data_recv;
    out[SOB_TCPI_LAST_ACK_RECV] = info.tcpi_last_ack_recv;
    return 0;
#else
    (void)fd;
    return -EOPNOTSUPP;
#endif
}
