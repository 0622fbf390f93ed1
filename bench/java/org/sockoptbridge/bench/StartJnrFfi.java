package org.sockoptbridge.bench;

import jnr.ffi.LibraryLoader;

/** Startup breakdown, step 1: jffi and jnr-ffi alone, binding libc's getpid and calling it. */
public final class StartJnrFfi {
    private StartJnrFfi() {
    }

    /** The smallest libc binding. */
    public interface LibC {
        int getpid();
    }

    public static void main(String[] args) {
        LibC libc = LibraryLoader.create(LibC.class).failImmediately().load("c");
        if (libc.getpid() <= 0) {
            throw new IllegalStateException("getpid failed");
        }
    }
}
