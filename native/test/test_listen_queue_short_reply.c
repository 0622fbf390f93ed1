/*
 * sob_listen_queue and sob_tcp_info when getsockopt(TCP_INFO) succeeds with fewer bytes than the
 * fields they read,
 * as qemu-user 7.2 does (4 of 232 bytes; issue 11). There is no qemu here, so this executable is
 * linked with -Wl,--wrap=getsockopt against the unchanged shim objects: the linker sends the
 * shim's getsockopt calls to __wrap_getsockopt below, which makes the real call and then, when a
 * test asks for it, hands back only the first bytes of the kernel's answer with that shorter
 * length, the way the emulator does. So the shim sees what it would see under qemu: success,
 * tcpi_state == TCP_LISTEN, and nothing more.
 */
/* musl declares struct tcp_info only under _GNU_SOURCE (as in listen_queue.c). */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE
#endif
#include "check.h"
#include "sockopt_bridge.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int __real_getsockopt(int fd, int level, int name, void *value, socklen_t *len);
int __wrap_getsockopt(int fd, int level, int name, void *value, socklen_t *len);

/* 0: pass the kernel's reply through; otherwise the length a TCP_INFO reply is cut to. */
static socklen_t tcp_info_reply_limit;
static int tcp_info_calls;

int __wrap_getsockopt(int fd, int level, int name, void *value, socklen_t *len) {
    if (level != IPPROTO_TCP || name != TCP_INFO) {
        return __real_getsockopt(fd, level, name, value, len);
    }
    tcp_info_calls++;
    if (tcp_info_reply_limit == 0) {
        return __real_getsockopt(fd, level, name, value, len);
    }
    /* Like the emulator: the caller's buffer gets the first bytes of the kernel's answer and is
     * left as it was past them. */
    struct tcp_info full;
    socklen_t full_len = sizeof full;
    int rc = __real_getsockopt(fd, level, name, &full, &full_len);
    if (rc == 0) {
        socklen_t n = full_len < *len ? full_len : *len;
        n = n < tcp_info_reply_limit ? n : tcp_info_reply_limit;
        memcpy(value, &full, n);
        *len = n;
    }
    return rc;
}

#define FIELD_END(field) (offsetof(struct tcp_info, field) + sizeof(((struct tcp_info *)0)->field))

static int listener_with_backlog(int backlog) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(fd >= 0);
    CHECK_EQ(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    CHECK_EQ(listen(fd, backlog), 0);
    return fd;
}

static void the_seam_reaches_the_shims_getsockopt(void) {
    int fd = listener_with_backlog(3);
    int before = tcp_info_calls;
    int64_t queue = sob_listen_queue(fd);
    CHECK_EQ(tcp_info_calls, before + 1); /* else the tests below prove nothing */
    CHECK_EQ(queue >> 32, 3);
    CHECK_EQ(queue & 0xffffffff, 0);
    close(fd);
}

static void a_four_byte_reply_as_under_qemu_reads_as_unavailable(void) {
    int fd = listener_with_backlog(3);
    tcp_info_reply_limit = 4;
    /* Before the length check this was (0 << 32) | 0: a queue with room for nothing. */
    CHECK_EQ(sob_listen_queue(fd), -EOPNOTSUPP);
    tcp_info_reply_limit = 0;
    close(fd);
}

static void a_reply_that_ends_one_byte_short_of_the_limit_field_is_refused(void) {
    int fd = listener_with_backlog(7);
    size_t end = FIELD_END(tcpi_sacked) > FIELD_END(tcpi_unacked) ? FIELD_END(tcpi_sacked) : FIELD_END(tcpi_unacked);
    tcp_info_reply_limit = (socklen_t)(end - 1);
    CHECK_EQ(sob_listen_queue(fd), -EOPNOTSUPP);
    tcp_info_reply_limit = (socklen_t)end; /* an older kernel's shorter struct that has both */
    CHECK_EQ(sob_listen_queue(fd) >> 32, 7);
    tcp_info_reply_limit = 0;
    close(fd);
}

static void a_short_reply_on_a_socket_that_does_not_listen_is_unavailable_too(void) {
    /* With 4 bytes the state is there but the contract cannot be kept for a listening socket,
     * so the answer does not depend on the state: one cause, one errno. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    tcp_info_reply_limit = 4;
    CHECK_EQ(sob_listen_queue(fd), -EOPNOTSUPP);
    tcp_info_reply_limit = 0;
    CHECK_EQ(sob_listen_queue(fd), -EINVAL);
    close(fd);
}

static void connection_counters_from_a_short_reply_are_unavailable(void) {
    int fd = listener_with_backlog(3);
    uint32_t info[SOB_TCPI_FIELDS];
    CHECK_EQ(sob_tcp_info(fd, info, SOB_TCPI_FIELDS), 0);
    size_t end = FIELD_END(tcpi_total_retrans) > FIELD_END(tcpi_last_ack_recv) ? FIELD_END(tcpi_total_retrans)
                                                                                : FIELD_END(tcpi_last_ack_recv);
    tcp_info_reply_limit = 4;
    CHECK_EQ(sob_tcp_info(fd, info, SOB_TCPI_FIELDS), -EOPNOTSUPP);
    tcp_info_reply_limit = (socklen_t)(end - 1);
    CHECK_EQ(sob_tcp_info(fd, info, SOB_TCPI_FIELDS), -EOPNOTSUPP);
    tcp_info_reply_limit = (socklen_t)end;
    CHECK_EQ(sob_tcp_info(fd, info, SOB_TCPI_FIELDS), 0);
    CHECK_EQ(info[SOB_TCPI_STATE], TCP_LISTEN);
    tcp_info_reply_limit = 0;
    close(fd);
}

int main(void) {
    RUN(the_seam_reaches_the_shims_getsockopt);
    RUN(a_four_byte_reply_as_under_qemu_reads_as_unavailable);
    RUN(a_reply_that_ends_one_byte_short_of_the_limit_field_is_refused);
    RUN(a_short_reply_on_a_socket_that_does_not_listen_is_unavailable_too);
    RUN(connection_counters_from_a_short_reply_are_unavailable);
    return check_summary();
}
