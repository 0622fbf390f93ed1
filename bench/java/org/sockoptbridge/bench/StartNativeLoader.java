package org.sockoptbridge.bench;

import org.sockoptbridge.internal.NativeLoader;

/**
 * Startup breakdown, step 4: the library's own loader (extract from the class path, SHA-256,
 * System.load, jnr-ffi binding, ABI check), without the capability probe.
 */
public final class StartNativeLoader {
    private StartNativeLoader() {
    }

    public static void main(String[] args) {
        NativeLoader.result().backend();
    }
}
