/*
 * Host-wide limits that decide what listen() and the buffer options really get: the one place
 * that knows, per OS, which setting holds each limit and how to read it. A value is read fresh on
 * every call (settings change at run time, and on Linux they belong to the calling thread's
 * network namespace), and is either the kernel's number or -errno: never 0 or a default standing
 * in for "could not read".
 *
 * Linux: /proc/sys (net/core/sysctl_net_core.c registers somaxconn, rmem_max, wmem_max per
 *   network namespace). Read here rather than in Java so that both backends ask one question
 *   ("the accept-queue cap") and the table below is the only place that maps it to a setting.
 * macOS: sysctlbyname. kern.ipc.somaxconn is an int (bsd/kern/uipc_socket.c, SYSCTL_INT
 *   somaxconn); kern.ipc.maxsockbuf a u_int32_t (bsd/kern/uipc_socket2.c, sysctl_sb_max).
 * FreeBSD: sysctlbyname. kern.ipc.soacceptqueue is the current name of the accept-queue cap;
 *   kern.ipc.somaxconn is the same value under its old name, kept for compatibility and hidden
 *   from listings (sys/kern/uipc_socket.c: both SYSCTL_PROCs share sysctl_somaxconn, the old one
 *   with CTLFLAG_SKIP). kern.ipc.maxsockbuf is a u_long, 8 bytes on 64-bit
 *   (sys/kern/uipc_sockbuf.c, sysctl_handle_sb_max).
 * NetBSD: kern.sbmax (sys/kern/uipc_socket.c, sysctl_kern_sbmax); no accept-queue cap setting
 *   is known (Go's net package, net/sock_bsd.go, reads none there either). Not built here.
 * OpenBSD: no sysctlbyname; kern.somaxconn is the MIB {CTL_KERN, KERN_SOMAXCONN}
 *   (sys/kern/kern_sysctl.c, kern_sysctl). No buffer-cap setting is known. Not built here.
 * Everything else (DragonFly, illumos, ...): not checked, so nothing is named or read.
 *
 * Only the Linux and macOS branches are compiled by this project; the BSD ones wait for a
 * toolchain (no FreeBSD, NetBSD or OpenBSD headers are reachable on the build host).
 */
#include "sockopt_bridge.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__linux__)
#include <fcntl.h>
#include <unistd.h>
#elif defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__)
#include <sys/types.h>
#include <sys/sysctl.h>
#endif

static const char *const SETTINGS[SOB_HOST_LIMIT_COUNT] = {
#if defined(__linux__)
    [SOB_LIMIT_ACCEPT_QUEUE_MAX] = "net.core.somaxconn",
    [SOB_LIMIT_RECEIVE_BUFFER_MAX] = "net.core.rmem_max",
    [SOB_LIMIT_SEND_BUFFER_MAX] = "net.core.wmem_max",
#elif defined(__APPLE__)
    [SOB_LIMIT_ACCEPT_QUEUE_MAX] = "kern.ipc.somaxconn",
    [SOB_LIMIT_RECEIVE_BUFFER_MAX] = "kern.ipc.maxsockbuf",
    [SOB_LIMIT_SEND_BUFFER_MAX] = "kern.ipc.maxsockbuf",
#elif defined(__FreeBSD__)
    [SOB_LIMIT_ACCEPT_QUEUE_MAX] = "kern.ipc.soacceptqueue",
    [SOB_LIMIT_RECEIVE_BUFFER_MAX] = "kern.ipc.maxsockbuf",
    [SOB_LIMIT_SEND_BUFFER_MAX] = "kern.ipc.maxsockbuf",
#elif defined(__NetBSD__)
    [SOB_LIMIT_RECEIVE_BUFFER_MAX] = "kern.sbmax",
    [SOB_LIMIT_SEND_BUFFER_MAX] = "kern.sbmax",
#elif defined(__OpenBSD__)
    [SOB_LIMIT_ACCEPT_QUEUE_MAX] = "kern.somaxconn",
#endif
};

#if defined(__linux__)
/* A decimal number as procfs writes it ("4096\n"): -EINVAL for anything else, -ERANGE past
 * INT64_MAX. Parsed by hand: no locale, no errno juggling around strtoll. */
static int64_t parse_decimal(const char *text) {
    while (*text == ' ' || *text == '\t') {
        text++;
    }
    if (*text < '0' || *text > '9') {
        return -EINVAL;
    }
    int64_t value = 0;
    for (; *text >= '0' && *text <= '9'; text++) {
        int digit = *text - '0';
        if (value > (INT64_MAX - digit) / 10) {
            return -ERANGE;
        }
        value = value * 10 + digit;
    }
    return (*text == '\0' || *text == '\n' || *text == ' ' || *text == '\t') ? value : -EINVAL;
}

/* /proc/sys/<setting, dots as slashes>, opened by this thread: procfs answers for the network
 * namespace of the thread that opens the file (net/sysctl_net.c, net_ctl_header_lookup uses
 * current->nsproxy->net_ns). */
static int64_t read_setting(int limit_id, const char *setting) {
    (void)limit_id;
    static const char prefix[] = "/proc/sys/";
    char path[96];
    size_t length = strlen(setting);
    if (sizeof prefix + length > sizeof path) {
        return -ENAMETOOLONG;
    }
    memcpy(path, prefix, sizeof prefix - 1);
    for (size_t i = 0; i <= length; i++) { /* including the terminating NUL */
        path[sizeof prefix - 1 + i] = setting[i] == '.' ? '/' : setting[i];
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -errno;
    }
    char text[32];
    size_t used = 0;
    while (used < sizeof text - 1) {
        ssize_t n = read(fd, text + used, sizeof text - 1 - used);
        if (n == 0) {
            break;
        }
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            int err = errno;
            close(fd);
            return -err;
        }
        used += (size_t)n;
    }
    close(fd);
    text[used] = '\0';
    /* A value that filled the buffer without ending cannot be trusted to be whole. */
    return used == sizeof text - 1 ? -ERANGE : parse_decimal(text);
}
#elif defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__)
/* The kernel writes an int, u_int32_t or u_long and says how many bytes in the length: room for
 * 8 covers all of them, and the length tells which one came back. */
static int64_t read_setting(int limit_id, const char *setting) {
    (void)limit_id;
    union {
        uint32_t u32;
        uint64_t u64;
    } value;
    memset(&value, 0, sizeof value);
    size_t length = sizeof value;
    if (sysctlbyname(setting, &value, &length, NULL, 0) != 0) {
        return -errno;
    }
    if (length == sizeof value.u32) {
        return (int64_t)value.u32;
    }
    if (length == sizeof value.u64) {
        return value.u64 > (uint64_t)INT64_MAX ? -ERANGE : (int64_t)value.u64;
    }
    return -ERANGE; /* not an integer of a size the shim knows */
}
#elif defined(__OpenBSD__)
static int64_t read_setting(int limit_id, const char *setting) {
    (void)setting;
    if (limit_id != SOB_LIMIT_ACCEPT_QUEUE_MAX) {
        return -EOPNOTSUPP;
    }
    int mib[2] = {CTL_KERN, KERN_SOMAXCONN};
    int value = 0;
    size_t length = sizeof value;
    if (sysctl(mib, 2, &value, &length, NULL, 0) != 0) {
        return -errno;
    }
    return value < 0 ? -ERANGE : value;
}
#else
static int64_t read_setting(int limit_id, const char *setting) {
    (void)limit_id;
    (void)setting;
    return -EOPNOTSUPP;
}
#endif

const char *sob_host_limit_setting(int limit_id) {
    if (limit_id < 0 || limit_id >= SOB_HOST_LIMIT_COUNT) {
        return NULL;
    }
    return SETTINGS[limit_id];
}

int64_t sob_host_limit(int limit_id) {
    if (limit_id < 0 || limit_id >= SOB_HOST_LIMIT_COUNT) {
        return -EINVAL;
    }
    const char *setting = SETTINGS[limit_id];
    if (setting == NULL) {
        return -EOPNOTSUPP;
    }
    return read_setting(limit_id, setting);
}
