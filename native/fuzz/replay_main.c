/*
 * A main for the fuzz harness without libFuzzer: runs every file named (or found in a named
 * directory) as one input, then --random N programs made by a seeded generator, so that the same
 * arguments replay the same inputs on any compiler. Used by CTest under the sanitizers, and the
 * fallback where clang's libFuzzer is not installed.
 *
 *   fuzz_shim_replay [--random N] [--seed S] [FILE|DIR]...
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static long files_run;

static int run_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    static uint8_t buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, n);
    files_run++;
    return 0;
}

static int run_path(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
        return run_file(path);
    }
    DIR *dir = opendir(path);
    if (!dir) {
        perror(path);
        return 1;
    }
    int rc = 0;
    struct dirent *e;
    char child[4096];
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        rc |= run_path(child);
    }
    closedir(dir);
    return rc;
}

/* xorshift64*: small, and the same sequence everywhere. */
static uint64_t next(uint64_t *s) {
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

int main(int argc, char **argv) {
    long randoms = 0;
    uint64_t seed = 1;
    int rc = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--random") == 0 && i + 1 < argc) {
            randoms = strtol(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            seed = strtoull(argv[++i], NULL, 10);
        } else {
            rc |= run_path(argv[i]);
        }
    }
    uint64_t state = seed * 0x9E3779B97F4A7C15ULL + 1;
    static uint8_t buf[512];
    for (long k = 0; k < randoms; k++) {
        size_t len = (size_t)(next(&state) % sizeof buf);
        for (size_t j = 0; j < len; j++) {
            buf[j] = (uint8_t)(next(&state) >> 56);
        }
        LLVMFuzzerTestOneInput(buf, len);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("fuzz_shim_replay: %ld corpus files, %ld random programs (seed %llu) in %.2f s, %.0f inputs/s\n",
           files_run, randoms, (unsigned long long)seed, secs, secs > 0 ? (double)(files_run + randoms) / secs : 0.0);
    if (files_run == 0 && randoms == 0) {
        fprintf(stderr, "fuzz_shim_replay: nothing was run\n");
        return 1;
    }
    return rc;
}
