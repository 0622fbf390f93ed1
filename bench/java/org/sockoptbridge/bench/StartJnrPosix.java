package org.sockoptbridge.bench;

import jnr.posix.POSIXFactory;

/** Startup breakdown, step 2: step 1 plus jnr-posix's native POSIX binding (getpid through it). */
public final class StartJnrPosix {
    private StartJnrPosix() {
    }

    public static void main(String[] args) {
        StartJnrFfi.main(args);
        if (POSIXFactory.getPOSIX().getpid() <= 0) {
            throw new IllegalStateException("getpid failed");
        }
    }
}
