package org.sockoptbridge.bench;

import org.sockoptbridge.internal.NativeLoader;

/** Startup, shim side of the portable comparison: the loader, then the capability probe of every option. */
public final class StartShimProbed {
    private StartShimProbed() {
    }

    public static void main(String[] args) {
        StartPortableProbed.probeAll(NativeLoader.result().backend());
    }
}
