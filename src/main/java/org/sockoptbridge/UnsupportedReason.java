package org.sockoptbridge;

/** Why an option is unavailable. */
public enum UnsupportedReason {
    /** This OS's headers have no such option (for example OpenBSD's keep-alive timers). */
    NOT_COMPILED_ON_THIS_OS,
    /** The option exists in the headers, but the running kernel refused it on a probe socket. */
    KERNEL_REJECTED,
    /** An IPv6 option on a host where IPv6 sockets cannot be used (for example a container with IPv6 disabled). */
    NO_IPV6_ON_HOST,
    /** The bridge has no native library for this os-arch, or it failed to load. */
    NO_NATIVE_LIBRARY
}
