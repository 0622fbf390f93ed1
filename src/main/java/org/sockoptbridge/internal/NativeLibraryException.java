package org.sockoptbridge.internal;

import java.util.List;

/**
 * The shim could not be loaded. The message lists every attempt with its cause, the detected
 * platform, and what to do; the causes are attached as suppressed exceptions.
 */
public final class NativeLibraryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String summary;

    NativeLibraryException(Platform platform, List<String> attempts) {
        super(compose(platform, attempts));
        this.summary = "tried " + String.join("; ", attempts) + " (see the exception message for what to do)";
    }

    /** The attempts on one line, for a probe's reason field. */
    public String summary() {
        return summary;
    }

    private static String compose(Platform platform, List<String> attempts) {
        StringBuilder message = new StringBuilder("sockopt-bridge could not load its native library for ")
                .append(platform.description()).append(". Attempts:");
        for (int i = 0; i < attempts.size(); i++) {
            message.append("\n  ").append(i + 1).append(". ").append(attempts.get(i));
        }
        message.append("\nThis jar carries shims for: ").append(NativeLoader.bundledText())
                .append(platform.libc().isEmpty() ? "" : " (libc " + platform.libc() + ": " + platform.libcEvidence() + ")");
        message.append("\nWhat to do: use a jar built for ").append(platform.nativeName())
                .append(" (build the natives on that platform: see README, \"Building the natives\"),")
                .append(" or point -D").append(NativeLoader.LIBRARY_PROPERTY)
                .append(" at a ").append(platform.libraryFileName()).append(" built for it;")
                .append(" if the extraction directory was refused as unsafe or is mounted noexec, set -D")
                .append(NativeLoader.TMPDIR_PROPERTY)
                .append(" to a directory only this user can write, on a file system that allows execution.");
        return message.toString();
    }
}
