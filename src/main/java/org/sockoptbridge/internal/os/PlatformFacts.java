package org.sockoptbridge.internal.os;

import org.sockoptbridge.OptionName;
import org.sockoptbridge.internal.Platform;

/**
 * What one operating system does differently with the bridged options, as sentences for messages,
 * the probe and the docs: one subclass per OS, chosen once at load. The numbers (levels, names,
 * ranges, the buffer read-back factor) are the shim's, from the OS headers; these are the rules
 * behind them, each with its source. Where nobody here has checked an OS, the text says so.
 */
public abstract class PlatformFacts {
    private static final PlatformFacts CURRENT = forOs(Platform.current().osArch());

    /** The facts of the OS this JVM runs on. */
    public static PlatformFacts current() {
        return CURRENT;
    }

    static PlatformFacts forOs(String osArch) {
        if (osArch.startsWith("linux-")) {
            return new LinuxFacts();
        }
        if (osArch.startsWith("macos-")) {
            return new MacosFacts();
        }
        if (osArch.startsWith("freebsd-") || osArch.startsWith("openbsd-") || osArch.startsWith("netbsd-")
                || osArch.startsWith("dragonfly-")) {
            return new BsdFacts(osArch.substring(0, osArch.indexOf('-')));
        }
        return new UnknownOsFacts();
    }

    /** The host setting that holds a fresh socket's default ("net.ipv4.tcp_keepalive_time"), or null. */
    public abstract String defaultSetting(OptionName option);

    /** The host maximum a buffer request is clamped to ("net.core.rmem_max"), or null where unknown. */
    public abstract String bufferCap(OptionName option);

    /** What the kernel does with a buffer size request, with its source. */
    public abstract String bufferRule(OptionName option);

    /** Why IPV6_V6ONLY cannot change once the socket has a local port, with the source. */
    public abstract String v6OnlyAfterBindRule();

    /** What this OS adds to an option's meaning (spelling, semantics), or "". */
    public abstract String optionNote(OptionName option);

    /** How the JDK's own view of an option differs from the kernel's here, or null when it does not. */
    public abstract String jdkDifference(OptionName option);

    /**
     * Why this OS lacks an option by design, naming what it has instead and why that is not
     * mapped ("macOS has no TCP_USER_TIMEOUT; its TCP_RXT_CONNDROPTIME ..."), or null: then the
     * backend's own reason stands.
     */
    public abstract String missingOptionReason(OptionName option);

    /** One sentence: the option's meaning plus what this OS adds. */
    public final String describe(OptionName option) {
        String note = optionNote(option);
        String setting = defaultSetting(option);
        return option.meaning() + (option.unit() == OptionName.Unit.BYTES ? "; " + bufferRule(option) : "")
                + (option.beforeBindOnly() ? "; set it before bind()" : "")
                + (note.isEmpty() ? "" : "; " + note)
                + (setting == null ? "" : "; a fresh socket starts with " + setting);
    }
}
