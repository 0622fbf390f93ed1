package org.sockoptbridge;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.sockoptbridge.internal.NativeLoader;
import org.sockoptbridge.internal.JniShim;
import org.sockoptbridge.internal.NativeBackend;
import org.sockoptbridge.internal.Platform;

/**
 * Entry point: what this platform supports, and the fail-fast startup check.
 *
 * <pre>{@code
 * SockoptBridge.requireSupport(OptionName.TCP_KEEPIDLE, OptionName.IPV6_V6ONLY); // at startup
 * SocketControl.of(serverChannel).set(SockOpt.IPV6_V6ONLY, true);                // before bind
 * }</pre>
 */
public final class SockoptBridge {
    private SockoptBridge() {
    }

    /** Loaded once: the shim, the platform's value ranges and the capability report. */
    static final class Runtime {
        static final Runtime INSTANCE = new Runtime();

        final NativeBackend backend;
        final Capabilities capabilities;
        final int[] min = new int[OptionName.values().length];
        final int[] max = new int[OptionName.values().length];
        final boolean[] supported = new boolean[OptionName.values().length];
        final int bufferReadbackFactor;

        private Runtime() {
            NativeLoader.Result loaded = NativeLoader.result();
            Map<OptionName, OptionSupport> support = new EnumMap<>(OptionName.class);
            if (!loaded.loaded()) {
                backend = null;
                bufferReadbackFactor = 1;
                String why = loaded.failure().getMessage();
                String summary = loaded.failure().summary();
                for (OptionName option : OptionName.values()) {
                    support.put(option, new OptionSupport(option, false, UnsupportedReason.NO_NATIVE_LIBRARY, 0,
                            null, summary, null));
                }
                capabilities = new Capabilities(support, false, why);
                return;
            }
            backend = loaded.backend();
            bufferReadbackFactor = backend.bufferReadbackFactor();
            for (OptionName option : OptionName.values()) {
                int id = option.nativeId();
                min[id] = backend.optionMin(id);
                max[id] = backend.optionMax(id);
                long defaultValue = backend.defaultValue(id);
                support.put(option, support(option, backend.capability(id), backend.optionSymbol(id),
                        defaultValue < 0 ? null : defaultValue, backend.unsupportedDetail(id)));
                supported[id] = support.get(option).supported();
            }
            capabilities = new Capabilities(support, backend.ipv6Available() > 0, loaded.source());
        }

        private static OptionSupport support(OptionName option, int capability, String symbol, Long defaultValue,
                                             String detail) {
            int status = JniShim.capabilityStatus(capability);
            int errno = JniShim.capabilityErrno(capability);
            switch (status) {
                case JniShim.STATUS_SUPPORTED:
                    return new OptionSupport(option, true, null, 0, symbol, null, defaultValue);
                case JniShim.STATUS_NOT_COMPILED:
                    // detail: the portable backend says which constant jnr-constants lacks, and what to do
                    return new OptionSupport(option, false, UnsupportedReason.NOT_COMPILED_ON_THIS_OS, 0, null, detail, null);
                case JniShim.STATUS_NO_IPV6:
                    return new OptionSupport(option, false, UnsupportedReason.NO_IPV6_ON_HOST, errno, symbol, null, null);
                default:
                    return new OptionSupport(option, false, UnsupportedReason.KERNEL_REJECTED, errno, symbol, null, null);
            }
        }

        void requireLoaded() {
            if (backend == null) {
                throw new NativeLibraryUnavailableException(NativeLoader.result().failure());
            }
        }

        /** Throws the typed reason unless the option is supported here. */
        void requireSupported(OptionName option, String value) {
            OptionSupport support = capabilities.of(option);
            if (!support.supported()) {
                throw new UnsupportedOptionException(support, value);
            }
        }

        /** The per-call fast path: supported here and inside this platform's range. */
        boolean acceptsWithoutCheck(int id, int nativeValue) {
            return supported[id] && nativeValue >= min[id] && nativeValue <= max[id];
        }

        void checkRange(OptionName option, int nativeValue, String value) {
            int id = option.nativeId();
            if (nativeValue < min[id] || nativeValue > max[id]) {
                throw new InvalidOptionValueException(option, value, "out of range: "
                        + Platform.current().osArch() + " accepts " + rangeText(option));
            }
        }

        String rangeText(OptionName option) {
            int id = option.nativeId();
            SockOpt<?> key = SockOpt.of(option);
            if (key.type() == Boolean.class) {
                return "true or false";
            }
            String unit = key.type() == java.time.Duration.class ? " seconds" : option.isBufferSize() ? " bytes" : "";
            return min[id] + ".." + max[id] + unit;
        }
    }

    /** What this platform, kernel and host support. Never throws. */
    public static Capabilities capabilities() {
        return Runtime.INSTANCE.capabilities;
    }

    /**
     * The startup check: throws one exception listing every required option that is missing here,
     * each with its reason (not on this OS, rejected by the kernel, no IPv6, no native library).
     */
    public static void requireSupport(OptionName... required) {
        requireSupport(Arrays.asList(required));
    }

    /** @see #requireSupport(OptionName...) */
    public static void requireSupport(Collection<OptionName> required) {
        List<OptionSupport> missing = capabilities().missing(required);
        if (!missing.isEmpty()) {
            throw new MissingCapabilitiesException(missing);
        }
    }

    /** This platform's (level, name) for an option, as the shim's table has it; null without a native library. */
    public static NativeConstant nativeConstant(OptionName option) {
        NativeBackend backend = Runtime.INSTANCE.backend;
        if (backend == null) {
            return null;
        }
        int id = option.nativeId();
        return new NativeConstant(backend.optionSymbol(id), backend.optionLevel(id), backend.optionName(id));
    }

    /** The range this platform accepts for an option, in its native unit (seconds, bytes, 0/1); null without a native library. */
    public static ValueRange range(OptionName option) {
        Runtime runtime = Runtime.INSTANCE;
        if (runtime.backend == null) {
            return null;
        }
        int id = option.nativeId();
        return new ValueRange(runtime.min[id], runtime.max[id], runtime.rangeText(option));
    }

    /** The C library this process runs with (the loaded library's version); null without a native library. */
    public static Libc libc() {
        NativeBackend backend = Runtime.INSTANCE.backend;
        return backend == null ? null : new Libc(backend.libcName(), backend.libcVersion());
    }

    /** The range this platform accepts for an option, for messages and probes ("1..32767 seconds"). */
    public static String validRange(OptionName option) {
        return Runtime.INSTANCE.backend == null ? "unknown (no native library)" : Runtime.INSTANCE.rangeText(option);
    }
}
