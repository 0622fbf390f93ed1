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
    /**
     * The name of the {@link System.Logger} the bridge logs to. It logs once per JVM, only where
     * it departs from its default path (see the package documentation); configure this name to
     * see or silence those records, e.g. with java.util.logging: {@code org.sockoptbridge.level = FINE}.
     */
    public static final String LOGGER_NAME = "org.sockoptbridge";

    private SockoptBridge() {
    }

    /** {@return what this platform, kernel and host support} Never throws. */
    public static Capabilities capabilities() {
        return OptionTable.INSTANCE.capabilities;
    }

    /**
     * The startup check: throws one exception listing every required option that is missing here,
     * each with its reason (not on this OS, rejected by the kernel, no IPv6, no native library).
     *
     * @param required the options the server depends on
     * @throws MissingCapabilitiesException listing every missing option with its reason
     */
    public static void requireSupport(OptionName... required) {
        requireSupport(Arrays.asList(required));
    }

    /**
     * The startup check for a collection of options.
     *
     * @param required the options the server depends on
     * @throws MissingCapabilitiesException listing every missing option with its reason
     * @see #requireSupport(OptionName...)
     */
    public static void requireSupport(Collection<OptionName> required) {
        List<OptionSupport> missing = capabilities().missing(required);
        if (!missing.isEmpty()) {
            throw new MissingCapabilitiesException(missing, capabilities().backend());
        }
    }

    /**
     * This platform's constants for an option.
     *
     * @param option the option
     * @return its (level, name) as the shim's table has it; null without a native library
     */
    public static NativeConstant nativeConstant(OptionName option) {
        NativeBackend backend = OptionTable.INSTANCE.backend;
        if (backend == null) {
            return null;
        }
        int id = option.nativeId();
        return new NativeConstant(backend.optionSymbol(id), backend.optionLevel(id), backend.optionName(id));
    }

    /**
     * The range this platform accepts for an option.
     *
     * @param option the option
     * @return the range in its native unit (seconds, bytes, 0/1); null without a native library
     */
    public static ValueRange range(OptionName option) {
        return OptionTable.INSTANCE.range(option);
    }

    /** {@return the C library this process runs with (the loaded library's version); null without a native library} */
    public static Libc libc() {
        NativeBackend backend = OptionTable.INSTANCE.backend;
        return backend == null ? null : new Libc(backend.libcName(), backend.libcVersion());
    }

    /**
     * The range this platform accepts for an option, as text.
     *
     * @param option the option
     * @return the range for messages and probes ("1..32767 seconds")
     */
    public static String validRange(OptionName option) {
        return OptionTable.INSTANCE.rangeText(option);
    }
}
