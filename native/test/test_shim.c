/*
 * The shim against real kernel sockets: table constants, round trips, validation, the
 * all-or-nothing batch, the socket-kind query and the capability report.
 */
/* musl declares struct tcp_info only under _GNU_SOURCE (as in listen_queue.c). */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE
#endif
#include "check.h"
#include "options_table.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int get(int fd, int id) {
    int64_t v = sob_get_int(fd, id);
    CHECK(v >= 0);
    return (int)v;
}

static void table_uses_the_platform_constants(void) {
    CHECK_EQ(sob_abi_version(), SOB_ABI_VERSION);
    CHECK_EQ(sob_option_count(), SOB_OPTION_COUNT);
    CHECK_EQ(sob_option_level(SOB_SO_RCVBUF), SOL_SOCKET);
    CHECK_EQ(sob_option_name(SOB_SO_RCVBUF), SO_RCVBUF);
    CHECK_EQ(sob_option_name(SOB_SO_SNDBUF), SO_SNDBUF);
    CHECK_EQ(sob_option_name(SOB_SO_KEEPALIVE), SO_KEEPALIVE);
#if defined(__linux__)
    CHECK_EQ(sob_option_level(SOB_TCP_KEEPIDLE), IPPROTO_TCP);
    CHECK_EQ(sob_option_name(SOB_TCP_KEEPIDLE), TCP_KEEPIDLE);
    CHECK_EQ(sob_option_name(SOB_TCP_KEEPINTVL), TCP_KEEPINTVL);
    CHECK_EQ(sob_option_name(SOB_TCP_KEEPCNT), TCP_KEEPCNT);
    CHECK_EQ(sob_option_level(SOB_IPV6_V6ONLY), IPPROTO_IPV6);
    CHECK_EQ(sob_option_name(SOB_IPV6_V6ONLY), IPV6_V6ONLY);
    CHECK_EQ(sob_option_name(SOB_SO_REUSEPORT), SO_REUSEPORT);
    CHECK_EQ(sob_option_max(SOB_TCP_KEEPIDLE), 32767);
    CHECK_EQ(sob_option_max(SOB_TCP_KEEPCNT), 127);
    CHECK_EQ(sob_option_level(SOB_TCP_USER_TIMEOUT), IPPROTO_TCP);
    CHECK_EQ(sob_option_name(SOB_TCP_USER_TIMEOUT), TCP_USER_TIMEOUT);
    CHECK_EQ(sob_option_min(SOB_TCP_USER_TIMEOUT), 0);
    CHECK_EQ(sob_option_max(SOB_TCP_USER_TIMEOUT), INT_MAX);
#else
    CHECK_EQ(sob_option_level(SOB_TCP_USER_TIMEOUT), -1); /* Linux only (options.c says why) */
#endif
    CHECK_EQ(sob_option_level(SOB_OPTION_COUNT), -1);
    CHECK_EQ(sob_option_level(-1), -1);
}

static void keepalive_timer_round_trips_and_turns_keepalive_on(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(fd >= 0);
    CHECK_EQ(get(fd, SOB_SO_KEEPALIVE), 0);
    CHECK_EQ(sob_set_int(fd, SOB_TCP_KEEPIDLE, 42), 0);
    CHECK_EQ(get(fd, SOB_TCP_KEEPIDLE), 42);
    CHECK(get(fd, SOB_SO_KEEPALIVE) != 0);
    CHECK_EQ(sob_set_int(fd, SOB_TCP_KEEPINTVL, 7), 0);
    CHECK_EQ(get(fd, SOB_TCP_KEEPINTVL), 7);
    CHECK_EQ(sob_set_int(fd, SOB_TCP_KEEPCNT, 3), 0);
    CHECK_EQ(get(fd, SOB_TCP_KEEPCNT), 3);
    /* What the kernel holds, read with a plain getsockopt that bypasses the shim. */
    int raw = 0;
    socklen_t len = sizeof raw;
    CHECK_EQ(getsockopt(fd, sob_option_level(SOB_TCP_KEEPIDLE), sob_option_name(SOB_TCP_KEEPIDLE), &raw, &len), 0);
    CHECK_EQ(raw, 42);
    close(fd);
}

/* Milliseconds, 0 meaning off; unlike the keep-alive timers it acts without SO_KEEPALIVE, so the
 * shim leaves that alone. Elsewhere than Linux the option is not compiled and refused unsent. */
static void user_timeout_round_trips_in_milliseconds_and_leaves_keepalive_off(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(fd >= 0);
#if defined(__linux__)
    CHECK_EQ(get(fd, SOB_TCP_USER_TIMEOUT), 0);
    CHECK_EQ(sob_set_int(fd, SOB_TCP_USER_TIMEOUT, 2500), 0);
    int raw = 0;
    socklen_t len = sizeof raw;
    CHECK_EQ(getsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &raw, &len), 0);
    CHECK_EQ(raw, 2500);
    CHECK_EQ(get(fd, SOB_SO_KEEPALIVE), 0);
    CHECK_EQ(sob_set_int(fd, SOB_TCP_USER_TIMEOUT, -1), -EINVAL);
    CHECK_EQ(get(fd, SOB_TCP_USER_TIMEOUT), 2500);
    CHECK_EQ(sob_set_int(fd, SOB_TCP_USER_TIMEOUT, 0), 0);
    CHECK_EQ(get(fd, SOB_TCP_USER_TIMEOUT), 0);
#else
    CHECK_EQ(sob_set_int(fd, SOB_TCP_USER_TIMEOUT, 2500), -ENOPROTOOPT);
    CHECK_EQ(sob_capability(SOB_TCP_USER_TIMEOUT) & 0xff, SOB_NOT_COMPILED);
#endif
    close(fd);
}

static void out_of_range_values_are_refused_before_the_kernel(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int before = get(fd, SOB_TCP_KEEPIDLE);
    CHECK_EQ(sob_set_int(fd, SOB_TCP_KEEPIDLE, 0), -EINVAL);
    CHECK_EQ(sob_set_int(fd, SOB_TCP_KEEPIDLE, sob_option_max(SOB_TCP_KEEPIDLE) + 1), -EINVAL);
    CHECK_EQ(sob_set_int(fd, SOB_SO_RCVBUF, -1), -EINVAL);
    CHECK_EQ(get(fd, SOB_TCP_KEEPIDLE), before);
    CHECK_EQ(get(fd, SOB_SO_KEEPALIVE), 0);
    close(fd);
}

static void tcp_option_on_udp_socket_fails_and_changes_nothing(void) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(sob_set_int(fd, SOB_TCP_KEEPIDLE, 30) < 0);
    CHECK_EQ(get(fd, SOB_SO_KEEPALIVE), 0);
    close(fd);
}

static void batch_is_all_or_nothing(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int idle_before = get(fd, SOB_TCP_KEEPIDLE);
    /* IPV6_V6ONLY on an IPv4 socket fails in the kernel after KEEPIDLE was already applied. */
    int ids[] = {SOB_TCP_KEEPIDLE, SOB_IPV6_V6ONLY};
    int values[] = {99, 1};
    int rc = sob_set_batch(fd, ids, values, 2);
    CHECK(rc < 0);
    CHECK_EQ((-rc) / 65536, 1);
    CHECK((-rc) % 65536 != 0);
    CHECK_EQ(get(fd, SOB_TCP_KEEPIDLE), idle_before);
    CHECK_EQ(get(fd, SOB_SO_KEEPALIVE), 0);

    int good_ids[] = {SOB_TCP_KEEPIDLE, SOB_TCP_KEEPINTVL, SOB_TCP_KEEPCNT, SOB_SO_RCVBUF};
    int good_values[] = {60, 5, 4, 65536};
    CHECK_EQ(sob_set_batch(fd, good_ids, good_values, 4), 0);
    CHECK_EQ(get(fd, SOB_TCP_KEEPIDLE), 60);
    CHECK_EQ(get(fd, SOB_TCP_KEEPINTVL), 5);
    CHECK_EQ(get(fd, SOB_TCP_KEEPCNT), 4);
    CHECK(get(fd, SOB_SO_KEEPALIVE) != 0);
    CHECK(get(fd, SOB_SO_RCVBUF) >= 65536);
    close(fd);
}

static void batch_restores_buffer_sizes_it_already_changed(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int sndbuf_before = get(fd, SOB_SO_SNDBUF);
    int ids[] = {SOB_SO_SNDBUF, SOB_TCP_KEEPIDLE};
    int values[] = {sndbuf_before * 2, 0}; /* the second is out of range */
    int rc = sob_set_batch(fd, ids, values, 2);
    CHECK_EQ(rc, -(1 * 65536 + EINVAL));
    CHECK_EQ(get(fd, SOB_SO_SNDBUF), sndbuf_before);
    close(fd);
}

static void socket_kind_tells_family_type_and_binding(void) {
    int tcp4 = socket(AF_INET, SOCK_STREAM, 0);
    CHECK_EQ(sob_socket_kind(tcp4), (0 << 24) | (4 << 8) | 1);
    struct sockaddr_in any = {0};
    any.sin_family = AF_INET;
    any.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK_EQ(bind(tcp4, (struct sockaddr *)&any, sizeof any), 0);
    CHECK_EQ(sob_socket_kind(tcp4), (1 << 24) | (4 << 8) | 1);
    close(tcp4);
    int udp4 = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK_EQ(sob_socket_kind(udp4), (4 << 8) | 2);
    close(udp4);
    int file = open("/dev/null", O_RDONLY);
    CHECK_EQ(sob_socket_kind(file), -ENOTSOCK);
    CHECK_EQ(sob_set_int(file, SOB_SO_RCVBUF, 4096), -ENOTSOCK);
    close(file);
    CHECK_EQ(sob_socket_kind(-1), -EBADF);
    CHECK_EQ(sob_get_int(-1, SOB_SO_RCVBUF), -EBADF);
}

static void unix_sockets_are_bound_once_named_and_raw_sockets_never(void) {
    int unix_stream = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_EQ(sob_socket_kind(unix_stream), (SOB_FAMILY_UNIX << 8) | SOB_TYPE_STREAM);
#if defined(__linux__)
    /* An abstract name (leading NUL): bound, and leaves no file behind. */
    struct sockaddr_un name = {0};
    name.sun_family = AF_UNIX;
    snprintf(name.sun_path + 1, sizeof name.sun_path - 1, "sob-test-%d", (int)getpid());
    socklen_t length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name.sun_path + 1));
    CHECK_EQ(bind(unix_stream, (struct sockaddr *)&name, length), 0);
    CHECK_EQ(sob_socket_kind(unix_stream), (1 << 24) | (SOB_FAMILY_UNIX << 8) | SOB_TYPE_STREAM);
#endif
    close(unix_stream);
    /* A raw socket's sin_port is its protocol number (Linux inet_getname), not a binding. */
    int raw = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    if (raw < 0) {
        printf("  skipped the raw-socket part: %s (needs CAP_NET_RAW)\n", strerror(errno));
        return;
    }
    CHECK_EQ(sob_socket_kind(raw), (SOB_FAMILY_INET << 8) | SOB_TYPE_OTHER);
    close(raw);
}

static void file_kinds_and_errno_names_come_from_this_platform(void) {
    int pipe_fds[2];
    CHECK_EQ(pipe(pipe_fds), 0);
    CHECK_EQ(sob_file_kind(pipe_fds[0]), SOB_FILE_FIFO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    int dev_null = open("/dev/null", O_RDONLY);
    CHECK_EQ(sob_file_kind(dev_null), SOB_FILE_CHAR_DEVICE);
    close(dev_null);
    int directory = open("/", O_RDONLY);
    CHECK_EQ(sob_file_kind(directory), SOB_FILE_DIRECTORY);
    close(directory);
    int tcp = socket(AF_INET, SOCK_STREAM, 0);
    CHECK_EQ(sob_file_kind(tcp), SOB_FILE_SOCKET);
    close(tcp);
    CHECK_EQ(sob_file_kind(-1), -EBADF);

    CHECK(strcmp(sob_errno_name(ENOPROTOOPT), "ENOPROTOOPT") == 0);
    CHECK(strcmp(sob_errno_name(EBADF), "EBADF") == 0);
    CHECK(strcmp(sob_errno_name(EOPNOTSUPP), "EOPNOTSUPP") == 0); /* not ENOTSUP, where they are equal */
    CHECK(sob_errno_name(-5) == NULL);
    CHECK_EQ(sob_errno_value("EINVAL"), EINVAL);
    CHECK_EQ(sob_errno_value("ENOTSUP"), ENOTSUP);
    CHECK_EQ(sob_errno_value("ENOSUCHERRNO"), -1);
    CHECK_EQ(sob_errno_value(NULL), -1);
}

static void v6only_is_settable_before_bind_only(void) {
    if (sob_ipv6_available() < 0) {
        printf("SKIP v6only: no IPv6 on this host (errno %d)\n", -sob_ipv6_available());
        return;
    }
    int fd = socket(AF_INET6, SOCK_STREAM, 0);
    CHECK_EQ(sob_set_int(fd, SOB_IPV6_V6ONLY, 1), 0);
    CHECK_EQ(get(fd, SOB_IPV6_V6ONLY), 1);
    struct sockaddr_in6 any = {0};
    any.sin6_family = AF_INET6;
    any.sin6_addr = in6addr_any;
    CHECK_EQ(bind(fd, (struct sockaddr *)&any, sizeof any), 0);
    CHECK_EQ(get(fd, SOB_IPV6_V6ONLY), 1);
#if defined(__linux__)
    /* net/ipv6/ipv6_sockglue.c: EINVAL once inet_num (the local port) is set. */
    CHECK_EQ(sob_set_int(fd, SOB_IPV6_V6ONLY, 0), -EINVAL);
#endif
    close(fd);
}

static void capabilities_are_reported_for_every_option(void) {
    for (int id = 0; id < SOB_OPTION_COUNT; id++) {
        int cap = sob_capability(id);
        int status = cap & 0xff;
        CHECK(status >= SOB_SUPPORTED && status <= SOB_NO_IPV6);
#if defined(__linux__)
        if (id != SOB_IPV6_V6ONLY) {
            CHECK_EQ(status, SOB_SUPPORTED);
        }
#endif
    }
#if defined(__linux__)
    CHECK(sob_default_value(SOB_TCP_KEEPIDLE) >= 1);
    CHECK_EQ(sob_default_value(SOB_SO_REUSEPORT), 0);
    CHECK_EQ(sob_default_value(SOB_SO_KEEPALIVE), 0);
    CHECK_EQ(sob_default_value(SOB_TCP_USER_TIMEOUT), 0);
#endif
    int v6 = sob_capability(SOB_IPV6_V6ONLY) & 0xff;
    CHECK_EQ(v6, sob_ipv6_available() > 0 ? SOB_SUPPORTED : SOB_NO_IPV6);
}

#if defined(__linux__)
/* A TCP socket bound to 127.0.0.1 on a port the kernel picks; *addr gets that address. */
static int bound_loopback_tcp_socket(struct sockaddr_in *addr) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(fd >= 0);
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK_EQ(bind(fd, (struct sockaddr *)addr, sizeof *addr), 0);
    socklen_t len = sizeof *addr;
    CHECK_EQ(getsockname(fd, (struct sockaddr *)addr, &len), 0);
    return fd;
}
#endif

static void listen_queue_reports_length_and_limit(void) {
#if defined(__linux__)
    struct sockaddr_in addr;
    int listener = bound_loopback_tcp_socket(&addr);
    /* qemu-user (7.2) answers TCP_INFO with 4 of its bytes (issue 11): there the shim must say
     * "cannot tell" (EOPNOTSUPP) rather than report a queue from fields never written. The
     * kernel's own answer covers the whole struct, so a short one here means emulation. */
    struct tcp_info info;
    socklen_t info_len = sizeof info;
    CHECK_EQ(getsockopt(listener, IPPROTO_TCP, TCP_INFO, &info, &info_len), 0);
    if (info_len < offsetof(struct tcp_info, tcpi_sacked) + sizeof info.tcpi_sacked) {
        printf("NOTE getsockopt(TCP_INFO) returned %u bytes (an emulator?): the accept queue must read as unavailable\n",
               (unsigned)info_len);
        CHECK_EQ(sob_listen_queue(listener), -EOPNOTSUPP);
        CHECK_EQ(listen(listener, 5), 0);
        CHECK_EQ(sob_listen_queue(listener), -EOPNOTSUPP);
        close(listener);
        return;
    }
    CHECK_EQ(sob_listen_queue(listener), -EINVAL); /* bound, not listening yet */
    CHECK_EQ(listen(listener, 5), 0);
    int64_t empty = sob_listen_queue(listener);
    CHECK_EQ(empty & 0xffffffff, 0);
    CHECK_EQ(empty >> 32, 5);
    int client = socket(AF_INET, SOCK_STREAM, 0);
    CHECK_EQ(connect(client, (struct sockaddr *)&addr, sizeof addr), 0);
    CHECK_EQ(sob_listen_queue(listener) & 0xffffffff, 1); /* loopback handshake completes in connect */
    close(client);
    close(listener);
#endif
}

/* The host limits are what the kernel holds, read afresh, or an errno: never a made-up number.
 * On Linux they are compared with a second reader (stdio on the /proc/sys path spelled out here)
 * and the accept-queue cap with what listen() really does with a larger backlog. */
static void host_limits_are_the_kernels_values_or_an_errno(void) {
    CHECK_EQ(sob_host_limit(-1), -EINVAL);
    CHECK_EQ(sob_host_limit(SOB_HOST_LIMIT_COUNT), -EINVAL);
    CHECK(sob_host_limit_setting(-1) == NULL);
    CHECK(sob_host_limit_setting(SOB_HOST_LIMIT_COUNT) == NULL);
    for (int id = 0; id < SOB_HOST_LIMIT_COUNT; id++) {
        int64_t value = sob_host_limit(id);
        /* No setting named here means "not available on this OS", and nothing else does. */
        CHECK((sob_host_limit_setting(id) == NULL) == (value == -EOPNOTSUPP));
    }
#if defined(__linux__)
    static const char *const paths[SOB_HOST_LIMIT_COUNT] = {
        [SOB_LIMIT_ACCEPT_QUEUE_MAX] = "/proc/sys/net/core/somaxconn",
        [SOB_LIMIT_RECEIVE_BUFFER_MAX] = "/proc/sys/net/core/rmem_max",
        [SOB_LIMIT_SEND_BUFFER_MAX] = "/proc/sys/net/core/wmem_max",
    };
    static const char *const names[SOB_HOST_LIMIT_COUNT] = {
        [SOB_LIMIT_ACCEPT_QUEUE_MAX] = "net.core.somaxconn",
        [SOB_LIMIT_RECEIVE_BUFFER_MAX] = "net.core.rmem_max",
        [SOB_LIMIT_SEND_BUFFER_MAX] = "net.core.wmem_max",
    };
    for (int id = 0; id < SOB_HOST_LIMIT_COUNT; id++) {
        CHECK(sob_host_limit_setting(id) != NULL && strcmp(sob_host_limit_setting(id), names[id]) == 0);
        long long expected = -1;
        FILE *file = fopen(paths[id], "r");
        if (file == NULL) {
            int err = errno;
            CHECK_EQ(sob_host_limit(id), -err);
            continue;
        }
        CHECK_EQ(fscanf(file, "%lld", &expected), 1);
        fclose(file);
        CHECK_EQ(sob_host_limit(id), expected);
    }
    /* The cap is the one listen() applies: a backlog far above it is cut to exactly it
     * (net/socket.c __sys_listen), as TCP_INFO reads back from the listener. */
    int64_t somaxconn = sob_host_limit(SOB_LIMIT_ACCEPT_QUEUE_MAX);
    struct sockaddr_in addr;
    int listener = bound_loopback_tcp_socket(&addr);
    if (somaxconn > 0 && somaxconn < 1000000) {
        CHECK_EQ(listen(listener, (int)somaxconn + 1000), 0);
        int64_t queue = sob_listen_queue(listener);
        if (queue == -EOPNOTSUPP) {
            printf("NOTE no TCP_INFO queue here (an emulator?): the cap is compared with /proc/sys only\n");
        } else {
            CHECK_EQ(queue >> 32, somaxconn);
        }
    }
    close(listener);
#endif
}

static void tcp_info_tells_a_connections_state_and_counters(void) {
#if defined(__linux__)
    struct sockaddr_in addr;
    int listener = bound_loopback_tcp_socket(&addr);
    CHECK_EQ(listen(listener, 5), 0);
    int client = socket(AF_INET, SOCK_STREAM, 0);
    CHECK_EQ(connect(client, (struct sockaddr *)&addr, sizeof addr), 0);
    int server = accept(listener, NULL, NULL);
    CHECK(server >= 0);

    struct tcp_info raw;
    socklen_t raw_len = sizeof raw;
    CHECK_EQ(getsockopt(client, IPPROTO_TCP, TCP_INFO, &raw, &raw_len), 0);
    uint32_t info[SOB_TCPI_FIELDS];
    if (raw_len < offsetof(struct tcp_info, tcpi_total_retrans) + sizeof raw.tcpi_total_retrans) {
        printf("NOTE getsockopt(TCP_INFO) returned %u bytes (an emulator?): the counters must read as unavailable\n",
               (unsigned)raw_len);
        CHECK_EQ(sob_tcp_info(client, info, SOB_TCPI_FIELDS), -EOPNOTSUPP);
    } else {
        memset(info, 0xff, sizeof info);
        CHECK_EQ(sob_tcp_info(client, info, SOB_TCPI_FIELDS), 0);
        CHECK_EQ(info[SOB_TCPI_STATE], TCP_ESTABLISHED);
        CHECK_EQ(info[SOB_TCPI_RETRANSMITS], 0);
        CHECK_EQ(info[SOB_TCPI_PROBES], 0);
        CHECK_EQ(info[SOB_TCPI_UNACKED], 0);
        CHECK_EQ(info[SOB_TCPI_TOTAL_RETRANS], 0);
        /* The peer's FIN: this side is CLOSE_WAIT, the state a read of -1 comes from. */
        close(server);
        char byte;
        CHECK_EQ(read(client, &byte, 1), 0);
        CHECK_EQ(sob_tcp_info(client, info, SOB_TCPI_FIELDS), 0);
        CHECK_EQ(info[SOB_TCPI_STATE], TCP_CLOSE_WAIT);
        CHECK_EQ(sob_tcp_info(listener, info, SOB_TCPI_FIELDS), 0);
        CHECK_EQ(info[SOB_TCPI_STATE], TCP_LISTEN);
        server = -1;
    }
    CHECK_EQ(sob_tcp_info(client, info, SOB_TCPI_FIELDS - 1), -EINVAL);
    CHECK_EQ(sob_tcp_info(client, NULL, SOB_TCPI_FIELDS), -EINVAL);
    int udp = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(sob_tcp_info(udp, info, SOB_TCPI_FIELDS) < 0); /* the kernel's ENOPROTOOPT: not TCP */
    close(udp);
    if (server >= 0) {
        close(server);
    }
    close(client);
    close(listener);
    CHECK_EQ(sob_tcp_info(client, info, SOB_TCPI_FIELDS), -EBADF);
#else
    uint32_t info[SOB_TCPI_FIELDS];
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK_EQ(sob_tcp_info(fd, info, SOB_TCPI_FIELDS), -EOPNOTSUPP);
    close(fd);
#endif
}

int main(void) {
    RUN(table_uses_the_platform_constants);
    RUN(keepalive_timer_round_trips_and_turns_keepalive_on);
    RUN(user_timeout_round_trips_in_milliseconds_and_leaves_keepalive_off);
    RUN(out_of_range_values_are_refused_before_the_kernel);
    RUN(tcp_option_on_udp_socket_fails_and_changes_nothing);
    RUN(batch_is_all_or_nothing);
    RUN(batch_restores_buffer_sizes_it_already_changed);
    RUN(socket_kind_tells_family_type_and_binding);
    RUN(unix_sockets_are_bound_once_named_and_raw_sockets_never);
    RUN(file_kinds_and_errno_names_come_from_this_platform);
    RUN(v6only_is_settable_before_bind_only);
    RUN(capabilities_are_reported_for_every_option);
    RUN(listen_queue_reports_length_and_limit);
    RUN(host_limits_are_the_kernels_values_or_an_errno);
    RUN(tcp_info_tells_a_connections_state_and_counters);
    return check_summary();
}
