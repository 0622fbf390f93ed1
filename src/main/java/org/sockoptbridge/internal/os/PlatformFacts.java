package org.sockoptbridge.internal.os;

import org.sockoptbridge.HostLimit;
import org.sockoptbridge.OptionName;
import org.sockoptbridge.internal.Platform;

/**
 * What one operating system does differently with the bridged options, as sentences for messages,
 * the probe and the docs: one subclass per OS, chosen once at load. The numbers (levels, names,
 * ranges, the buffer read-back factor) and the settings that hold the host's limits are the
 * shim's (native/src/options.c, host_limits.c); these are the rules behind them, each with its
 * source, worded around the limits as read ({@link HostLimit}, known or unknown). Where nobody
 * here has checked an OS, the text says so.
 */
public abstract class PlatformFacts {
    private static final PlatformFacts CURRENT = forOs(Platform.current().osArch());

    /** The facts of the OS this JVM runs on. */
    public static PlatformFacts current() {
        return CURRENT;
    }

    /** The facts of a named OS ("macos-aarch64"): for the docs and the tests that word another OS. */
    public static PlatformFacts forOs(String osArch) {
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

    /**
     * What the kernel does with a buffer size request, with its source.
     *
     * @param cap the host's cap on this buffer ({@link HostLimit.Kind#bufferMaxOf}), known or unknown
     */
    public abstract String bufferRule(OptionName option, HostLimit cap);

    /**
     * The errno this OS answers a buffer request above the host's cap with ("ENOBUFS"), or null
     * where it cuts the request down instead of refusing it.
     */
    public abstract String oversizedBufferErrno();

    /** What listen() does with the backlog against the host's cap, with the source. */
    public abstract String acceptQueueRule(HostLimit cap);

    /** Where a listener's live accept queue is read from here, or why it is not. */
    public abstract String acceptQueueSource();

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

    /** "net.core.rmem_max (4194304 here)", or what is known of a cap that could not be read. */
    static String capText(HostLimit cap) {
        if (cap.isKnown()) {
            return cap.setting() + " (" + cap.value() + " here)";
        }
        return (cap.setting() == null ? "the host's cap" : cap.setting()) + " (unknown here: " + cap.unknownReason() + ")";
    }

    /** One sentence: the option's meaning plus what this OS adds, with the host's cap as read now. */
    public final String describe(OptionName option) {
        String note = optionNote(option);
        String setting = defaultSetting(option);
        return option.meaning() + (option.unit() == OptionName.Unit.BYTES
                        ? "; " + bufferRule(option, HostLimit.read(HostLimit.Kind.bufferMaxOf(option))) : "")
                + (option.beforeBindOnly() ? "; set it before bind()" : "")
                + (note.isEmpty() ? "" : "; " + note)
                + (setting == null ? "" : "; a fresh socket starts with " + setting);
    }
}
