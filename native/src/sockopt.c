/*
 * Raw get/set of the table's options, the all-or-nothing batch, the socket-kind query used for
 * error messages, and the capability probe.
 */
#include "options_table.h"

#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

int sob_abi_version(void) { return SOB_ABI_VERSION; }

int sob_option_count(void) { return SOB_OPTION_COUNT; }

int sob_option_level(int option_id) {
    const struct sob_option_entry *e = sob_entry(option_id);
    return e ? e->level : -1;
}

int sob_option_name(int option_id) {
    const struct sob_option_entry *e = sob_entry(option_id);
    return e ? e->name : -1;
}

const char *sob_option_symbol(int option_id) {
    const struct sob_option_entry *e = sob_entry(option_id);
    return e ? e->symbol : "";
}

int sob_option_min(int option_id) {
    const struct sob_option_entry *e = sob_entry(option_id);
    return e ? e->min : 0;
}

int sob_option_max(int option_id) {
    const struct sob_option_entry *e = sob_entry(option_id);
    return e ? e->max : 0;
}

static int raw_set(int fd, const struct sob_option_entry *e, int value) {
    if (setsockopt(fd, e->level, e->name, &value, sizeof value) != 0) {
        return -errno;
    }
    return 0;
}

static int raw_get(int fd, const struct sob_option_entry *e, int *value) {
    socklen_t len = sizeof *value;
    *value = 0;
    if (getsockopt(fd, e->level, e->name, value, &len) != 0) {
        return -errno;
    }
    return 0;
}

static const struct sob_option_entry *usable_entry(int option_id) {
    const struct sob_option_entry *e = sob_entry(option_id);
    return (e && e->compiled) ? e : 0;
}

int sob_set_int(int fd, int option_id, int value) {
    const struct sob_option_entry *e = usable_entry(option_id);
    if (!e) {
        return -ENOPROTOOPT;
    }
    if (value < e->min || value > e->max) {
        return -EINVAL;
    }
    int rc = raw_set(fd, e, value);
    if (rc == 0 && sob_is_keepalive_timer(option_id)) {
        rc = raw_set(fd, sob_entry(SOB_SO_KEEPALIVE), 1);
    }
    return rc;
}

int64_t sob_get_int(int fd, int option_id) {
    const struct sob_option_entry *e = usable_entry(option_id);
    if (!e) {
        return -ENOPROTOOPT;
    }
    int value;
    int rc = raw_get(fd, e, &value);
    if (rc != 0) {
        return rc;
    }
    return (int64_t)(uint32_t)value;
}

struct undo_record {
    const struct sob_option_entry *entry;
    int option_id;
    int old_value;
};

static void roll_back(int fd, const struct undo_record *undo, int applied) {
    for (int i = applied - 1; i >= 0; i--) {
        int value = undo[i].old_value;
        if (undo[i].option_id == SOB_SO_RCVBUF || undo[i].option_id == SOB_SO_SNDBUF) {
            value /= sob_buffer_readback_factor();
        }
        (void)raw_set(fd, undo[i].entry, value);
    }
}

/* Reads the old value, then sets the new one; records the old value for roll_back. */
static int set_recording(int fd, int option_id, int value, struct undo_record *undo, int *applied) {
    const struct sob_option_entry *e = usable_entry(option_id);
    if (!e) {
        return -ENOPROTOOPT;
    }
    if (value < e->min || value > e->max) {
        return -EINVAL;
    }
    int old_value;
    int rc = raw_get(fd, e, &old_value);
    if (rc != 0) {
        /* One mistake, one error: report what setsockopt says, as sob_set_int does. They differ:
         * Linux answers a TCP option on a UDP socket with EOPNOTSUPP from getsockopt but
         * ENOPROTOOPT from setsockopt (net/ipv4/udp.c passes SOL_TCP to ip_setsockopt, which
         * refuses the level, while ip_getsockopt's caller reports EOPNOTSUPP). Every option of
         * the table reads wherever it sets, so a set that succeeds here (and could not be
         * restored) is not expected; should a platform do it, the get's error is reported. */
        int set_rc = raw_set(fd, e, value);
        return set_rc != 0 ? set_rc : rc;
    }
    rc = raw_set(fd, e, value);
    if (rc != 0) {
        return rc;
    }
    undo[*applied].entry = e;
    undo[*applied].option_id = option_id;
    undo[*applied].old_value = old_value;
    (*applied)++;
    return 0;
}

/* The last change of a batch takes no snapshot: if it fails, nothing of it was applied; if it
 * succeeds, nothing after it can fail. One getsockopt less per batch. */
static int set_last(int fd, int option_id, int value) {
    const struct sob_option_entry *e = usable_entry(option_id);
    if (!e) {
        return -ENOPROTOOPT;
    }
    if (value < e->min || value > e->max) {
        return -EINVAL;
    }
    return raw_set(fd, e, value);
}

static int batch_failure(int index, int rc) {
    return -(index * SOB_BATCH_INDEX_UNIT + (-rc));
}

int sob_set_batch(int fd, const int *option_ids, const int *values, int count) {
    if (count < 0 || count > SOB_BATCH_MAX || (count > 0 && (!option_ids || !values))) {
        return batch_failure(0, -EINVAL);
    }
    struct undo_record undo[SOB_BATCH_MAX + 1];
    int applied = 0;
    int wants_keepalive = 0;
    int sets_keepalive = 0;
    for (int i = 0; i < count; i++) {
        wants_keepalive |= sob_is_keepalive_timer(option_ids[i]);
        sets_keepalive |= option_ids[i] == SOB_SO_KEEPALIVE;
    }
    /* Keep-alive timers act only with SO_KEEPALIVE on: it goes last unless the batch sets it. */
    int keepalive_tail = wants_keepalive && !sets_keepalive;
    for (int i = 0; i < count; i++) {
        int rc = i == count - 1 && !keepalive_tail ? set_last(fd, option_ids[i], values[i])
                                                   : set_recording(fd, option_ids[i], values[i], undo, &applied);
        if (rc != 0) {
            roll_back(fd, undo, applied);
            return batch_failure(i, rc);
        }
    }
    if (keepalive_tail) {
        int rc = set_last(fd, SOB_SO_KEEPALIVE, 1);
        if (rc != 0) {
            roll_back(fd, undo, applied);
            return batch_failure(count, rc);
        }
    }
    return 0;
}

int sob_socket_kind(int fd) {
    int type;
    socklen_t len = sizeof type;
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0) {
        return -errno;
    }
    struct sockaddr_storage local;
    socklen_t local_len = sizeof local;
    memset(&local, 0, sizeof local);
    if (getsockname(fd, (struct sockaddr *)&local, &local_len) != 0) {
        return -errno;
    }
    int family = 0;
    int bound = 0;
    int portable_type = type == SOCK_STREAM ? SOB_TYPE_STREAM : type == SOCK_DGRAM ? SOB_TYPE_DGRAM : SOB_TYPE_OTHER;
    /* For TCP and UDP a local port means bound; a raw socket's "port" field holds its protocol
     * (Linux inet_getname), so raw sockets are never reported as bound. */
    int has_ports = portable_type != SOB_TYPE_OTHER;
    switch (local.ss_family) {
    case AF_INET:
        family = SOB_FAMILY_INET;
        bound = has_ports && ((struct sockaddr_in *)&local)->sin_port != 0;
        break;
    case AF_INET6:
        family = SOB_FAMILY_INET6;
        bound = has_ports && ((struct sockaddr_in6 *)&local)->sin6_port != 0;
        break;
    case AF_UNIX:
        family = SOB_FAMILY_UNIX;
        /* An unbound Unix socket's name is the family alone; a bound one (path or Linux abstract
         * name) is longer (unix(7), "unnamed" sockets). */
        bound = local_len > offsetof(struct sockaddr_un, sun_path);
        break;
    default:
        break;
    }
    return (bound << 24) | (family << 8) | portable_type;
}

/* glibc 2.33 turned fstat from an inline wrapper around __fxstat into a symbol of its own
 * (fstat@GLIBC_2.33), so a call compiled against newer headers would not load on the older glibc
 * the library promises (shim_glibc_floor). On 64-bit Linux the fstat system call fills the same
 * struct stat glibc declares, so the system call is made directly there. */
static int fstat_portable(int fd, struct stat *st) {
#if defined(__GLIBC__) && defined(SYS_fstat) && (defined(__x86_64__) || defined(__aarch64__))
    return (int)syscall(SYS_fstat, fd, st);
#else
    return fstat(fd, st);
#endif
}

int sob_file_kind(int fd) {
    struct stat st;
    if (fstat_portable(fd, &st) != 0) {
        return -errno;
    }
    mode_t type = st.st_mode & S_IFMT;
    return type == S_IFREG ? SOB_FILE_REGULAR : type == S_IFDIR ? SOB_FILE_DIRECTORY
         : type == S_IFIFO ? SOB_FILE_FIFO : type == S_IFCHR ? SOB_FILE_CHAR_DEVICE
         : type == S_IFBLK ? SOB_FILE_BLOCK_DEVICE : type == S_IFLNK ? SOB_FILE_SYMLINK
         : type == S_IFSOCK ? SOB_FILE_SOCKET : SOB_FILE_OTHER;
}

/* ---- capability probe, computed once ----
 * Deliberately not pthread_once: since glibc 2.34 that symbol is versioned GLIBC_2.34 in libc,
 * and a library linked against it would not load on older distributions (bullseye: 2.31).
 * Probing is idempotent, so two threads racing on the first call both compute the same table
 * and publish it with release/acquire ordering. */

static int capabilities[SOB_OPTION_COUNT];
static int64_t defaults[SOB_OPTION_COUNT];
static int ipv6_state;
static int probed;

static int make_status(int status, int err) { return (err << 8) | status; }

static int probe_ipv6(void) {
    int fd = socket(AF_INET6, SOCK_STREAM, 0);
    if (fd < 0) {
        return -errno;
    }
    /* A kernel with IPv6 compiled in still lets AF_INET6 sockets be created when IPv6 is
     * disabled (net.ipv6.conf.*.disable_ipv6=1, Docker's default in containers); binding the
     * loopback address is what fails there, with EADDRNOTAVAIL. */
    struct sockaddr_in6 loopback;
    memset(&loopback, 0, sizeof loopback);
    loopback.sin6_family = AF_INET6;
    loopback.sin6_addr = in6addr_loopback;
    int rc = bind(fd, (struct sockaddr *)&loopback, sizeof loopback) == 0 ? 1 : -errno;
    close(fd);
    return rc;
}

static int probe_option(int option_id, int ipv6, int64_t *default_value) {
    const struct sob_option_entry *e = sob_entry(option_id);
    *default_value = -ENOPROTOOPT;
    if (!e->compiled) {
        return make_status(SOB_NOT_COMPILED, 0);
    }
    int family = AF_INET;
    if (e->kind == SOB_KIND_INET6) {
        if (ipv6 < 0) {
            *default_value = ipv6;
            return make_status(SOB_NO_IPV6, -ipv6);
        }
        family = AF_INET6;
    }
    int fd = socket(family, SOCK_STREAM, 0);
    if (fd < 0) {
        *default_value = -errno;
        return make_status(SOB_KERNEL_REJECTED, errno);
    }
    /* Accepted = the kernel both reports the option and takes its own default back. */
    int value;
    int rc = raw_get(fd, e, &value);
    *default_value = rc == 0 ? (int64_t)(uint32_t)value : rc;
    if (rc == 0) {
        rc = raw_set(fd, e, value);
    }
    close(fd);
    return rc == 0 ? make_status(SOB_SUPPORTED, 0) : make_status(SOB_KERNEL_REJECTED, -rc);
}

static void probe_once(void) {
    if (__atomic_load_n(&probed, __ATOMIC_ACQUIRE)) {
        return;
    }
    int ipv6 = probe_ipv6();
    for (int id = 0; id < SOB_OPTION_COUNT; id++) {
        int64_t default_value;
        __atomic_store_n(&capabilities[id], probe_option(id, ipv6, &default_value), __ATOMIC_RELAXED);
        __atomic_store_n(&defaults[id], default_value, __ATOMIC_RELAXED);
    }
    __atomic_store_n(&ipv6_state, ipv6, __ATOMIC_RELAXED);
    __atomic_store_n(&probed, 1, __ATOMIC_RELEASE);
}

int sob_capability(int option_id) {
    if (option_id < 0 || option_id >= SOB_OPTION_COUNT) {
        return make_status(SOB_NOT_COMPILED, 0);
    }
    probe_once();
    return __atomic_load_n(&capabilities[option_id], __ATOMIC_RELAXED);
}

int64_t sob_default_value(int option_id) {
    if (option_id < 0 || option_id >= SOB_OPTION_COUNT) {
        return -ENOPROTOOPT;
    }
    probe_once();
    return __atomic_load_n(&defaults[option_id], __ATOMIC_RELAXED);
}

int sob_ipv6_available(void) {
    probe_once();
    return __atomic_load_n(&ipv6_state, __ATOMIC_RELAXED);
}
