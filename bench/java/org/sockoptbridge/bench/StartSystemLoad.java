package org.sockoptbridge.bench;

import java.nio.file.Path;

/**
 * Startup breakdown, for comparison: only System.load of the built shim (args[0]), which is all
 * the JVM needs to bind JNI functions. The floor a binding without jnr-ffi would start from.
 */
public final class StartSystemLoad {
    private StartSystemLoad() {
    }

    public static void main(String[] args) {
        System.load(Path.of(args[0]).toAbsolutePath().toString());
    }
}
