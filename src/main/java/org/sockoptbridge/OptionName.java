package org.sockoptbridge;

/**
 * The seven socket options the bridge controls, by their portable names.
 *
 * <p>The ordinals are the shim's option ids ({@code enum sob_option_id} in
 * {@code native/include/sockopt_bridge.h}); the platform's own (level, name) numbers live only in
 * the shim's table ({@code native/src/options.c}), never in Java.
 */
public enum OptionName {
    /** Idle time before the first keep-alive probe (macOS spells it {@code TCP_KEEPALIVE}). TCP only. */
    TCP_KEEPIDLE(Scope.TCP),
    /** Time between keep-alive probes. TCP only. */
    TCP_KEEPINTVL(Scope.TCP),
    /** Unanswered keep-alive probes before the connection is dropped. TCP only. */
    TCP_KEEPCNT(Scope.TCP),
    /** Receive buffer size. Set it on a listener before {@code bind()} for window scaling to apply. */
    SO_RCVBUF(Scope.ANY),
    /** Send buffer size. */
    SO_SNDBUF(Scope.ANY),
    /** IPv6 socket accepts IPv6 only (no IPv4-mapped addresses). Settable only before bind. */
    IPV6_V6ONLY(Scope.INET6),
    /** Several sockets may bind the same address and port (Linux load-balances among them). IP sockets only. */
    SO_REUSEPORT(Scope.INET);

    /** What kind of socket an option applies to: any, TCP only, IPv6 only, IPv4 or IPv6 (not Unix-domain). */
    enum Scope { ANY, TCP, INET6, INET }

    private final Scope scope;

    OptionName(Scope scope) {
        this.scope = scope;
    }

    Scope scope() {
        return scope;
    }

    /** The shim's id for this option. */
    int nativeId() {
        return ordinal();
    }

    boolean isKeepAliveTimer() {
        return this == TCP_KEEPIDLE || this == TCP_KEEPINTVL || this == TCP_KEEPCNT;
    }

    boolean isBufferSize() {
        return this == SO_RCVBUF || this == SO_SNDBUF;
    }

    /**
     * Parses a name such as {@code "TCP_KEEPIDLE"}: case-insensitive in ASCII only, surrounding
     * whitespace ignored.
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
