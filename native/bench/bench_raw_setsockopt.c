/*
 * The floor the Java benchmarks are compared with: the same syscalls in a plain C loop.
 *   bench_raw_setsockopt [iterations]
 * prints ns/call for setsockopt(TCP_KEEPIDLE), getsockopt(TCP_KEEPIDLE),
 * setsockopt(SO_RCVBUF) and the keep-alive pair (TCP_KEEPIDLE + SO_KEEPALIVE) that the
 * bridge issues for one keep-alive timer.
 */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

#if defined(TCP_KEEPIDLE)
#define IDLE TCP_KEEPIDLE
#else
#define IDLE TCP_KEEPALIVE
#endif

static volatile int sink;

static void report(const char *what, double start, long n) {
    printf("%-40s %8.1f ns/call\n", what, (now_ns() - start) / (double)n);
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 5000000L;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("socket");
        return 1;
    }
    for (int round = 0; round < 2; round++) { /* the first round warms caches and frequency */
        double t = now_ns();
        for (long i = 0; i < n; i++) {
            int v = (int)(i & 1023) + 1;
            sink = setsockopt(fd, IPPROTO_TCP, IDLE, &v, sizeof v);
        }
        report("setsockopt(TCP_KEEPIDLE)", t, n);
        t = now_ns();
        for (long i = 0; i < n; i++) {
            int v;
            socklen_t len = sizeof v;
            sink = getsockopt(fd, IPPROTO_TCP, IDLE, &v, &len) + v;
        }
        report("getsockopt(TCP_KEEPIDLE)", t, n);
        t = now_ns();
        for (long i = 0; i < n; i++) {
            int v = 65536;
            sink = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof v);
        }
        report("setsockopt(SO_RCVBUF)", t, n);
        t = now_ns();
        for (long i = 0; i < n; i++) {
            int v = (int)(i & 1023) + 1;
            int on = 1;
            sink = setsockopt(fd, IPPROTO_TCP, IDLE, &v, sizeof v);
            sink = setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
        }
        report("setsockopt(TCP_KEEPIDLE)+SO_KEEPALIVE", t, n);
    }
    close(fd);
    return 0;
}
