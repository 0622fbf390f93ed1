/*
 * Proves a musl build of the shim needs nothing but musl: loads it the way a JVM on Alpine would
 * (dlopen), with RTLD_NOW so that every undefined symbol is bound at once instead of at its first
 * call; a glibc-only symbol (gnu_get_libc_version, __*_chk, a GLIBC_x.y version) fails here.
 * Then finds the one symbol the JVM looks up. Usage: test_musl_dlopen LIBRARY
 */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s LIBRARY\n", argv[0]);
        return 2;
    }
    void *library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        fprintf(stderr, "FAIL: dlopen(%s, RTLD_NOW): %s\n", argv[1], dlerror());
        return 1;
    }
    if (dlsym(library, "JNI_OnLoad") == NULL) {
        fprintf(stderr, "FAIL: %s has no JNI_OnLoad: %s\n", argv[1], dlerror());
        return 1;
    }
    printf("ok: %s resolves against musl alone (RTLD_NOW) and exports JNI_OnLoad\n", argv[1]);
    dlclose(library);
    return 0;
}
