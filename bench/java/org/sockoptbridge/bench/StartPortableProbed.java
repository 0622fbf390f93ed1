package org.sockoptbridge.bench;

import org.sockoptbridge.internal.Backends;
import org.sockoptbridge.internal.JniShim;
import org.sockoptbridge.internal.NativeBackend;

/**
 * Startup, portable side: jnr-ffi binding libc, jnr-constants' tables, then the same capability
 * probe (throwaway sockets) as {@link StartShimProbed}. No NativeLoader: the shim stays unloaded.
 */
public final class StartPortableProbed {
    private StartPortableProbed() {
    }

    public static void main(String[] args) {
        probeAll(Backends.portable("startup benchmark"));
    }

    static void probeAll(NativeBackend backend) {
        for (int id = 0; id < JniShim.OPTION_COUNT; id++) {
            if (JniShim.capabilityStatus(backend.capability(id)) != JniShim.STATUS_SUPPORTED && id != 5) {
                throw new IllegalStateException(backend.name() + ": option " + id + " not supported");
            }
        }
    }
}
