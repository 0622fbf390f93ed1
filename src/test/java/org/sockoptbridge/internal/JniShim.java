package org.sockoptbridge.internal;

/**
 * EXPERIMENT: the shim's functions as JNI static natives (native/bench/jni_shim.c, built only
 * into the test library libsockopt_bridge-<os-arch>-jni-experiment), for measuring start-up and
 * per-call cost against the jnr-ffi binding {@link NativeShim} (docs/JNI-EXPERIMENT.md). Not
 * used by the library. That test library must have been loaded first (with
 * -Dsockopt.bridge.library=... the loader does; the startup main does it itself).
 */
public final class JniShim {
    private JniShim() {
    }

    public static native int sob_abi_version();

    public static native int sob_option_min(int optionId);

    public static native int sob_option_max(int optionId);

    public static native int sob_capability(int optionId);

    public static native long sob_default_value(int optionId);

    public static native int sob_ipv6_available();

    public static native int sob_buffer_readback_factor();

    public static native String sob_option_symbol(int optionId);

    public static native int sob_set_int(int fd, int optionId, int value);

    public static native long sob_get_int(int fd, int optionId);
}
