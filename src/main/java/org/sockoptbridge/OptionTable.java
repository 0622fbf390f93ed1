package org.sockoptbridge;

import java.util.EnumMap;
import java.util.Map;

import org.sockoptbridge.internal.JniShim;
import org.sockoptbridge.internal.NativeBackend;
import org.sockoptbridge.internal.NativeLoader;
import org.sockoptbridge.internal.Platform;
import org.sockoptbridge.internal.os.PlatformFacts;

/**
 * The option table of this platform, built once from the loaded backend: for every option whether
 * it works here and why not, the range its kernel accepts, and the validation every setter runs.
 * The per-call path reads only final arrays, so a valid set costs two array reads before its
 * system call.
 */
final class OptionTable {
    private static final int OPTIONS = OptionName.values().length;
    // After OPTIONS: static fields initialise in order, and the constructor sizes its arrays with it.
    static final OptionTable INSTANCE = new OptionTable(NativeLoader.result());

    /** The backend, or null when none loaded (then every option is unsupported with the loader's reason). */
    final NativeBackend backend;
    final Capabilities capabilities;
    final int bufferReadbackFactor;
    private final int[] min = new int[OPTIONS];
    private final int[] max = new int[OPTIONS];
    private final boolean[] supported = new boolean[OPTIONS];
    private final NativeLoader.Result loaded;

    private OptionTable(NativeLoader.Result loaded) {
        this.loaded = loaded;
        Map<OptionName, OptionSupport> support = new EnumMap<>(OptionName.class);
        if (!loaded.loaded()) {
            backend = null;
            bufferReadbackFactor = 1;
            String summary = loaded.failure().summary();
            for (OptionName option : OptionName.values()) {
                support.put(option, new OptionSupport(option, false, UnsupportedReason.NO_NATIVE_LIBRARY, 0,
                        null, summary, null));
            }
            capabilities = new Capabilities(support, false, loaded.failure().getMessage(), null);
            return;
        }
        backend = loaded.backend();
        bufferReadbackFactor = backend.bufferReadbackFactor();
        for (OptionName option : OptionName.values()) {
            int id = option.nativeId();
            min[id] = backend.optionMin(id);
            max[id] = backend.optionMax(id);
            long defaultValue = backend.defaultValue(id);
            OptionSupport probed = support(option, backend.capability(id), backend.optionSymbol(id),
                    defaultValue < 0 ? null : defaultValue, backend.unsupportedDetail(id));
            support.put(option, probed);
            supported[id] = probed.supported();
        }
        capabilities = new Capabilities(support, backend.ipv6Available() > 0, loaded.source(), backend.name());
    }

    private static OptionSupport support(OptionName option, int capability, String symbol, Long defaultValue,
                                         String detail) {
        int errno = JniShim.capabilityErrno(capability);
        switch (JniShim.capabilityStatus(capability)) {
            case JniShim.STATUS_SUPPORTED:
                return new OptionSupport(option, true, null, 0, symbol, null, defaultValue);
            case JniShim.STATUS_NOT_COMPILED:
                // An OS that lacks the option by design says why (and what it has instead); otherwise
                // the portable backend names the constant jnr-constants lacks, and what to do.
                String byDesign = PlatformFacts.current().missingOptionReason(option);
                return new OptionSupport(option, false, UnsupportedReason.NOT_COMPILED_ON_THIS_OS, 0, null,
                        byDesign != null ? byDesign : detail, null);
            case JniShim.STATUS_NO_IPV6:
                return new OptionSupport(option, false, UnsupportedReason.NO_IPV6_ON_HOST, errno, symbol, null, null);
            default:
                return new OptionSupport(option, false, UnsupportedReason.KERNEL_REJECTED, errno, symbol, null, null);
        }
    }

    boolean loaded() {
        return backend != null;
    }

    void requireLoaded() {
        if (backend == null) {
            throw new NativeLibraryUnavailableException(loaded.failure());
        }
    }

    boolean isSupported(int id) {
        return supported[id];
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

    /** Supported and in range, or the typed error that says which (off the hot path). */
    void validate(OptionName option, int nativeValue, String value) {
        requireSupported(option, value);
        int id = option.nativeId();
        if (nativeValue < min[id] || nativeValue > max[id]) {
            throw new InvalidOptionValueException(option, value, "out of range: "
                    + Platform.current().osArch() + " accepts " + rangeText(option));
        }
    }

    ValueRange range(OptionName option) {
        int id = option.nativeId();
        return backend == null ? null : new ValueRange(min[id], max[id], rangeText(option));
    }

    String rangeText(OptionName option) {
        if (backend == null) {
            return "unknown (no native library)";
        }
        if (option.unit() == OptionName.Unit.FLAG) {
            return "true or false";
        }
        int id = option.nativeId();
        return min[id] + ".." + max[id] + option.unit().suffix();
    }
}
