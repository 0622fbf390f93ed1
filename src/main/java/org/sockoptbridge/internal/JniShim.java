package org.sockoptbridge.internal;

import java.lang.reflect.Field;
import java.util.Arrays;

/**
 * The bundled C shim, bound through JNI: every native is registered on this class by the
 * library's JNI_OnLoad (native/src/jni_binding.c), and this class alone decodes what the shim's
 * results pack together. The codes below mirror native/include/sockopt_bridge.h; {@link #checkAbi}
 * compares them with the loaded library's own copy, so a library and a jar from different builds
 * fail when loading, naming both versions.
 */
public final class JniShim implements NativeBackend {
    /** Must equal SOB_ABI_VERSION. */
    public static final int ABI_VERSION = 5;

    /** Status codes of capability() (enum sob_status). */
    public static final int STATUS_SUPPORTED = 0;
    public static final int STATUS_NOT_COMPILED = 1;
    public static final int STATUS_KERNEL_REJECTED = 2;
    public static final int STATUS_NO_IPV6 = 3;
    /** Portable codes of socketKind(). */
    public static final int FAMILY_UNIX = 1;
    public static final int FAMILY_INET = 4;
    public static final int FAMILY_INET6 = 6;
    public static final int TYPE_STREAM = 1;
    public static final int TYPE_DGRAM = 2;
    public static final int TYPE_OTHER = 3;
    /** A batch failure is -(index * BATCH_INDEX_UNIT + errno); at most BATCH_MAX options. */
    public static final int BATCH_INDEX_UNIT = 65536;
    public static final int BATCH_MAX = 16;
    /** Codes of fileKind() (enum sob_file_kind). */
    public static final int FILE_REGULAR = 1;
    public static final int FILE_DIRECTORY = 2;
    public static final int FILE_FIFO = 3;
    public static final int FILE_CHAR_DEVICE = 4;
    public static final int FILE_BLOCK_DEVICE = 5;
    public static final int FILE_SYMLINK = 6;
    public static final int FILE_SOCKET = 7;
    public static final int FILE_OTHER = 8;

    /** Indexes of tcpInfo()'s fields (SOB_TCPI_*), and how many there are. */
    public static final int TCPI_STATE = 0;
    public static final int TCPI_RETRANSMITS = 1;
    public static final int TCPI_PROBES = 2;
    public static final int TCPI_UNACKED = 3;
    public static final int TCPI_TOTAL_RETRANS = 4;
    public static final int TCPI_LAST_DATA_RECV = 5;
    public static final int TCPI_LAST_ACK_RECV = 6;
    public static final int TCPI_FIELDS = 7;

    /** The option ids of enum sob_option_id, after the public ones: SO_KEEPALIVE. */
    public static final int OPTION_SO_KEEPALIVE = 8;
    public static final int OPTION_COUNT = 9;
    /** Host-limit ids run 0..HOST_LIMIT_COUNT-1 (enum sob_host_limit_id; HostLimit.Kind has the same ordinals). */
    public static final int HOST_LIMIT_COUNT = 3;

    /** What jni_binding.c's abi_layout must hold, in its order. */
    static final int[] EXPECTED_LAYOUT = {
        ABI_VERSION, OPTION_COUNT,
        0, 1, 2, 3, 4, 5, 6, 7, OPTION_SO_KEEPALIVE,
        STATUS_SUPPORTED, STATUS_NOT_COMPILED, STATUS_KERNEL_REJECTED, STATUS_NO_IPV6,
        FAMILY_UNIX, FAMILY_INET, FAMILY_INET6, TYPE_STREAM, TYPE_DGRAM, TYPE_OTHER,
        BATCH_INDEX_UNIT, BATCH_MAX,
        FILE_REGULAR, FILE_DIRECTORY, FILE_FIFO, FILE_CHAR_DEVICE, FILE_BLOCK_DEVICE, FILE_SYMLINK,
        FILE_SOCKET, FILE_OTHER,
        0, 1, 2, HOST_LIMIT_COUNT,
        TCPI_STATE, TCPI_RETRANSMITS, TCPI_PROBES, TCPI_UNACKED, TCPI_TOTAL_RETRANS,
        TCPI_LAST_DATA_RECV, TCPI_LAST_ACK_RECV, TCPI_FIELDS,
    };

    /** The system property through which the loader tells JNI_OnLoad this class's (maybe relocated) name. */
    static final String CLASS_PROPERTY = "sockopt.bridge.jni.class";

    private static final JdkFieldReader FIELDS = new JdkFieldReader() {
        @Override
        public long fieldId(Field field, boolean wantInt) {
            return JniShim.fieldId(field, wantInt);
        }

        @Override
        public int readInt(long fieldId, Field field, Object target) {
            return JniShim.readInt(fieldId, field.getDeclaringClass(), target);
        }

        @Override
        public Object readObject(long fieldId, Field field, Object target) {
            return JniShim.readObject(fieldId, field.getDeclaringClass(), target);
        }

        @Override
        public int readStaticInt(Field field) {
            return JniShim.readStaticInt(field);
        }
    };

    JniShim() {
    }

    // ---- the natives, registered by JNI_OnLoad ----
    private static native int abiVersion();

    private static native String libraryVersion();

    private static native int[] abiLayout();

    private static native int optionLevel0(int id);

    private static native int optionName0(int id);

    private static native String optionSymbol0(int id);

    private static native int optionMin0(int id);

    private static native int optionMax0(int id);

    private static native int bufferReadbackFactor0();

    private static native String libcName0();

    private static native String libcVersion0();

    private static native int capability0(int id);

    private static native long defaultValue0(int id);

    private static native int ipv6Available0();

    private static native int setInt0(int fd, int id, int value);

    private static native long getInt0(int fd, int id);

    private static native int setBatch0(int fd, int[] ids, int[] values, int count);

    private static native int socketKind0(int fd);

    private static native long listenQueue0(int fd);

    private static native long hostLimit0(int id);

    private static native String hostLimitSetting0(int id);

    private static native int tcpInfo0(int fd, int[] out);

    private static native int fileKind0(int fd);

    private static native String errnoName0(int errno);

    private static native int errnoValue0(String name);

    private static native long fieldId(Field field, boolean wantInt);

    private static native int readInt(long fieldId, Class<?> owner, Object target);

    private static native Object readObject(long fieldId, Class<?> owner, Object target);

    private static native int readStaticInt(Field field);

    /** A library of this project, but from another build: its ABI or layout differs from this jar's. */
    static final class AbiMismatchError extends UnsatisfiedLinkError {
        private static final long serialVersionUID = 1L;

        AbiMismatchError(String message) {
            super(message);
        }
    }

    /**
     * Refuses a library from another build: its ABI version and every code this class decodes
     * must match. Called by the loader right after System.load.
     */
    static void checkAbi(String library) {
        int[] layout = abiLayout();
        if (abiVersion() != ABI_VERSION || !Arrays.equals(layout, EXPECTED_LAYOUT)) {
            String jarVersion = JniShim.class.getPackage().getImplementationVersion();
            throw new AbiMismatchError(library + " is sockopt-bridge " + libraryVersion() + " with ABI "
                    + abiVersion() + " and layout " + Arrays.toString(layout) + ", but this jar ("
                    + (jarVersion == null ? "development build" : jarVersion) + ") needs ABI " + ABI_VERSION
                    + " and layout " + Arrays.toString(EXPECTED_LAYOUT)
                    + ": the library and the jar come from different builds; use the library from this jar");
        }
    }

    @Override
    public String name() {
        return "shim";
    }

    @Override
    public int optionLevel(int optionId) {
        return optionLevel0(optionId);
    }

    @Override
    public int optionName(int optionId) {
        return optionName0(optionId);
    }

    @Override
    public String optionSymbol(int optionId) {
        return optionSymbol0(optionId);
    }

    @Override
    public int optionMin(int optionId) {
        return optionMin0(optionId);
    }

    @Override
    public int optionMax(int optionId) {
        return optionMax0(optionId);
    }

    @Override
    public int bufferReadbackFactor() {
        return bufferReadbackFactor0();
    }

    @Override
    public String libcName() {
        return libcName0();
    }

    @Override
    public String libcVersion() {
        return libcVersion0();
    }

    @Override
    public int capability(int optionId) {
        return capability0(optionId);
    }

    @Override
    public long defaultValue(int optionId) {
        return defaultValue0(optionId);
    }

    @Override
    public int ipv6Available() {
        return ipv6Available0();
    }

    @Override
    public int setInt(int fd, int optionId, int value) {
        return setInt0(fd, optionId, value);
    }

    @Override
    public long getInt(int fd, int optionId) {
        return getInt0(fd, optionId);
    }

    @Override
    public int setBatch(int fd, int[] optionIds, int[] values, int count) {
        return setBatch0(fd, optionIds, values, count);
    }

    @Override
    public int socketKind(int fd) {
        return socketKind0(fd);
    }

    @Override
    public long listenQueue(int fd) {
        return listenQueue0(fd);
    }

    @Override
    public long hostLimit(int limitId) {
        return hostLimit0(limitId);
    }

    @Override
    public String hostLimitSetting(int limitId) {
        return hostLimitSetting0(limitId);
    }

    @Override
    public int tcpInfo(int fd, int[] out) {
        return tcpInfo0(fd, out);
    }

    @Override
    public int fileKind(int fd) {
        return fileKind0(fd);
    }

    @Override
    public String errnoName(int errno) {
        return errnoName0(errno);
    }

    @Override
    public int errnoValue(String name) {
        return errnoValue0(name);
    }

    @Override
    public JdkFieldReader fieldReader() {
        return FIELDS;
    }

    // ---- decoding, the only place that knows the packed layouts ----

    public static int capabilityStatus(int capability) {
        return capability & 0xff;
    }

    public static int capabilityErrno(int capability) {
        return capability >>> 8;
    }

    public static int encodeCapability(int status, int errno) {
        return (errno << 8) | status;
    }

    public static int socketFamily(int kind) {
        return (kind >> 8) & 0xffff;
    }

    public static int socketType(int kind) {
        return kind & 0xff;
    }

    public static boolean socketBound(int kind) {
        return (kind >>> 24) != 0;
    }

    public static int encodeSocketKind(boolean bound, int family, int type) {
        return ((bound ? 1 : 0) << 24) | (family << 8) | type;
    }

    /** Connections waiting for accept() in a packed accept queue. */
    public static int queueLength(long queue) {
        return (int) (queue & 0xffffffffL);
    }

    /** The queue's limit, min(backlog, somaxconn) on Linux. */
    public static int queueLimit(long queue) {
        return (int) (queue >>> 32);
    }

    public static long encodeQueue(int length, int limit) {
        return ((long) limit << 32) | (length & 0xffffffffL);
    }

    /** The position (in the batch's own order) of the option that failed; count for the trailing SO_KEEPALIVE. */
    public static int batchFailedIndex(int rc) {
        return -rc / BATCH_INDEX_UNIT;
    }

    public static int batchErrno(int rc) {
        return -rc % BATCH_INDEX_UNIT;
    }

    public static int encodeBatchFailure(int index, int errno) {
        return -(index * BATCH_INDEX_UNIT + errno);
    }

    /** ": fstat says it is a pipe", or "" when the kind says nothing more than "not a socket". */
    public static String describeFileKind(int kind) {
        String what;
        switch (kind) {
            case FILE_REGULAR: what = "a regular file"; break;
            case FILE_DIRECTORY: what = "a directory"; break;
            case FILE_FIFO: what = "a pipe"; break;
            case FILE_CHAR_DEVICE: what = "a character device"; break;
            case FILE_BLOCK_DEVICE: what = "a block device"; break;
            case FILE_SYMLINK: what = "a symbolic link"; break;
            default: return "";
        }
        return ": fstat says it is " + what;
    }
}
