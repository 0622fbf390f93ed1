package org.sockoptbridge;

import org.sockoptbridge.internal.Errnos;

/**
 * Whether one option works here and, if not, why.
 *
 * @param option the option
 * @param supported true when it can be set on this platform and kernel
 * @param reason why not, or null when supported
 * @param errno the errno that made it unsupported, or 0
 * @param platformSymbol the platform's constant, such as {@code TCP_KEEPALIVE} for the idle
 *        timer on macOS; null when not compiled or no native library
 * @param detail extra words for the reason (the loader's failure, for example), or null
 * @param defaultValue the value a fresh socket has (read on the probe's raw socket of the right
 *        family, untouched by the JDK: on Linux the keep-alive defaults are the
 *        net.ipv4.tcp_keepalive_* sysctls and IPV6_V6ONLY's is net.ipv6.bindv6only), or null
 */
public record OptionSupport(OptionName option, boolean supported, UnsupportedReason reason, int errno,
                            String platformSymbol, String detail, Long defaultValue) {

    /** {@return one line a person can act on, such as "the running kernel rejected it on a probe socket (ENOPROTOOPT)"} */
    public String explanation() {
        if (supported) {
            return "supported" + (platformSymbol != null && !platformSymbol.equals(option.name())
                    ? " as " + platformSymbol : "");
        }
        String errnoPart = errno == 0 ? "" : " (" + Errnos.name(errno) + ")";
        switch (reason) {
            case NOT_COMPILED_ON_THIS_OS:
                return detail != null ? detail : "not compiled on this OS: its headers have no " + option.name();
            case KERNEL_REJECTED:
                return "the running kernel rejected it on a probe socket" + errnoPart;
            case NO_IPV6_ON_HOST:
                return "no IPv6 on this host: an IPv6 socket cannot bind ::1" + errnoPart;
            default:
                return "no native library for " + org.sockoptbridge.internal.Platform.current().nativeName()
                        + (detail == null ? "" : ": " + detail);
        }
    }
}
