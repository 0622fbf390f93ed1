package org.sockoptbridge;

/**
 * The socket options the bridge controls, each with its spec: value unit, the sockets it applies
 * to, when it can change, whether an accepted socket may inherit it from its listener, and the
 * JDK's counterpart. The facade, the accepted-socket policy, the CLI and the self-test iterate
 * over these instead of switching on names: a new option is one row in the shim's C table
 * ({@code native/src/options.c}) and one constant here.
 *
 * <p>The ordinals are the shim's option ids ({@code enum sob_option_id} in
 * {@code native/include/sockopt_bridge.h}); the platform's own (level, name) numbers live only in
 * the shim's table, never in Java. What differs per OS is in one class per OS
 * ({@code org.sockoptbridge.internal.PlatformFacts}).
 */
public enum OptionName {
    /** Idle time before the first keep-alive probe (macOS spells it {@code TCP_KEEPALIVE}). TCP only. */
    TCP_KEEPIDLE(Unit.SECONDS, Scope.TCP, false, true, "jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE",
            "seconds a connection is idle before the first keep-alive probe; acts only with SO_KEEPALIVE on "
                    + "(the bridge turns it on)"),
    /** Time between keep-alive probes. TCP only. */
    TCP_KEEPINTVL(Unit.SECONDS, Scope.TCP, false, true, "jdk.net.ExtendedSocketOptions.TCP_KEEPINTERVAL",
            "seconds between unanswered keep-alive probes"),
    /** Unanswered keep-alive probes before the connection is dropped. TCP only. */
    TCP_KEEPCNT(Unit.COUNT, Scope.TCP, false, true, "jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT",
            "unanswered probes before the kernel drops the connection (the application then reads ETIMEDOUT); "
                    + "dead-peer detection takes idle + interval x count"),
    /** Receive buffer size. Set it on a listener before {@code bind()} for window scaling to apply. */
    SO_RCVBUF(Unit.BYTES, Scope.ANY, false, true, "java.net.StandardSocketOptions.SO_RCVBUF",
            "receive buffer bytes; set it on the listener before listen() so that window scaling covers "
                    + "accepted connections"),
    /** Send buffer size. */
    SO_SNDBUF(Unit.BYTES, Scope.ANY, false, true, "java.net.StandardSocketOptions.SO_SNDBUF",
            "send buffer bytes"),
    /** IPv6 socket accepts IPv6 only (no IPv4-mapped addresses). Settable only before bind. */
    IPV6_V6ONLY(Unit.FLAG, Scope.INET6, true, false, null,
            "an IPv6 socket that accepts only IPv6 (on) or also IPv4 as ::ffff:a.b.c.d (off)",
            "no JDK option; the JDK clears IPV6_V6ONLY on every IPv6 socket it creates (sun.nio.ch.Net), so only"
                    + " the bridge can make an IPv6-only listener"),
    /** Several sockets may bind the same address and port (Linux load-balances among them). IP sockets only. */
    SO_REUSEPORT(Unit.FLAG, Scope.INET, true, false, "java.net.StandardSocketOptions.SO_REUSEPORT",
            "several sockets bind one address and port"),
    /**
     * How long sent data may stay unacknowledged before the kernel drops the connection, in
     * milliseconds; zero is off. Keep-alive only probes an idle connection: once data is in flight,
     * retransmissions run instead, and only this bounds them (on Linux without it,
     * {@code net.ipv4.tcp_retries2}: about 15 minutes). With keep-alive on, Linux also uses it to
     * decide when unanswered probes end the connection (see the platform's semantics). TCP only.
     */
    TCP_USER_TIMEOUT(Unit.MILLISECONDS, Scope.TCP, false, true, null,
            "milliseconds sent data may stay unacknowledged before the kernel drops the connection (the application "
                    + "then reads ETIMEDOUT), where keep-alive cannot help: it probes idle connections only; 0 is off "
                    + "and leaves it to the kernel's retransmission limit; with keep-alive on, it also decides when "
                    + "unanswered probes end the connection",
            "no JDK option: neither StandardSocketOptions nor jdk.net.ExtendedSocketOptions has TCP_USER_TIMEOUT (JDK 17"
                    + " to 25), so a JDK socket writing to a vanished peer retransmits until the kernel gives up");

    /** What kind of socket an option applies to: any, TCP only, IPv6 only, IPv4 or IPv6 (not Unix-domain). */
    public enum Scope {
        /** Every socket the option's level exists on, Unix-domain included. */
        ANY,
        /** TCP sockets, IPv4 or IPv6. */
        TCP,
        /** IPv6 sockets. */
        INET6,
        /** IPv4 and IPv6 sockets, TCP or UDP; not Unix-domain. */
        INET
    }

    /** The unit of an option's value, which decides its Java type ({@link SockOpt}). */
    public enum Unit {
        /** Whole seconds, as {@link java.time.Duration}. */
        SECONDS(java.time.Duration.class, " seconds"),
        /** Whole milliseconds, as {@link java.time.Duration}. */
        MILLISECONDS(java.time.Duration.class, " milliseconds"),
        /** A count, as {@link Integer}. */
        COUNT(Integer.class, ""),
        /** Bytes, as {@link Integer}. */
        BYTES(Integer.class, " bytes"),
        /** On or off, as {@link Boolean}. */
        FLAG(Boolean.class, "");

        private final Class<?> type;
        private final String suffix;

        Unit(Class<?> type, String suffix) {
            this.type = type;
            this.suffix = suffix;
        }

        /** {@return the Java type of values in this unit} */
        public Class<?> type() {
            return type;
        }

        /** " seconds", " bytes" or "", for ranges in messages. */
        String suffix() {
            return suffix;
        }
    }

    private final Unit unit;
    private final Scope scope;
    private final boolean beforeBindOnly;
    private final boolean listenerValueMayPassToAccepted;
    private final String jdkCounterpart;
    private final String meaning;
    private final String jdkGap;

    OptionName(Unit unit, Scope scope, boolean beforeBindOnly, boolean listenerValueMayPassToAccepted,
               String jdkCounterpart, String meaning) {
        this(unit, scope, beforeBindOnly, listenerValueMayPassToAccepted, jdkCounterpart, meaning, null);
    }

    OptionName(Unit unit, Scope scope, boolean beforeBindOnly, boolean listenerValueMayPassToAccepted,
               String jdkCounterpart, String meaning, String jdkGap) {
        this.unit = unit;
        this.scope = scope;
        this.beforeBindOnly = beforeBindOnly;
        this.listenerValueMayPassToAccepted = listenerValueMayPassToAccepted;
        this.jdkCounterpart = jdkCounterpart;
        this.meaning = meaning;
        this.jdkGap = jdkGap;
    }

    /** {@return the unit of the option's value, which decides its Java type} */
    public Unit unit() {
        return unit;
    }

    /** {@return the kind of socket the option applies to} */
    public Scope scope() {
        return scope;
    }

    /** {@return true when the option only takes effect (or can only change) before {@code bind()}} */
    public boolean beforeBindOnly() {
        return beforeBindOnly;
    }

    /**
     * {@return true when a listener's value could be copied into the sockets it accepts} Whether
     * the running kernel does is detected, never assumed ({@link AcceptedSocketPolicy#inheritedOptions()}).
     */
    public boolean listenerValueMayPassToAccepted() {
        return listenerValueMayPassToAccepted;
    }

    /** {@return the JDK's option for the same thing ("java.net.StandardSocketOptions.SO_RCVBUF"), or null where the JDK has none} */
    public String jdkCounterpart() {
        return jdkCounterpart;
    }

    /** {@return why the JDK cannot do this where it has no counterpart, or null} */
    public String jdkGap() {
        return jdkGap;
    }

    /** {@return what the option does, in one platform-neutral sentence; per-OS details come from the platform's facts} */
    public String meaning() {
        return meaning;
    }

    /** The shim's id for this option. */
    int nativeId() {
        return ordinal();
    }

    boolean isBufferSize() {
        return unit == Unit.BYTES;
    }

    /**
     * Parses a name such as {@code "TCP_KEEPIDLE"}: case-insensitive in ASCII only, surrounding
     * whitespace ignored.
     *
     * @param name the option's name
     * @return the option
     * @throws IllegalArgumentException for a name that is not one of the options, listing them
     */
    public static OptionName parse(String name) {
        String trimmed = name.trim();
        // The names are ASCII, so only ASCII may spell them. equalsIgnoreCase would also take the
        // dotted capital I (U+0130) and the Kelvin sign for i and k, and toUpperCase(Locale.ROOT)
        // the dotless i (U+0131) and the long s for I and S; a default-locale toUpperCase() would
        // turn "tcp_keepidle" into TCP_KEEP(U+0130)DLE under a Turkish locale.
        if (trimmed.chars().allMatch(c -> c < 0x80)) {
            String upper = trimmed.toUpperCase(java.util.Locale.ROOT);
            for (OptionName option : values()) {
                if (option.name().equals(upper)) {
                    return option;
                }
            }
        }
        throw new IllegalArgumentException("unknown socket option '" + name + "'; known: "
                + java.util.Arrays.toString(values()));
    }
}
