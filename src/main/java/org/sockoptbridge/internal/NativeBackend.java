package org.sockoptbridge.internal;

import java.lang.reflect.Field;

/**
 * The shim's contract (native/include/sockopt_bridge.h), as the rest of the bridge calls it. Two
 * implementations: {@link JniShim}, the bundled C shim bound through JNI, and the portable
 * backend, which implements the same contract over libc through jnr-ffi where no shim is bundled.
 * Results use the shim's encodings (negative errno, packed codes); {@link JniShim}'s static
 * methods are the only place that decodes them.
 */
public interface NativeBackend {
    /** "shim" or "portable", as the probe reports it. */
    String name();

    int optionLevel(int optionId);

    int optionName(int optionId);

    /** The platform constant's spelling, such as "TCP_KEEPALIVE" on macOS; "" when not compiled. */
    String optionSymbol(int optionId);

    int optionMin(int optionId);

    int optionMax(int optionId);

    /**
     * Why a not-compiled option is absent, when the backend knows more than "this OS's headers
     * have no such option" (the portable backend: "no such constant in jnr-constants"); else null.
     */
    default String unsupportedDetail(int optionId) {
        return null;
    }

    /** How much larger a buffer size reads back than it was set: 2 on Linux, 1 elsewhere. */
    int bufferReadbackFactor();

    String libcName();

    /** The loaded libc's version, or null where the libc does not report one. */
    String libcVersion();

    /** (errno << 8) | status; see {@link JniShim#capabilityStatus}. */
    int capability(int optionId);

    /** The option's value on a fresh socket, zero-extended, or -errno. */
    long defaultValue(int optionId);

    /** 1 when an AF_INET6 socket can bind ::1, else -errno. */
    int ipv6Available();

    /** 0 or -errno. */
    int setInt(int fd, int optionId, int value);

    /** The value zero-extended, or -errno. */
    long getInt(int fd, int optionId);

    /** 0, or a batch failure; see {@link JniShim#batchFailedIndex}. */
    int setBatch(int fd, int[] optionIds, int[] values, int count);

    /** Packed socket kind or -errno; see {@link JniShim#socketKind}. */
    int socketKind(int fd);

    /** Packed accept queue or -errno; see {@link JniShim#queueLength}. */
    long listenQueue(int fd);

    /**
     * A host-wide limit (enum sob_host_limit_id: accept-queue cap, receive and send buffer caps)
     * read from the kernel now: its value, or -errno (EOPNOTSUPP where this OS has no setting the
     * backend knows, ENOENT where the running kernel lacks it).
     */
    long hostLimit(int limitId);

    /** The setting that holds a host limit on this OS ("net.core.somaxconn"), or null where none is known. */
    String hostLimitSetting(int limitId);

    /**
     * A TCP connection's state and counters from Linux TCP_INFO into {@code out} (at least
     * {@link JniShim#TCPI_FIELDS} elements, indexed by the {@code TCPI_} constants, each an
     * unsigned 32-bit value): 0, or -errno (EOPNOTSUPP where the platform cannot tell).
     */
    int tcpInfo(int fd, int[] out);

    /** A sob_file_kind code or -errno; see {@link JniShim#describeFileKind}. */
    int fileKind(int fd);

    /** "ENOPROTOOPT" for this platform's value, or null if unknown. */
    String errnoName(int errno);

    /** This platform's value of an errno name, or -1 if it has none. */
    int errnoValue(String name);

    /** Reads private fields of JDK objects (where each socket keeps its fd and close lock). */
    JdkFieldReader fieldReader();

    /** Reads fields located with core reflection; a wrong guess throws, never crashes. */
    interface JdkFieldReader {
        /** A handle for an instance field of the given kind (int or reference). */
        long fieldId(Field field, boolean wantInt);

        int readInt(long fieldId, Field field, Object target);

        Object readObject(long fieldId, Field field, Object target);

        int readStaticInt(Field field);
    }
}
