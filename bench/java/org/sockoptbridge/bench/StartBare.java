package org.sockoptbridge.bench;

/** Startup baseline: a JVM that starts, runs an empty main and exits. */
public final class StartBare {
    private StartBare() {
    }

    public static void main(String[] args) {
    }
}
