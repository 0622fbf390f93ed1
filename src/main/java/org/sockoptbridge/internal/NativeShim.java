package org.sockoptbridge.internal;

import jnr.ffi.annotations.In;

/**
 * The shim's C interface (native/include/sockopt_bridge.h), bound by jnr-ffi. Primitive
 * parameters and results only on the per-call path: out-parameters cost 70..150 ns per call.
 * Errors come back as -errno, so the library is loaded with errno saving switched off.
 */
public interface NativeShim {
    int sob_abi_version();

    int sob_option_count();

    int sob_option_level(int optionId);

    int sob_option_name(int optionId);

    String sob_option_symbol(int optionId);

    int sob_option_min(int optionId);

    int sob_option_max(int optionId);

    int sob_buffer_readback_factor();

    String sob_libc_name();

    String sob_libc_version();

    int sob_capability(int optionId);

    int sob_ipv6_available();

    long sob_default_value(int optionId);

    int sob_set_int(int fd, int optionId, int value);

    long sob_get_int(int fd, int optionId);

    int sob_set_batch(int fd, @In int[] optionIds, @In int[] values, int count);

    int sob_socket_kind(int fd);

    long sob_listen_queue(int fd);

    /** Must equal SOB_ABI_VERSION in sockopt_bridge.h. */
    int ABI_VERSION = 1;
    /** Status codes of sob_capability (enum sob_status). */
    int STATUS_SUPPORTED = 0;
    int STATUS_NOT_COMPILED = 1;
    int STATUS_KERNEL_REJECTED = 2;
    int STATUS_NO_IPV6 = 3;
    /** The portable codes of sob_socket_kind. */
    int FAMILY_UNIX = 1;
    int FAMILY_INET = 4;
    int FAMILY_INET6 = 6;
    int TYPE_STREAM = 1;
    int TYPE_DGRAM = 2;
}
