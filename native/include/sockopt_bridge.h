/*
 * sockopt-bridge native shim: the C core that the JNI binding (native/src/jni_binding.c) wraps.
 *
 * The shipped library exports only JNI_OnLoad: Java reaches these functions through natives
 * registered there, and nothing else can link against them. The C tests link a static copy.
 * Every function takes and returns primitives. Errors are returned as negative errno values so
 * that no caller depends on a thread-global errno surviving the return into Java.
 *
 * The Java side (org.sockoptbridge.internal.JniShim) checks SOB_ABI_VERSION and the layout of
 * the codes below (sob_abi_layout) when the library loads, and refuses a library that differs.
 */
#ifndef SOCKOPT_BRIDGE_H
#define SOCKOPT_BRIDGE_H

#include <stdint.h>

#if defined(__GNUC__)
#define SOB_EXPORT __attribute__((visibility("default")))
#else
#define SOB_EXPORT
#endif

/* 2: JNI binding, errno names and file kinds from C.
 * 3: TCP_USER_TIMEOUT takes option id 7, SO_KEEPALIVE moves to 8 (SOB_OPTION_COUNT 9).
 * 4: host limits (sob_host_limit, sob_host_limit_setting).
 * 5: sob_tcp_info. */
#define SOB_ABI_VERSION 5

/* Portable option ids. The order is part of the ABI: OptionName.java uses the same ordinals. */
enum sob_option_id {
    SOB_TCP_KEEPIDLE = 0,
    SOB_TCP_KEEPINTVL = 1,
    SOB_TCP_KEEPCNT = 2,
    SOB_SO_RCVBUF = 3,
    SOB_SO_SNDBUF = 4,
    SOB_IPV6_V6ONLY = 5,
    SOB_SO_REUSEPORT = 6,
    SOB_TCP_USER_TIMEOUT = 7,
    /* Not a user-facing option: keep-alive timers do nothing while SO_KEEPALIVE is off, so
     * setting any timer through the bridge also turns it on. It comes after the public options
     * so that OptionName's ordinals stay the ids. */
    SOB_SO_KEEPALIVE = 8,
    SOB_OPTION_COUNT = 9
};

/* Capability status of one option on this platform and kernel. */
enum sob_status {
    SOB_SUPPORTED = 0,
    SOB_NOT_COMPILED = 1,     /* the OS headers have no such option: not on this OS */
    SOB_KERNEL_REJECTED = 2,  /* compiled in, but the running kernel refused it on a probe */
    SOB_NO_IPV6 = 3           /* an IPv6 option on a host where IPv6 sockets are unavailable */
};

int sob_abi_version(void);
int sob_option_count(void);

/* Table lookups: the platform's (level, name), its constant's spelling, and the range of
 * values the kernel accepts. A not-compiled option has level and name -1. */
int sob_option_level(int option_id);
int sob_option_name(int option_id);
const char *sob_option_symbol(int option_id);
int sob_option_min(int option_id);
int sob_option_max(int option_id);
/* How much larger a buffer size reads back than it was set: 2 on Linux, 1 elsewhere. */
int sob_buffer_readback_factor(void);
/* The C library the process runs with: its name ("glibc", "musl", ...) and its version, the one
 * of the library actually loaded (not of the headers the shim was built with), or NULL where the
 * library does not report one (musl, the BSDs). Static strings. */
const char *sob_libc_name(void);
const char *sob_libc_version(void);

/* Capability of one option, computed once (thread-safe) on throwaway sockets:
 * (errno << 8) | status. errno is 0 unless the status is KERNEL_REJECTED or NO_IPV6. */
int sob_capability(int option_id);
/* The option's value on the fresh probe socket (a raw socket of the right family, so not
 * touched by the JDK, which clears IPV6_V6ONLY on the sockets it creates): zero-extended, or
 * -errno when it could not be read. */
int64_t sob_default_value(int option_id);
/* 1 when an AF_INET6 socket can be created and bound to ::1, else -errno of the failing step. */
int sob_ipv6_available(void);

/* Set one option. Keep-alive timers also turn SO_KEEPALIVE on (timer first, so that a socket
 * that rejects the timer is left untouched). Returns 0 or -errno. */
int sob_set_int(int fd, int option_id, int value);

/* Read one option: the value zero-extended into 0..2^32-1 on success, or -errno. */
int64_t sob_get_int(int fd, int option_id);

/* Apply count options in one crossing, all or nothing: the previous value of each option is
 * read before it is changed and restored, in reverse order, if a later one fails (the last change
 * needs no snapshot). Returns 0, or
 * -(failed_index * 65536 + errno). Callers order buffer sizes last (see options.c). */
int sob_set_batch(int fd, const int *option_ids, const int *values, int count);

/* What kind of socket fd is, for error messages: (bound << 24) | (family << 8) | type,
 * or -errno (ENOTSOCK for a file, EBADF for a closed fd). */
int sob_socket_kind(int fd);

/* A listening socket's accept queue: (limit << 32) | current length, or -errno
 * (EINVAL: not listening; EOPNOTSUPP: not available on this platform, or not a TCP socket).
 * Linux: TCP_INFO; FreeBSD: SO_LISTENQLEN / SO_LISTENQLIMIT; macOS: not available. */
int64_t sob_listen_queue(int fd);

/* Host-wide limits, by portable id (the order is part of the ABI: HostLimit.Kind uses the same
 * ordinals). Which setting holds each one on this OS is native/src/host_limits.c. */
enum sob_host_limit_id {
    SOB_LIMIT_ACCEPT_QUEUE_MAX = 0,   /* the cap on listen()'s backlog */
    SOB_LIMIT_RECEIVE_BUFFER_MAX = 1, /* the largest SO_RCVBUF a socket may ask for */
    SOB_LIMIT_SEND_BUFFER_MAX = 2,    /* the largest SO_SNDBUF */
    SOB_HOST_LIMIT_COUNT = 3
};
/* The setting that holds the limit on this OS ("net.core.somaxconn", "kern.ipc.somaxconn"), or
 * NULL where the shim knows none here. Static string. */
const char *sob_host_limit_setting(int limit_id);
/* The limit's value now, read from the kernel on every call (>= 0), or -errno: EOPNOTSUPP where
 * this OS has no setting the shim knows (the setting is NULL), ENOENT where the running kernel
 * lacks it, EINVAL or ERANGE where it is not a number that fits, or what reading it failed with. */
int64_t sob_host_limit(int limit_id);

/* A TCP connection's retransmission and probe state, from Linux TCP_INFO: what tells why the
 * kernel dropped it (keep-alive probes unanswered, or data unacknowledged), because a dropped
 * connection keeps these counters until the application closes it. Fills out[0] to
 * out[SOB_TCPI_FIELDS - 1] in the order of the SOB_TCPI_ indexes and returns 0, or -errno
 * (EOPNOTSUPP: not available on this platform, or the kernel's reply too short to hold the
 * fields; ENOPROTOOPT or EOPNOTSUPP from the kernel: not a TCP socket; EINVAL: count below
 * SOB_TCPI_FIELDS). */
#define SOB_TCPI_STATE 0          /* the kernel's TCP state number (include/net/tcp_states.h) */
#define SOB_TCPI_RETRANSMITS 1    /* retransmission timeouts of the oldest unacknowledged segment */
#define SOB_TCPI_PROBES 2         /* unanswered keep-alive or zero-window probes */
#define SOB_TCPI_UNACKED 3        /* segments sent and not acknowledged */
#define SOB_TCPI_TOTAL_RETRANS 4  /* segments retransmitted over the connection's life */
#define SOB_TCPI_LAST_DATA_RECV 5 /* milliseconds since data last arrived */
#define SOB_TCPI_LAST_ACK_RECV 6  /* milliseconds since an acknowledgement last arrived */
#define SOB_TCPI_FIELDS 7
int sob_tcp_info(int fd, uint32_t *out, int count);

/* What fd is, from fstat: one of enum sob_file_kind, or -errno (EBADF for a closed fd). */
enum sob_file_kind {
    SOB_FILE_REGULAR = 1,
    SOB_FILE_DIRECTORY = 2,
    SOB_FILE_FIFO = 3,
    SOB_FILE_CHAR_DEVICE = 4,
    SOB_FILE_BLOCK_DEVICE = 5,
    SOB_FILE_SYMLINK = 6,
    SOB_FILE_SOCKET = 7,
    SOB_FILE_OTHER = 8
};
int sob_file_kind(int fd);

/* The errno's symbolic name on this platform ("ENOPROTOOPT"), or NULL if the table lacks it;
 * and the value of a name, or -1 if this platform has no such errno. */
const char *sob_errno_name(int err);
int sob_errno_value(const char *name);

/* Portable socket-kind codes (sob_socket_kind). */
#define SOB_FAMILY_UNIX 1
#define SOB_FAMILY_INET 4
#define SOB_FAMILY_INET6 6
#define SOB_TYPE_STREAM 1
#define SOB_TYPE_DGRAM 2
#define SOB_TYPE_OTHER 3
/* A batch failure is -(failed_index * SOB_BATCH_INDEX_UNIT + errno). */
#define SOB_BATCH_INDEX_UNIT 65536
#define SOB_BATCH_MAX 16

#endif
