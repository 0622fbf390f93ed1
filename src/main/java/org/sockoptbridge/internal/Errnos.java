package org.sockoptbridge.internal;

import jnr.constants.platform.Errno;

/**
 * Symbolic errno names for messages. jnr-constants carries per-platform tables generated from
 * each OS's headers, so a Linux 92 and a macOS 42 both read ENOPROTOOPT.
 */
public final class Errnos {
    private Errnos() {
    }

    public static String name(int errno) {
        Errno known = Errno.valueOf(errno);
        if (known != null && known.defined() && known != Errno.__UNKNOWN_CONSTANT__) {
            return known.name();
        }
        return "errno " + errno;
    }

    /** True when errno is the platform's value of {@code constant}. */
    public static boolean is(int errno, Errno constant) {
        return constant.defined() && constant.intValue() == errno;
    }
}
