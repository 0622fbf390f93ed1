package org.sockoptbridge.internal;

import java.util.Locale;

/**
 * Which backend the bridge may use, and the portable one's construction. Kept apart from
 * {@link NativeLoader} so that the loader decides only when to ask: this class names no jnr type,
 * so jnr-ffi, jffi and jnr-constants load only when {@link #portable} is called.
 *
 * <p>{@value #PROPERTY}: {@code auto} (the default: the shim, and the portable backend where no
 * shim loads), {@code shim} (never fall back: a missing shim stays an error, for deployments that
 * want only the C code they built and tested), {@code portable} (skip the shim: to test the
 * portable backend, or where loading a bundled library is not wanted).
 */
public final class Backends {
    public static final String PROPERTY = "sockopt.bridge.backend";

    /** The values of {@value #PROPERTY}. */
    public enum Mode { AUTO, SHIM, PORTABLE }

    private Backends() {
    }

    /**
     * The chosen mode. A value other than auto, shim or portable throws IllegalArgumentException
     * rather than falling back silently: a typo in "shim" must not turn on jnr.
     */
    public static Mode mode() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return Mode.AUTO;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "auto":
                return Mode.AUTO;
            case "shim":
                return Mode.SHIM;
            case "portable":
                return Mode.PORTABLE;
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + value
                        + " is not one of auto (default), shim, portable");
        }
    }

    /** True unless -D{@value #PROPERTY}=shim. */
    public static boolean fallbackAllowed() {
        return mode() == Mode.AUTO;
    }

    /** True for -D{@value #PROPERTY}=portable. */
    public static boolean portableForced() {
        return mode() == Mode.PORTABLE;
    }

    /** The portable backend could not be built; the message says why, the cause is attached. */
    public static final class PortableBackendUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortableBackendUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Builds the portable backend (jnr-ffi over libc, constants from jnr-constants), loading jnr
     * now. whyNoShim is why the shim is not used (the loader's failure summary, or "skipped:
     * -Dsockopt.bridge.backend=portable"); it is kept for the probe's report.
     *
     * @throws PortableBackendUnavailableException where jnr cannot bind libc (jffi has no native
     *         stub for this os-arch, such as musl Linux) or this platform's constants are missing
     */
    public static NativeBackend portable(String whyNoShim) {
        try {
            return PortableBackend.create(whyNoShim);
        } catch (RuntimeException | LinkageError e) {
            throw new PortableBackendUnavailableException("the portable backend (jnr-ffi over libc) is unavailable on "
                    + Platform.current().description() + ": " + e, e);
        }
    }
}
