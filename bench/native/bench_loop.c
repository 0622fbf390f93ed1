/*
 * The C floor inside the JVM: the same raw system-call loops as bench_raw_setsockopt, as a
 * test-only library that PerCallBenchmark calls once per 1000 system calls. Comparing it with
 * the standalone binary separates what the bridge's Java and native layers add per call from
 * what making the system call on a JVM thread costs.
 */
#include <sys/socket.h>

#define SOB_BENCH_API __attribute__((visibility("default")))

/* value 0 cycles through 1..1024, as the binary does for keep-alive timers: re-arming the timer
 * to the expiry it already has takes a shortcut in the kernel's mod_timer. */
SOB_BENCH_API int sob_bench_set_loop(int fd, int level, int name, int value, int count) {
    int failures = 0;
    for (int i = 0; i < count; i++) {
        int v = value != 0 ? value : (i & 1023) + 1;
        failures += setsockopt(fd, level, name, &v, sizeof v) != 0;
    }
    return failures;
}

SOB_BENCH_API int sob_bench_get_loop(int fd, int level, int name, int count) {
    int failures = 0;
    for (int i = 0; i < count; i++) {
        int value = 0;
        socklen_t len = sizeof value;
        failures += getsockopt(fd, level, name, &value, &len) != 0;
    }
    return failures;
}
