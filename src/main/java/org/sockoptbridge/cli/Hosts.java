package org.sockoptbridge.cli;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;

/**
 * Addresses from the command line, resolved with errors a person can act on: an empty host, an
 * IPv6 literal with a bad zone, a name that does not resolve, each named with the option and the
 * value as typed. Shared by {@code listen --host}, {@code connect HOST:PORT} and {@code --bind}.
 */
final class Hosts {
    private Hosts() {
    }

    /**
     * {@code HOST:PORT}, {@code [IPV6]:PORT}, or a host alone when {@code defaultPort} is not
     * negative; {@code what} names the value in errors ("HOST:PORT", "--bind").
     */
    static InetSocketAddress hostAndPort(Arguments arguments, String what, String text, int defaultPort) {
        String host = text;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw arguments.usage(what + " '" + text + "': no ']' after the IPv6 address");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (rest.startsWith(":")) {
                port = rest.substring(1);
            } else if (!rest.isEmpty()) {
                throw arguments.usage(what + " '" + text + "': only ':PORT' may follow ']'");
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon >= 0 && text.indexOf(':') != colon) {
                throw arguments.usage(what + " '" + text + "': write an IPv6 address with a port as [ADDRESS]:PORT");
            }
            if (colon >= 0) {
                host = text.substring(0, colon);
                port = text.substring(colon + 1);
            }
        }
        int portNumber = defaultPort;
        if (port == null) {
            if (defaultPort < 0) {
                throw arguments.usage(what + " '" + text + "' has no port: HOST:PORT, or [IPV6]:PORT");
            }
        } else if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535
                || Integer.parseInt(port) < (defaultPort < 0 ? 1 : 0)) {
            throw arguments.usage(what + " '" + text + "': the port must be " + (defaultPort < 0 ? "1" : "0")
                    + "..65535, got '" + port + "'");
        }
        if (port != null) {
            portNumber = Integer.parseInt(port);
        }
        return new InetSocketAddress(resolve(arguments, what, host), portNumber);
    }

    /**
     * The address of a host, or a usage error a person can act on. Checked here because
     * InetAddress.getByName reads an empty host as the loopback address, and its exceptions say
     * "no scope_id found" or only the class name where the user needs the option and the value.
     */
    static InetAddress resolve(Arguments arguments, String what, String host) {
        String option = what + " '" + host + "'";
        if (host.isBlank()) {
            throw arguments.usage(option + ": give an address or a host name (an empty one would mean the loopback address)");
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        int percent = literal.indexOf('%');
        String address = percent < 0 ? literal : literal.substring(0, percent);
        String zone = percent < 0 ? null : literal.substring(percent + 1);
        boolean ipv6Literal = address.contains(":");
        // The JDK parses text that starts with a hex digit or ':' as an address; anything else with
        // a colon would go to the resolver (and maybe wait for a DNS timeout) only to fail.
        if (ipv6Literal
                && (address.isEmpty() || !(address.charAt(0) == ':' || Character.digit(address.charAt(0), 16) >= 0))) {
            throw arguments.usage(option + " is not a valid IPv6 address");
        }
        if (zone != null) {
            if (!ipv6Literal) {
                throw arguments.usage(option + ": only an IPv6 address takes a %zone (an interface name or index)");
            }
            checkZone(arguments, option, zone);
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            if (!ipv6Literal) {
                // The resolver's own words (such as "Name or service not known") tell a typo from an outage.
                String prefix = host + ": ";
                String reason = e.getMessage() != null && e.getMessage().startsWith(prefix)
                        ? " (" + e.getMessage().substring(prefix.length()) + ")" : "";
                throw arguments.usage(option + " does not resolve to an address" + reason);
            }
            if (zone != null && isAddress(address)) {
                // The zone names a real interface: the JDK found no address on it to take the scope from.
                throw arguments.usage(option + ": cannot scope " + address + " to interface '" + zone + "': the JDK "
                        + "takes the scope from an IPv6 address of the same kind (link-local, site-local) on that "
                        + "interface, and it has none");
            }
            throw arguments.usage(option + " is not a valid IPv6 address");
        }
    }

    /** A zone must name an interface this host has, by name or by index. */
    private static void checkZone(Arguments arguments, String option, String zone) {
        if (zone.isEmpty()) {
            throw arguments.usage(option + ": nothing after %; give an interface name or index");
        }
        try {
            if (zone.chars().allMatch(c -> c >= '0' && c <= '9')) {
                // The JDK takes any number as a scope id; the kernel would only refuse it at bind.
                if (zone.length() > 9 || NetworkInterface.getByIndex(Integer.parseInt(zone)) == null) {
                    throw arguments.usage(option + ": no network interface with index " + zone);
                }
            } else if (NetworkInterface.getByName(zone) == null) {
                throw arguments.usage(option + ": no network interface named '" + zone + "'");
            }
        } catch (SocketException e) {
            // Interfaces cannot be listed here: let the JDK and the kernel judge the address.
        }
    }

    private static boolean isAddress(String ipv6Literal) {
        try {
            InetAddress.getByName(ipv6Literal); // a literal: parsed, never looked up
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** 127.0.0.1:9000, [::1]:9000: an address as the output lines print it. */
    static String format(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
