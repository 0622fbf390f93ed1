package org.sockoptbridge;

/**
 * The bridge has no working native library here; the cause lists every loading attempt. Servers
 * meet this in {@link SockoptBridge#requireSupport} first, as a missing capability per option.
 */
public final class NativeLibraryUnavailableException extends SockoptException {
    private static final long serialVersionUID = 1L;

    NativeLibraryUnavailableException(RuntimeException loaderFailure) {
        super(null, null, 0, loaderFailure.getMessage(), loaderFailure);
    }
}
