package org.sockoptbridge.bench;

import java.nio.file.Path;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import org.sockoptbridge.internal.NativeShim;

/**
 * Startup breakdown, step 3: step 1 plus jnr-ffi generating the NativeShim binding for the built
 * library (args[0]), as the loader does, without extraction, digest or capability probe.
 */
public final class StartShimBinding {
    private StartShimBinding() {
    }

    public static void main(String[] args) {
        StartJnrFfi.main(args);
        String library = Path.of(args[0]).toAbsolutePath().toString();
        NativeShim shim = LibraryLoader.create(NativeShim.class).failImmediately()
                .option(LibraryOption.IgnoreError, true).load(library);
        if (shim.sob_abi_version() != NativeShim.ABI_VERSION) {
            throw new IllegalStateException("ABI mismatch");
        }
    }
}
