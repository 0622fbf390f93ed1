/*
 * The one table that maps each portable option id to this platform's (level, name) and the
 * range of values its kernel accepts. Every platform difference of the shim lives here.
 *
 * An option is "compiled in" when the OS headers define its constant. A build can also drop an
 * option on purpose (CMake -DSOB_OMIT_OPTIONS=...) to simulate a platform that lacks it.
 */
#include "options_table.h"

#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h> /* NULL: glibc's headers happen to define it on the way, musl's and macOS's do not */
#include <sys/socket.h>
#if defined(__GLIBC__)
#include <gnu/libc-version.h>
#endif

/* Ranges of the keep-alive timers.
 * Linux: include/net/tcp.h MAX_TCP_KEEPIDLE 32767, MAX_TCP_KEEPINTVL 32767, MAX_TCP_KEEPCNT 127;
 *   net/ipv4/tcp.c rejects val < 1 || val > MAX with EINVAL.
 * macOS: bsd/netinet/tcp_usrreq.c rejects optval < 0 || optval > UINT32_MAX / TCP_RETRANSHZ
 *   (TCP_RETRANSHZ 1000), so seconds up to 4294967; 0 is accepted there but means "use the
 *   system default", which the bridge never wants to send by accident, so the floor is 1.
 * FreeBSD / NetBSD / others: sys/netinet/tcp_usrreq.c stores seconds * hz in an int;
 *   INT_MAX / 1000 keeps that product in range for hz up to 1000 (unverified on NetBSD). */
#if defined(__linux__)
#define KEEPIDLE_MAX 32767
#define KEEPINTVL_MAX 32767
#define KEEPCNT_MAX 127
#elif defined(__APPLE__)
#define KEEPIDLE_MAX 4294967
#define KEEPINTVL_MAX 4294967
#define KEEPCNT_MAX INT_MAX
#else
#define KEEPIDLE_MAX (INT_MAX / 1000)
#define KEEPINTVL_MAX (INT_MAX / 1000)
#define KEEPCNT_MAX INT_MAX
#endif

/* macOS spells the idle time TCP_KEEPALIVE (bsd/netinet/tcp.h) and has no TCP_KEEPIDLE. */
#if defined(TCP_KEEPIDLE)
#define IDLE_NAME TCP_KEEPIDLE
#define IDLE_SYMBOL "TCP_KEEPIDLE"
#elif defined(TCP_KEEPALIVE)
#define IDLE_NAME TCP_KEEPALIVE
#define IDLE_SYMBOL "TCP_KEEPALIVE"
#endif

/* TCP_USER_TIMEOUT (Linux 2.6.37+): milliseconds transmitted data may stay unacknowledged before
 * the kernel drops the connection with ETIMEDOUT; 0, a fresh socket's value, leaves that to
 * net.ipv4.tcp_retries2 (about 15 minutes). net/ipv4/tcp.c refuses val < 0 with EINVAL and
 * stores any other int in icsk_user_timeout (do_tcp_setsockopt; tcp_sock_set_user_timeout since
 * 6.6), so the range is 0..INT_MAX.
 * Linux only, on purpose. macOS has no TCP_USER_TIMEOUT: its TCP_RXT_CONNDROPTIME takes whole
 * seconds counted from the first retransmission (not from the first transmission), is checked
 * only when the retransmission timer fires (bsd/netinet/tcp_timer.c, TCPT_REXMT: t_rxtstart),
 * and bounds neither keep-alive nor zero-window probing. FreeBSD 14's TCP_MAXUNACKTIME takes
 * whole seconds and only the RACK and BBR stacks enforce it (sys/netinet/tcp_stacks,
 * ctf_progress_timeout_check); OpenBSD and NetBSD have nothing of the kind. Passing another
 * contract off under this name would be worse than reporting the option unsupported. */
#if defined(__linux__) && defined(TCP_USER_TIMEOUT)
#define USER_TIMEOUT_ON_THIS_OS 1
#endif

#define ENTRY(lvl, nm, sym, lo, hi, kind) {1, (lvl), (nm), (sym), (lo), (hi), (kind)}
#define ABSENT(sym, kind) {0, -1, -1, (sym), 0, 0, (kind)}

/* Buffer sizes: Linux clamps to net.core.rmem_max / wmem_max and then doubles
 * (net/core/sock.c __sock_set_rcvbuf), and a negative int would be read as a huge unsigned
 * value and silently clamped, so the bridge refuses negatives; 0 is raised to Linux's minimum.
 * macOS and FreeBSD refuse a value below 1 with EINVAL (XNU bsd/kern/uipc_socket.c sosetoptlock,
 * FreeBSD sys/kern/uipc_socket.c sosetopt: "Values < 1 make no sense"), so their floor is 1 and
 * the bridge says so before the call. The upper bound is the kernel's: Linux clamps, those two
 * refuse with ENOBUFS above kern.ipc.maxsockbuf's share (PlatformFacts words both). */
#if defined(__APPLE__) || defined(__FreeBSD__)
#define BUFFER_MIN 1
#else
#define BUFFER_MIN 0
#endif

/* SO_REUSEPORT means, for the bridge, what it means on Linux: sockets that all set it share the
 * port and the kernel spreads connections across them (net/core/sock_reuseport.c). FreeBSD's
 * SO_REUSEPORT only shares the bind; its spreading one is SO_REUSEPORT_LB (FreeBSD 12+,
 * sys/sys/socket.h 0x00010000, read back by sys/kern/uipc_socket.c sogetopt like the other flags),
 * which nginx and Knot Resolver set in place of SO_REUSEPORT there too. macOS has only the
 * bind-sharing kind (PlatformFacts says so). Not compiled here: no FreeBSD headers. */
#if defined(__FreeBSD__) && defined(SO_REUSEPORT_LB)
#define REUSEPORT_NAME SO_REUSEPORT_LB
#define REUSEPORT_SYMBOL "SO_REUSEPORT_LB"
#elif defined(SO_REUSEPORT)
#define REUSEPORT_NAME SO_REUSEPORT
#define REUSEPORT_SYMBOL "SO_REUSEPORT"
#endif
static const struct sob_option_entry TABLE[SOB_OPTION_COUNT] = {
#if defined(IDLE_NAME) && !defined(SOB_OMIT_TCP_KEEPIDLE)
    [SOB_TCP_KEEPIDLE] = ENTRY(IPPROTO_TCP, IDLE_NAME, IDLE_SYMBOL, 1, KEEPIDLE_MAX, SOB_KIND_TCP),
#else
    [SOB_TCP_KEEPIDLE] = ABSENT("TCP_KEEPIDLE", SOB_KIND_TCP),
#endif
#if defined(TCP_KEEPINTVL) && !defined(SOB_OMIT_TCP_KEEPINTVL)
    [SOB_TCP_KEEPINTVL] = ENTRY(IPPROTO_TCP, TCP_KEEPINTVL, "TCP_KEEPINTVL", 1, KEEPINTVL_MAX, SOB_KIND_TCP),
#else
    [SOB_TCP_KEEPINTVL] = ABSENT("TCP_KEEPINTVL", SOB_KIND_TCP),
#endif
#if defined(TCP_KEEPCNT) && !defined(SOB_OMIT_TCP_KEEPCNT)
    [SOB_TCP_KEEPCNT] = ENTRY(IPPROTO_TCP, TCP_KEEPCNT, "TCP_KEEPCNT", 1, KEEPCNT_MAX, SOB_KIND_TCP),
#else
    [SOB_TCP_KEEPCNT] = ABSENT("TCP_KEEPCNT", SOB_KIND_TCP),
#endif
#if !defined(SOB_OMIT_SO_RCVBUF)
    [SOB_SO_RCVBUF] = ENTRY(SOL_SOCKET, SO_RCVBUF, "SO_RCVBUF", BUFFER_MIN, INT_MAX, SOB_KIND_ANY),
#else
    [SOB_SO_RCVBUF] = ABSENT("SO_RCVBUF", SOB_KIND_ANY),
#endif
#if !defined(SOB_OMIT_SO_SNDBUF)
    [SOB_SO_SNDBUF] = ENTRY(SOL_SOCKET, SO_SNDBUF, "SO_SNDBUF", BUFFER_MIN, INT_MAX, SOB_KIND_ANY),
#else
    [SOB_SO_SNDBUF] = ABSENT("SO_SNDBUF", SOB_KIND_ANY),
#endif
#if defined(IPV6_V6ONLY) && !defined(SOB_OMIT_IPV6_V6ONLY)
    [SOB_IPV6_V6ONLY] = ENTRY(IPPROTO_IPV6, IPV6_V6ONLY, "IPV6_V6ONLY", 0, 1, SOB_KIND_INET6),
#else
    [SOB_IPV6_V6ONLY] = ABSENT("IPV6_V6ONLY", SOB_KIND_INET6),
#endif
#if defined(REUSEPORT_NAME) && !defined(SOB_OMIT_SO_REUSEPORT)
    [SOB_SO_REUSEPORT] = ENTRY(SOL_SOCKET, REUSEPORT_NAME, REUSEPORT_SYMBOL, 0, 1, SOB_KIND_ANY),
#else
    [SOB_SO_REUSEPORT] = ABSENT("SO_REUSEPORT", SOB_KIND_ANY),
#endif
#if defined(USER_TIMEOUT_ON_THIS_OS) && !defined(SOB_OMIT_TCP_USER_TIMEOUT)
    [SOB_TCP_USER_TIMEOUT] = ENTRY(IPPROTO_TCP, TCP_USER_TIMEOUT, "TCP_USER_TIMEOUT", 0, INT_MAX, SOB_KIND_TCP),
#else
    [SOB_TCP_USER_TIMEOUT] = ABSENT("TCP_USER_TIMEOUT", SOB_KIND_TCP),
#endif
    [SOB_SO_KEEPALIVE] = ENTRY(SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE", 0, 1, SOB_KIND_ANY),
};

const struct sob_option_entry *sob_entry(int option_id) {
    if (option_id < 0 || option_id >= SOB_OPTION_COUNT) {
        return 0;
    }
    return &TABLE[option_id];
}

const char *sob_libc_name(void) {
#if defined(__GLIBC__)
    return "glibc";
#elif defined(__linux__)
    return "musl"; /* the only other libc the shim builds with on Linux */
#elif defined(__APPLE__)
    return "libSystem";
#else
    return "BSD libc";
#endif
}

const char *sob_libc_version(void) {
#if defined(__GLIBC__)
    return gnu_get_libc_version(); /* the loaded libc.so.6: what the glibc floor is about */
#else
    return NULL; /* musl has no version function on purpose; the BSDs version libc with the OS */
#endif
}

/* Linux stores and reports twice the buffer size that was asked for (net/core/sock.c
 * __sock_set_rcvbuf: "We double it on the way in to account for struct sk_buff etc.
 * overhead"); macOS and FreeBSD store the value as given (as sb_hiwat: XNU
 * bsd/kern/uipc_socket2.c sbreserve, FreeBSD sys/kern/uipc_sockbuf.c sbreserve_locked through
 * chgsbsize), and sogetopt returns sb_hiwat unchanged; the other BSDs are assumed to, unchecked. */
int sob_buffer_readback_factor(void) {
#if defined(__linux__)
    return 2;
#else
    return 1;
#endif
}
