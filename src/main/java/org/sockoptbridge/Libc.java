package org.sockoptbridge;

/**
 * The C library a process runs with.
 *
 * @param name    "glibc", "musl", "libSystem" or "BSD libc"
 * @param version the loaded library's version (glibc's gnu_get_libc_version), or null where the
 *                library reports none
 */
public record Libc(String name, String version) {
    @Override
    public String toString() {
        return version == null ? name : name + " " + version;
    }
}
