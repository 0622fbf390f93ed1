package org.sockoptbridge.internal;

/**
 * Symbolic errno names for messages and checks, from the backend's own table (the shim's comes
 * from this platform's C headers), so a Linux 92 and a macOS 42 both read ENOPROTOOPT.
 */
public final class Errnos {
    private Errnos() {
    }

    /** "ENOPROTOOPT", or "errno 92" when no backend is loaded or its table lacks the value. */
    public static String name(int errno) {
        NativeBackend backend = NativeLoader.result().backendOrNull();
        String name = backend == null ? null : backend.errnoName(errno);
        return name != null ? name : "errno " + errno;
    }

    /** True when errno is this platform's value of the named errno ("EINVAL"). */
    public static boolean is(int errno, String name) {
        NativeBackend backend = NativeLoader.result().backendOrNull();
        return backend != null && errno > 0 && backend.errnoValue(name) == errno;
    }
}
