package org.sockoptbridge;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.sockoptbridge.internal.NativeBackend;

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

    /** What this platform, kernel and host support. Never throws. */
    public static Capabilities capabilities() {
        return OptionTable.INSTANCE.capabilities;
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
            throw new MissingCapabilitiesException(missing, capabilities().backend());
        }
    }

    /** This platform's (level, name) for an option, as the shim's table has it; null without a native library. */
    public static NativeConstant nativeConstant(OptionName option) {
        NativeBackend backend = OptionTable.INSTANCE.backend;
        if (backend == null) {
            return null;
        }
        int id = option.nativeId();
        return new NativeConstant(backend.optionSymbol(id), backend.optionLevel(id), backend.optionName(id));
    }

    /** The range this platform accepts for an option, in its native unit (seconds, bytes, 0/1); null without a native library. */
    public static ValueRange range(OptionName option) {
        return OptionTable.INSTANCE.range(option);
    }

    /** The C library this process runs with (the loaded library's version); null without a native library. */
    public static Libc libc() {
        NativeBackend backend = OptionTable.INSTANCE.backend;
        return backend == null ? null : new Libc(backend.libcName(), backend.libcVersion());
    }

    /** The range this platform accepts for an option, for messages and probes ("1..32767 seconds"). */
    public static String validRange(OptionName option) {
        return OptionTable.INSTANCE.rangeText(option);
    }
}
