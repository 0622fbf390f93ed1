/*
 * The floor the Java benchmarks are compared with: the same syscalls in a plain C loop.
 *   bench_raw_setsockopt [iterations-per-round] [rounds] [unconnected]
 * Works on a connected loopback TCP socket with SO_KEEPALIVE on, the state the JMH benchmarks
 * (bench/java/org/sockoptbridge/bench) leave their socket in: on a connected socket with
 * keep-alive on, setting TCP_KEEPIDLE also re-arms the keep-alive timer
 * (net/ipv4/tcp.c, tcp_sock_set_keepidle_locked), so an unconnected socket would flatter the
 * floor ("unconnected" measures a fresh socket instead, to show the difference). One warm-up round, then `rounds` measured rounds; prints, per operation, the median
 * ns/call and the range as
 *   <operation> <median> ns/call (min .. max over N rounds)
 * The combined lines are what the bridge issues for one call: a keep-alive timer is set
 * together with SO_KEEPALIVE; a batch (sob_set_batch) reads each old value, for its roll-back,
 * before setting it, SO_KEEPALIVE included; "IDLE,INTVL,CNT+SO_KEEPALIVE" is what the JDK needs.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#if defined(TCP_KEEPIDLE)
#define IDLE TCP_KEEPIDLE
#else
#define IDLE TCP_KEEPALIVE
#endif

#define MAX_ROUNDS 31

enum op {
    SET_KEEPIDLE,
    GET_KEEPIDLE,
    SET_RCVBUF,
    GET_RCVBUF,
    SET_KEEPIDLE_AND_KEEPALIVE,
    SET_THREE_TIMERS,
    SET_THREE_TIMERS_EACH_WITH_KEEPALIVE,
    GET_AND_SET_THREE_TIMERS_AND_KEEPALIVE,
    OP_COUNT
};

static const char *const op_names[OP_COUNT] = {
    "setsockopt(TCP_KEEPIDLE)",
    "getsockopt(TCP_KEEPIDLE)",
    "setsockopt(SO_RCVBUF)",
    "getsockopt(SO_RCVBUF)",
    "setsockopt(TCP_KEEPIDLE)+SO_KEEPALIVE",
    "setsockopt(IDLE,INTVL,CNT)+SO_KEEPALIVE",
    "3x(setsockopt(timer)+SO_KEEPALIVE)",
    "4x(getsockopt+setsockopt):batch",
};

static volatile int sink;

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void set_int(int fd, int level, int name, int value) {
    sink = setsockopt(fd, level, name, &value, sizeof value);
}

static void get_and_set_int(int fd, int level, int name, int value) {
    int old = 0;
    socklen_t len = sizeof old;
    sink = getsockopt(fd, level, name, &old, &len) + old;
    set_int(fd, level, name, value);
}

static double run(enum op op, int fd, long n) {
    double start = now_ns();
    for (long i = 0; i < n; i++) {
        int v = (int)(i & 1023) + 1;
        int got = 0;
        socklen_t len = sizeof got;
        switch (op) {
        case SET_KEEPIDLE:
            set_int(fd, IPPROTO_TCP, IDLE, v);
            break;
        case GET_KEEPIDLE:
            sink = getsockopt(fd, IPPROTO_TCP, IDLE, &got, &len) + got;
            break;
        case SET_RCVBUF:
            set_int(fd, SOL_SOCKET, SO_RCVBUF, 65536);
            break;
        case GET_RCVBUF:
            sink = getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len) + got;
            break;
        case SET_KEEPIDLE_AND_KEEPALIVE:
            set_int(fd, IPPROTO_TCP, IDLE, v);
            set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
            break;
        case SET_THREE_TIMERS:
            set_int(fd, IPPROTO_TCP, IDLE, v);
            set_int(fd, IPPROTO_TCP, TCP_KEEPINTVL, 10);
            set_int(fd, IPPROTO_TCP, TCP_KEEPCNT, 5);
            set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
            break;
        case SET_THREE_TIMERS_EACH_WITH_KEEPALIVE:
            set_int(fd, IPPROTO_TCP, IDLE, v);
            set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
            set_int(fd, IPPROTO_TCP, TCP_KEEPINTVL, 10);
            set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
            set_int(fd, IPPROTO_TCP, TCP_KEEPCNT, 5);
            set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
            break;
        case GET_AND_SET_THREE_TIMERS_AND_KEEPALIVE:
            get_and_set_int(fd, IPPROTO_TCP, IDLE, 60);
            get_and_set_int(fd, IPPROTO_TCP, TCP_KEEPINTVL, 10);
            get_and_set_int(fd, IPPROTO_TCP, TCP_KEEPCNT, 5);
            get_and_set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
            break;
        default:
            break;
        }
    }
    return (now_ns() - start) / (double)n;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A connected loopback pair; returns the client end, the accepted end in *peer. */
static int connected_socket(int *peer) {
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    int client = socket(AF_INET, SOCK_STREAM, 0);
    if (listener < 0 || client < 0 || bind(listener, (struct sockaddr *)&addr, sizeof addr) != 0
        || listen(listener, 1) != 0 || getsockname(listener, (struct sockaddr *)&addr, &len) != 0
        || connect(client, (struct sockaddr *)&addr, sizeof addr) != 0) {
        perror("loopback connection");
        return -1;
    }
    *peer = accept(listener, NULL, NULL);
    close(listener);
    return *peer < 0 ? -1 : client;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 2000000L;
    int rounds = argc > 2 ? atoi(argv[2]) : 5;
    if (n <= 0 || rounds <= 0 || rounds > MAX_ROUNDS) {
        fprintf(stderr, "usage: %s [iterations-per-round > 0] [rounds 1..%d]\n", argv[0], MAX_ROUNDS);
        return 2;
    }
    int peer = -1;
    int unconnected = argc > 3 && strcmp(argv[3], "unconnected") == 0;
    int fd = unconnected ? socket(AF_INET, SOCK_STREAM, 0) : connected_socket(&peer);
    if (fd < 0) {
        return 1;
    }
    set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
    double results[OP_COUNT][MAX_ROUNDS];
    for (int op = 0; op < OP_COUNT; op++) {
        (void)run((enum op)op, fd, n); /* warm-up: caches, branch predictors, CPU frequency */
    }
    /* Operations interleaved round by round, so that noise from the other core spreads over all. */
    for (int round = 0; round < rounds; round++) {
        for (int op = 0; op < OP_COUNT; op++) {
            results[op][round] = run((enum op)op, fd, n);
        }
    }
    for (int op = 0; op < OP_COUNT; op++) {
        qsort(results[op], (size_t)rounds, sizeof(double), compare_doubles);
        printf("%-42s %8.1f ns/call (%.1f .. %.1f over %d rounds of %ld)\n", op_names[op],
               results[op][rounds / 2], results[op][0], results[op][rounds - 1], rounds, n);
    }
    close(fd);
    if (peer >= 0) {
        close(peer);
    }
    return 0;
}
