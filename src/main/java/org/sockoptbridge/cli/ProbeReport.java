package org.sockoptbridge.cli;

import java.io.IOException;
import java.net.SocketOption;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import org.sockoptbridge.AcceptedSocketPolicy;
import org.sockoptbridge.Capabilities;
import org.sockoptbridge.HostLimit;
import org.sockoptbridge.Libc;
import org.sockoptbridge.ListenCounters;
import org.sockoptbridge.NativeConstant;
import org.sockoptbridge.OptionName;
import org.sockoptbridge.OptionSupport;
import org.sockoptbridge.SockoptBridge;
import org.sockoptbridge.ValueRange;
import org.sockoptbridge.internal.Errnos;
import org.sockoptbridge.internal.Platform;
import org.sockoptbridge.internal.ProcFiles;
import org.sockoptbridge.internal.os.PlatformFacts;

/**
 * What {@code probe} reports, as plain maps and lists in a fixed order, so that the text and the
 * JSON renderings show the same facts. The JSON schema is documented in README.md; any change to
 * a key's meaning needs a new {@link #SCHEMA} version.
 */
final class ProbeReport {
    static final String SCHEMA = "sockopt-bridge.probe/1";

    /**
     * Linux settings that decide what the options really do, under their own names: the JSON's
     * {@code limits} always has these keys (null where the host has no such setting), and gains the
     * settings of {@code hostLimits} under their own names on other OSes.
     */
    static final List<String> LIMITS = List.of("net.core.somaxconn", "net.ipv4.tcp_max_syn_backlog",
            "net.core.rmem_max", "net.core.wmem_max", "net.ipv6.bindv6only", "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_retries2");

    private ProbeReport() {
    }

    static Map<String, Object> collect() {
        // First what needs no bridge (the JDK's own options, procfs): Main loads the bridge on
        // another thread, so this runs while it loads instead of after.
        Map<String, SocketOption<?>> jdkOptions = jdkSupportedOptions();
        Map<String, Object> limits = limits();
        Map<String, Object> counters = counters();
        Capabilities capabilities = SockoptBridge.capabilities();
        Set<OptionName> inherited = inheritedOptions();

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("schema", SCHEMA);
        report.put("platform", platform(capabilities));
        // null (unknown) rather than false: without the native library nothing was probed.
        report.put("backend", capabilities.backend());
        report.put("ipv6", capabilities.nativeLibraryLoaded() ? capabilities.ipv6Available() : null);
        List<Object> options = new ArrayList<>();
        for (OptionName option : OptionName.values()) {
            options.add(option(capabilities.of(option), inherited, jdkOptions));
        }
        report.put("options", options);
        List<HostLimit> hostLimits = new ArrayList<>();
        for (HostLimit.Kind kind : HostLimit.Kind.values()) {
            hostLimits.add(HostLimit.read(kind));
        }
        report.put("hostLimits", hostLimits(hostLimits, PlatformFacts.current()));
        addHostLimitSettings(limits, hostLimits);
        report.put("limits", limits);
        report.put("counters", counters);
        Map<String, Object> inheritance = new LinkedHashMap<>();
        inheritance.put("detected", inherited != null);
        inheritance.put("inheritedOptions", inherited == null ? null : names(inherited));
        inheritance.put("meaning", inherited == null ? "could not be detected (no native library)"
                : "options set on a listening socket that accepted sockets start with: set them once on the "
                        + "listener (AcceptedSocketPolicy does) and accepting costs no extra syscall");
        report.put("inheritance", inheritance);
        return report;
    }

    private static Map<String, Object> platform(Capabilities capabilities) {
        Platform platform = Platform.current();
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("os", System.getProperty("os.name", "unknown").toLowerCase(java.util.Locale.ROOT));
        map.put("kernel", System.getProperty("os.version")); // uname -r on Linux and the BSDs
        map.put("arch", System.getProperty("os.arch"));
        map.put("osArch", platform.osArch());
        Libc libc = SockoptBridge.libc();
        map.put("libc", libc == null ? null : libc.name());
        map.put("libcVersion", libc == null ? null : libc.version());
        map.put("javaVendor", System.getProperty("java.vendor"));
        map.put("javaVersion", System.getProperty("java.version"));
        map.put("javaHome", System.getProperty("java.home"));
        map.put("nativeLibrary", capabilities.nativeLibrary());
        return map;
    }

    private static Map<String, Object> option(OptionSupport support, Set<OptionName> inherited,
                                              Map<String, SocketOption<?>> jdkOptions) {
        OptionName option = support.option();
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", option.name());
        map.put("supported", support.supported());
        map.put("reason", support.supported() ? null : support.explanation());
        map.put("reasonCode", support.reason() == null ? null : support.reason().name());
        map.put("errno", support.errno() == 0 ? null : Errnos.name(support.errno()));
        NativeConstant constant = SockoptBridge.nativeConstant(option);
        boolean compiled = constant != null && constant.level() >= 0;
        map.put("platformSymbol", compiled ? constant.symbol() : null);
        map.put("level", compiled ? constant.level() : null);
        map.put("optname", compiled ? constant.name() : null);
        map.put("default", support.defaultValue());
        ValueRange range = SockoptBridge.range(option);
        if (range == null || !compiled) {
            map.put("range", null);
        } else {
            Map<String, Object> rangeMap = new LinkedHashMap<>();
            rangeMap.put("min", range.min());
            rangeMap.put("max", range.max());
            rangeMap.put("text", range.text());
            map.put("range", rangeMap);
        }
        map.put("semantics", OptionSemantics.describe(option));
        map.put("inheritedByAcceptedSockets", inherited == null || !OptionSemantics.appliesToAcceptedSockets(option)
                ? null : inherited.contains(option));
        String jdkName = OptionSemantics.jdkOptionName(option);
        Map<String, Object> jdk = new LinkedHashMap<>();
        jdk.put("name", jdkName == null ? null : OptionSemantics.jdkOptionClass(option) + "." + jdkName);
        jdk.put("supported", jdkName != null && jdkOptions.containsKey(jdkName));
        jdk.put("note", OptionSemantics.jdkNote(option));
        map.put("jdk", jdk);
        return map;
    }

    /**
     * {@code hostLimits}: per limit, the setting that holds it here, its value (null where unknown),
     * why it is unknown, and what the kernel does with it (the OS's facts, worded around the value).
     */
    static Map<String, Object> hostLimits(List<HostLimit> limits, PlatformFacts facts) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (HostLimit limit : limits) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("setting", limit.setting());
            entry.put("value", limit.isKnown() ? limit.value() : null);
            entry.put("unknownReason", limit.unknownReason());
            entry.put("meaning", limit.kind() == HostLimit.Kind.ACCEPT_QUEUE_MAX ? facts.acceptQueueRule(limit)
                    : facts.bufferRule(limit.kind() == HostLimit.Kind.RECEIVE_BUFFER_MAX ? OptionName.SO_RCVBUF
                            : OptionName.SO_SNDBUF, limit));
            map.put(limit.kind().jsonName(), entry);
        }
        return map;
    }

    /** The host limits' own settings join {@code limits} where they are not Linux's (kern.ipc.somaxconn, ...). */
    static void addHostLimitSettings(Map<String, Object> limits, List<HostLimit> hostLimits) {
        for (HostLimit limit : hostLimits) {
            if (limit.setting() != null && !limits.containsKey(limit.setting())) {
                limits.put(limit.setting(), limit.isKnown() ? limit.value() : null);
            }
        }
    }

    private static Map<String, Object> limits() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String name : LIMITS) {
            OptionalLong value = ProcFiles.sysctl(name);
            map.put(name, value.isPresent() ? value.getAsLong() : null);
        }
        return map;
    }

    /**
     * TcpExt counters of /proc/net/netstat, since boot, one snapshot: connections lost to a full
     * accept queue (ListenOverflows, ListenDrops) and to a full SYN queue (TCPReqQFullDrop, or
     * answered with a syncookie: TCPReqQFullDoCookies, SyncookiesSent), see
     * {@link ListenCounters.Counter}. Null (unknown) where the host does not keep one, never 0.
     */
    private static Map<String, Object> counters() {
        return new LinkedHashMap<>(ListenCounters.read().asMap());
    }

    /** Null where it cannot be detected (no native library, no loopback TCP, a JDK fd it cannot read). */
    private static Set<OptionName> inheritedOptions() {
        if (SockoptBridge.capabilities().of(OptionName.SO_RCVBUF).reason() == org.sockoptbridge.UnsupportedReason.NO_NATIVE_LIBRARY) {
            return null;
        }
        try {
            Set<OptionName> inherited = AcceptedSocketPolicy.inheritedOptions();
            return AcceptedSocketPolicy.inheritanceDetected() ? inherited : null;
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** The JDK's own supported options of TCP sockets and listeners, by name. */
    static Map<String, SocketOption<?>> jdkSupportedOptions() {
        Map<String, SocketOption<?>> byName = new LinkedHashMap<>();
        try (SocketChannel socket = SocketChannel.open(); ServerSocketChannel listener = ServerSocketChannel.open()) {
            for (SocketOption<?> option : socket.supportedOptions()) {
                byName.put(option.name(), option);
            }
            for (SocketOption<?> option : listener.supportedOptions()) {
                byName.put(option.name(), option);
            }
        } catch (IOException e) {
            // No sockets at all: then the JDK offers nothing here either.
        }
        return byName;
    }

    private static List<String> names(Set<OptionName> options) {
        List<String> names = new ArrayList<>();
        for (OptionName option : options) {
            names.add(option.name());
        }
        return names;
    }
}
