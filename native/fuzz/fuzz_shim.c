/*
 * Fuzz target for the shim's exported entry points (sockopt_bridge.h).
 *
 * An input is a small program: each operation is an opcode byte followed by its arguments, read
 * until the bytes run out (missing bytes read as 0). Operations open file descriptors of many
 * kinds into a table of slots, call sob_set_int / sob_get_int / sob_set_batch / sob_socket_kind /
 * sob_listen_queue / sob_tcp_info and the table lookups on them with ids and values in and out of range, and
 * check what the header promises, not only that nothing crashes:
 *   - results are 0, a value in range, or -errno with errno in 1..4095;
 *   - a batch that fails, and a set that fails, leave every readable option as it was;
 *   - a set or batch that succeeds reads back (buffer sizes excepted: the kernel clamps them);
 *   - the socket kind matches the socket the harness made; fds that are not open give EBADF;
 *   - no file descriptor is left open by the shim when the input ends.
 *
 * File descriptors: the shim is only ever handed descriptors this harness created (in its slot
 * table) or numbers that cannot be open: negative ones, numbers at or above the kernel's absolute
 * ceiling (fs/file.c: sysctl_nr_open_max, at most INT_MAX rounded down to a multiple of
 * BITS_PER_LONG, i.e. 2147483584 on 64-bit), and a number the harness itself just closed and
 * checked with fcntl. Never stdin/stdout/stderr or the fuzzer's own files. Every descriptor is
 * closed when the input ends.
 *
 * Built two ways (CMakeLists.txt): with libFuzzer (clang, -fsanitize=fuzzer) as fuzz_shim, and
 * with replay_main.c as fuzz_shim_replay, which runs the seed corpus and seeded random programs
 * with any compiler.
 */
#define _GNU_SOURCE 1
#include "options_table.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SLOTS 16
#define MAX_OPS 96
#define MAX_BATCH_ARRAY 40 /* arrays this long are really allocated; longer counts get NULL */

/* fs/file.c: sysctl_nr_open_max = min((size_t)INT_MAX, ~(size_t)0/sizeof(void *)) &
 * -BITS_PER_LONG. No descriptor can reach it, whatever the limits are set to. */
#define NEVER_OPEN_FLOOR (INT_MAX & -(int)(sizeof(long) * CHAR_BIT))

enum fd_kind {
    K_TCP4, K_TCP4_BOUND, K_TCP4_LISTEN, K_TCP4_CONNECTED, K_TCP4_LISTEN_PENDING,
    K_TCP6, K_TCP6_BOUND, K_TCP6_LISTEN, K_TCP6_CONNECTED,
    K_UDP4, K_UDP4_BOUND, K_UDP6, K_UDP6_BOUND,
    K_UNIX_STREAM_PAIR, K_UNIX_DGRAM_PAIR, K_UNIX_LISTEN,
    K_NETLINK, K_REGULAR_FILE, K_DEV_NULL, K_PIPE, K_EVENTFD, K_EPOLL,
    K_COUNT
};

/* What the harness knows about a slot's descriptor, to check sob_socket_kind against. */
struct slot {
    int fd;           /* -1: empty */
    int is_socket;
    int family;       /* the shim's portable code: 0, 1 (unix), 4, 6 */
    int type;         /* 1 stream, 2 dgram, 3 other */
    int tcp;          /* a TCP socket: TCP_INFO answers */
    int listening;
};

struct reader {
    const uint8_t *p;
    size_t left;
};

static struct slot slots[SLOTS];

static void fail(const char *what, long long a, long long b) {
    fprintf(stderr, "fuzz_shim: broken promise: %s (%lld, %lld)\n", what, a, b);
    abort(); /* a crash the fuzzer records with its input */
}

#define PROMISE(cond, a, b) do { if (!(cond)) fail(#cond, (long long)(a), (long long)(b)); } while (0)

static uint8_t u8(struct reader *r) {
    if (r->left == 0) {
        return 0;
    }
    r->left--;
    return *r->p++;
}

static int32_t i32(struct reader *r) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        v |= (uint32_t)u8(r) << (8 * i);
    }
    int32_t out;
    memcpy(&out, &v, sizeof out);
    return out;
}

/* Mostly the edges the shim must sort out, sometimes any 32-bit pattern. */
static int interesting_int(struct reader *r, int lo, int hi) {
    switch (u8(r) % 12) {
    case 0: return lo;
    case 1: return hi;
    case 2: return lo == INT_MIN ? INT_MIN : lo - 1;
    case 3: return hi == INT_MAX ? INT_MAX : hi + 1;
    case 4: return 0;
    case 5: return -1;
    case 6: return INT_MIN;
    case 7: return INT_MAX;
    case 8: return 1;
    case 9: return lo + (int)(u8(r) % 64);
    default: return i32(r);
    }
}

static int option_id(struct reader *r) {
    uint8_t b = u8(r);
    if (b < 0xc0) {
        return b % SOB_OPTION_COUNT;
    }
    return interesting_int(r, 0, SOB_OPTION_COUNT);
}

static int is_errno(long long rc) { return rc <= -1 && rc >= -4095; }

static void close_slot(int i) {
    if (slots[i].fd >= 0) {
        /* Close with a reset: an orderly close leaves the connection in TIME_WAIT for 60 s,
         * holding a loopback port, and at thousands of inputs a second the fuzzer exhausted the
         * ephemeral port range (127k TIME_WAIT entries seen), failing whatever bound a port next. */
        struct linger reset = {1, 0};
        (void)setsockopt(slots[i].fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
        close(slots[i].fd);
    }
    memset(&slots[i], 0, sizeof slots[i]);
    slots[i].fd = -1;
}

static void put(int i, int fd, int is_socket, int family, int type, int tcp, int listening) {
    close_slot(i);
    if (fd < 0) {
        return;
    }
    slots[i].fd = fd;
    slots[i].is_socket = is_socket;
    slots[i].family = family;
    slots[i].type = type;
    slots[i].tcp = tcp;
    slots[i].listening = listening;
}

static int bound_inet(int family, int type) {
    int fd = socket(family, type | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t len;
    if (family == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof *a;
    } else {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
        len = sizeof *a;
    }
    if (bind(fd, (struct sockaddr *)&ss, len) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* A connected client: listener, connect, accept. The client goes to slot i, the accepted end to
 * slot i+1, the listener too (when keep_listener) instead of the accepted end. */
static void connected(int i, int family, int keep_listener) {
    int code = family == AF_INET ? 4 : 6;
    int listener = bound_inet(family, SOCK_STREAM);
    if (listener < 0 || listen(listener, 4) != 0) {
        if (listener >= 0) {
            close(listener);
        }
        return;
    }
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int client = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (client < 0 || getsockname(listener, (struct sockaddr *)&ss, &len) != 0 ||
        connect(client, (struct sockaddr *)&ss, len) != 0) {
        if (client >= 0) {
            close(client);
        }
        close(listener);
        return;
    }
    int j = (i + 1) % SLOTS;
    put(i, client, 1, code, 1, 1, 0);
    if (keep_listener) {
        put(j, listener, 1, code, 1, 1, 1); /* with one connection waiting in its queue */
        return;
    }
    int accepted = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    close(listener);
    put(j, accepted, 1, code, 1, 1, 0);
}

static void open_kind(int i, int kind, int backlog) {
    int j = (i + 1) % SLOTS;
    int pair[2];
    int fd;
    switch (kind) {
    case K_TCP4: put(i, socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), 1, 4, 1, 1, 0); break;
    case K_TCP4_BOUND: put(i, bound_inet(AF_INET, SOCK_STREAM), 1, 4, 1, 1, 0); break;
    case K_TCP6: put(i, socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0), 1, 6, 1, 1, 0); break;
    case K_TCP6_BOUND: put(i, bound_inet(AF_INET6, SOCK_STREAM), 1, 6, 1, 1, 0); break;
    case K_TCP4_LISTEN:
    case K_TCP6_LISTEN:
        fd = bound_inet(kind == K_TCP4_LISTEN ? AF_INET : AF_INET6, SOCK_STREAM);
        if (fd >= 0 && listen(fd, backlog) != 0) {
            close(fd);
            fd = -1;
        }
        put(i, fd, 1, kind == K_TCP4_LISTEN ? 4 : 6, 1, 1, 1);
        break;
    case K_TCP4_CONNECTED: connected(i, AF_INET, 0); break;
    case K_TCP4_LISTEN_PENDING: connected(i, AF_INET, 1); break;
    case K_TCP6_CONNECTED: connected(i, AF_INET6, 0); break;
    case K_UDP4: put(i, socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), 1, 4, 2, 0, 0); break;
    case K_UDP4_BOUND: put(i, bound_inet(AF_INET, SOCK_DGRAM), 1, 4, 2, 0, 0); break;
    case K_UDP6: put(i, socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0), 1, 6, 2, 0, 0); break;
    case K_UDP6_BOUND: put(i, bound_inet(AF_INET6, SOCK_DGRAM), 1, 6, 2, 0, 0); break;
    case K_UNIX_STREAM_PAIR:
    case K_UNIX_DGRAM_PAIR: {
        int type = kind == K_UNIX_STREAM_PAIR ? SOCK_STREAM : SOCK_DGRAM;
        if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, pair) == 0) {
            put(i, pair[0], 1, 1, type == SOCK_STREAM ? 1 : 2, 0, 0);
            put(j, pair[1], 1, 1, type == SOCK_STREAM ? 1 : 2, 0, 0);
        }
        break;
    }
    case K_UNIX_LISTEN: {
        /* Autobind (net/unix/af_unix.c unix_autobind): an address of only the family gets a
         * fresh abstract name, so nothing is left in the file system. */
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_un un;
        memset(&un, 0, sizeof un);
        un.sun_family = AF_UNIX;
        if (fd >= 0 && (bind(fd, (struct sockaddr *)&un, sizeof(sa_family_t)) != 0 || listen(fd, backlog) != 0)) {
            close(fd);
            fd = -1;
        }
        put(i, fd, 1, 1, 1, 0, 1);
        break;
    }
    case K_NETLINK: put(i, socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0), 1, 0, 3, 0, 0); break;
    case K_REGULAR_FILE:
        fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600); /* unnamed: nothing to clean up */
        put(i, fd, 0, 0, 0, 0, 0);
        break;
    case K_DEV_NULL: put(i, open("/dev/null", O_RDWR | O_CLOEXEC), 0, 0, 0, 0, 0); break;
    case K_PIPE:
        if (pipe2(pair, O_CLOEXEC) == 0) {
            put(i, pair[0], 0, 0, 0, 0, 0);
            put(j, pair[1], 0, 0, 0, 0, 0);
        }
        break;
    case K_EVENTFD: put(i, eventfd(0, EFD_CLOEXEC), 0, 0, 0, 0, 0); break;
    case K_EPOLL: put(i, epoll_create1(EPOLL_CLOEXEC), 0, 0, 0, 0, 0); break;
    default: break;
    }
}

/* A descriptor to hand the shim, and whether it is one of the harness's open ones (*slot). */
static int pick_fd(struct reader *r, int *slot) {
    uint8_t b = u8(r);
    *slot = -1;
    if (b < 0xe0 && slots[b % SLOTS].fd >= 0) {
        *slot = b % SLOTS;
        return slots[*slot].fd;
    }
    switch (b % 6) {
    case 0: return -1;
    case 1: return INT_MIN;
    case 2: return INT_MAX;
    case 3: return -1 - (int)(i32(r) & INT_MAX);                   /* any negative */
    case 4: return NEVER_OPEN_FLOOR + (int)(u8(r) % (INT_MAX - NEVER_OPEN_FLOOR + 1));
    default: {
        /* A number the harness owned a moment ago: a closed fd, proved closed before use. */
        int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            return -1;
        }
        close(fd);
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) {
            return -1;
        }
        return fd;
    }
    }
}

/* Every option's value on fd (or its -errno), to prove that a failed change changed nothing. */
static void snapshot(int fd, int64_t out[SOB_OPTION_COUNT]) {
    for (int id = 0; id < SOB_OPTION_COUNT; id++) {
        out[id] = sob_get_int(fd, id);
    }
}

static void check_unchanged(int fd, const int64_t before[SOB_OPTION_COUNT], const char *after_what) {
    int64_t now[SOB_OPTION_COUNT];
    snapshot(fd, now);
    for (int id = 0; id < SOB_OPTION_COUNT; id++) {
        if (now[id] != before[id]) {
            fprintf(stderr, "fuzz_shim: option %d changed by a failed %s\n", id, after_what);
            fail("unchanged after failure", before[id], now[id]);
        }
    }
}

static int is_buffer(int id) { return id == SOB_SO_RCVBUF || id == SOB_SO_SNDBUF; }

static void op_set(struct reader *r) {
    int slot;
    int fd = pick_fd(r, &slot);
    int id = option_id(r);
    int value = interesting_int(r, sob_option_min(id), sob_option_max(id));
    int64_t before[SOB_OPTION_COUNT];
    if (slot >= 0) {
        snapshot(fd, before);
    }
    int rc = sob_set_int(fd, id, value);
    PROMISE(rc == 0 || is_errno(rc), rc, id);
    if (id < 0 || id >= SOB_OPTION_COUNT) {
        PROMISE(rc == -ENOPROTOOPT, rc, id);
        return;
    }
    if (value < sob_option_min(id) || value > sob_option_max(id)) {
        PROMISE(rc == -EINVAL || rc == -ENOPROTOOPT, rc, value);
        return;
    }
    if (slot < 0) {
        PROMISE(rc == -EBADF || rc == -ENOPROTOOPT, rc, fd);
        return;
    }
    if (!slots[slot].is_socket) {
        PROMISE(rc == -ENOTSOCK || rc == -ENOPROTOOPT, rc, fd);
    }
    if (rc != 0) {
        check_unchanged(fd, before, "sob_set_int");
        return;
    }
    if (!is_buffer(id)) {
        PROMISE(sob_get_int(fd, id) == value, sob_get_int(fd, id), value);
    }
    if (sob_is_keepalive_timer(id)) {
        PROMISE(sob_get_int(fd, SOB_SO_KEEPALIVE) == 1, sob_get_int(fd, SOB_SO_KEEPALIVE), id);
    }
}

static void op_get(struct reader *r) {
    int slot;
    int fd = pick_fd(r, &slot);
    int id = option_id(r);
    int64_t v = sob_get_int(fd, id);
    PROMISE((v >= 0 && v <= (int64_t)UINT32_MAX) || is_errno(v), v, id);
    if (id < 0 || id >= SOB_OPTION_COUNT) {
        PROMISE(v == -ENOPROTOOPT, v, id);
    } else if (slot < 0) {
        PROMISE(v == -EBADF || v == -ENOPROTOOPT, v, fd);
    } else if (!slots[slot].is_socket) {
        PROMISE(v == -ENOTSOCK || v == -ENOPROTOOPT, v, fd);
    }
}

static void op_batch(struct reader *r) {
    int slot;
    int fd = pick_fd(r, &slot);
    uint8_t how = u8(r);
    int count;
    switch (how % 8) {
    case 0: count = 0; break;
    case 1: count = -1 - (int)(u8(r) % 4); break;
    case 2: count = INT_MIN; break;
    case 3: count = INT_MAX; break;
    case 4: count = 17 + (int)(u8(r) % 24); break; /* just past the shim's limit of 16 */
    default: count = 1 + (int)(u8(r) % 16); break;
    }
    int *ids = NULL;
    int *values = NULL;
    int null_arrays = (how & 0x80) != 0;
    if (count > 0 && count <= MAX_BATCH_ARRAY && !null_arrays) {
        /* Exactly count elements, so that ASan sees any read past them. */
        ids = malloc(sizeof *ids * (size_t)count);
        values = malloc(sizeof *values * (size_t)count);
        if (!ids || !values) {
            free(ids);
            free(values);
            return;
        }
        for (int i = 0; i < count; i++) {
            ids[i] = option_id(r);
            values[i] = interesting_int(r, sob_option_min(ids[i]), sob_option_max(ids[i]));
        }
    }
    int64_t before[SOB_OPTION_COUNT];
    if (slot >= 0) {
        snapshot(fd, before);
    }
    int rc = sob_set_batch(fd, ids, values, count);
    if (rc != 0) {
        PROMISE(rc < 0, rc, count);
        int index = (-rc) / 65536;
        int err = (-rc) % 65536;
        PROMISE(err >= 1 && err <= 4095, rc, err);
        PROMISE(index >= 0 && index <= (count > 0 ? count : 0), rc, count);
        if (slot >= 0) {
            check_unchanged(fd, before, "sob_set_batch");
        }
    } else {
        PROMISE(count >= 0 && count <= 16 && (count == 0 || (ids && values)), rc, count);
        PROMISE(count == 0 || slot >= 0, rc, fd); /* not-open numbers cannot succeed */
        /* The last value given for each option is the one that holds. */
        for (int i = count - 1; i >= 0; i--) {
            int seen_later = 0;
            for (int k = i + 1; k < count; k++) {
                seen_later |= ids[k] == ids[i];
            }
            if (!seen_later && !is_buffer(ids[i])) {
                PROMISE(sob_get_int(fd, ids[i]) == values[i], sob_get_int(fd, ids[i]), values[i]);
            }
        }
    }
    free(ids);
    free(values);
}

static void op_kind(struct reader *r) {
    int slot;
    int fd = pick_fd(r, &slot);
    int kind = sob_socket_kind(fd);
    if (slot < 0) {
        PROMISE(kind == -EBADF, kind, fd);
        return;
    }
    const struct slot *s = &slots[slot];
    if (!s->is_socket) {
        PROMISE(kind == -ENOTSOCK, kind, fd);
        return;
    }
    PROMISE(kind >= 0, kind, fd);
    PROMISE((kind & 0xff) == s->type, kind, s->type);
    PROMISE(((kind >> 8) & 0xff) == s->family, kind, s->family);
    PROMISE((kind >> 24) == 0 || (kind >> 24) == 1, kind, fd);
}

/* sob_tcp_info on the same descriptor: a TCP socket always has a state (include/net/tcp_states.h
 * numbers 1..12); anything else fails with an errno. */
static void check_tcp_info(int fd, int slot) {
    uint32_t info[SOB_TCPI_FIELDS];
    int rc = sob_tcp_info(fd, info, SOB_TCPI_FIELDS);
    PROMISE(rc == 0 || is_errno(rc), rc, fd);
    if (slot < 0) {
        PROMISE(rc == -EBADF, rc, fd);
    } else if (slots[slot].tcp) {
        PROMISE(rc == 0, rc, fd);
        PROMISE(info[SOB_TCPI_STATE] >= 1 && info[SOB_TCPI_STATE] <= 12, info[SOB_TCPI_STATE], fd);
    } else {
        PROMISE(rc < 0, rc, fd);
    }
}

static void op_queue(struct reader *r) {
    int slot;
    int fd = pick_fd(r, &slot);
    check_tcp_info(fd, slot);
    int64_t q = sob_listen_queue(fd);
    PROMISE(q >= 0 || is_errno(q), q, fd);
    if (slot < 0) {
        PROMISE(q == -EBADF, q, fd);
        return;
    }
    const struct slot *s = &slots[slot];
    if (s->tcp && s->listening) {
        PROMISE(q >= 0, q, fd);
        /* The queue may hold one more than the limit: include/net/sock.h sk_acceptq_is_full
         * compares with '>'. */
        PROMISE((q & 0xffffffff) <= (q >> 32) + 1, q & 0xffffffff, q >> 32);
    } else if (s->tcp) {
        PROMISE(q == -EINVAL, q, fd);
    } else {
        PROMISE(q < 0, q, fd);
    }
}

static void op_table(struct reader *r) {
    int id = option_id(r);
    const char *symbol = sob_option_symbol(id);
    int64_t dflt = sob_default_value(id);
    int cap = sob_capability(id);
    PROMISE(symbol != NULL, id, 0);
    PROMISE((dflt >= 0 && dflt <= (int64_t)UINT32_MAX) || is_errno(dflt), dflt, id);
    PROMISE((cap & 0xff) <= SOB_NO_IPV6 && (cap >> 8) >= 0 && (cap >> 8) <= 4095, cap, id);
    if (id < 0 || id >= SOB_OPTION_COUNT) {
        PROMISE(sob_option_level(id) == -1 && sob_option_name(id) == -1 && symbol[0] == '\0', id, 0);
        PROMISE(sob_option_min(id) == 0 && sob_option_max(id) == 0, id, 0);
        PROMISE(cap == SOB_NOT_COMPILED && dflt == -ENOPROTOOPT, cap, dflt);
    } else {
        PROMISE(symbol[0] != '\0' && sob_option_min(id) <= sob_option_max(id), id, 0);
        PROMISE((cap & 0xff) != SOB_SUPPORTED || dflt >= 0, cap, dflt);
    }
}

/* The lowest free descriptor number: if it rose during an input, something leaked one. */
static int lowest_free_fd(void) {
    int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        close(fd);
    }
    return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static int ready;
    if (!ready) {
        for (int i = 0; i < SLOTS; i++) {
            slots[i].fd = -1;
        }
        (void)sob_capability(0); /* the one-time probe opens sockets: not a leak of an input */
        ready = 1;
    }
    int free_before = lowest_free_fd();
    struct reader r = {data, size};
    for (int ops = 0; r.left > 0 && ops < MAX_OPS; ops++) {
        uint8_t op = u8(&r);
        switch (op % 8) {
        case 0: {
            int slot = u8(&r) % SLOTS;
            int kind = u8(&r) % K_COUNT;
            open_kind(slot, kind, interesting_int(&r, 0, 8));
            break;
        }
        case 1: op_set(&r); break;
        case 2: op_get(&r); break;
        case 3: op_batch(&r); break;
        case 4: op_kind(&r); break;
        case 5: op_queue(&r); break;
        case 6: op_table(&r); break;
        default: close_slot(u8(&r) % SLOTS); break;
        }
    }
    for (int i = 0; i < SLOTS; i++) {
        close_slot(i);
    }
    int free_after = lowest_free_fd();
    PROMISE(free_after <= free_before, free_before, free_after);
    return 0;
}
