/* A minimal check harness for the shim's C tests: count failures, print where, exit non-zero. */
#ifndef SOB_CHECK_H
#define SOB_CHECK_H

#include <stdio.h>

static int check_failures;

#define CHECK(cond)                                                              \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            check_failures++;                                                    \
        }                                                                        \
    } while (0)

#define CHECK_EQ(actual, expected)                                                           \
    do {                                                                                     \
        long long check_a_ = (long long)(actual), check_e_ = (long long)(expected);         \
        if (check_a_ != check_e_) {                                                          \
            fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, \
                    #actual, check_a_, #expected, check_e_);                                 \
            check_failures++;                                                                \
        }                                                                                    \
    } while (0)

#define RUN(test)                      \
    do {                               \
        int check_before_ = check_failures; \
        test();                        \
        printf("%s %s\n", check_failures == check_before_ ? "PASS" : "FAIL", #test); \
    } while (0)

static inline int check_summary(void) {
    if (check_failures) {
        fprintf(stderr, "%d check(s) failed\n", check_failures);
        return 1;
    }
    return 0;
}

#endif
