package org.sockoptbridge.cli;

import java.io.PrintWriter;
import java.util.Map;

/** The probe report for people: a summary table, then one paragraph per option. */
final class ProbeText {
    private ProbeText() {
    }

    @SuppressWarnings("unchecked")
    static void print(Map<String, Object> report, PrintWriter out) {
        Map<String, Object> platform = (Map<String, Object>) report.get("platform");
        out.println("sockopt-bridge probe (" + report.get("schema") + ")");
        out.println();
        out.printf("  %-15s %s %s %s (%s)%n", "platform", platform.get("os"), platform.get("kernel"),
                platform.get("arch"), platform.get("osArch"));
        out.printf("  %-15s %s %s%n", "libc", platform.get("libc"), orDash(platform.get("libcVersion")));
        out.printf("  %-15s %s %s (%s)%n", "java", platform.get("javaVendor"), platform.get("javaVersion"),
                platform.get("javaHome"));
        out.printf("  %-15s %s%n", "backend", report.get("backend") == null ? "none (nothing loaded)" : report.get("backend"));
        out.printf("  %-15s %s%n", "native library", platform.get("nativeLibrary"));
        Object ipv6 = report.get("ipv6");
        out.printf("  %-15s %s%n", "IPv6", ipv6 == null ? "unknown (not probed: the native library did not load)"
                : Boolean.TRUE.equals(ipv6) ? "available" : "not available (an IPv6 socket cannot bind ::1)");
        out.println();
        out.printf("  %-16s %-9s %-10s %-26s %-18s %s%n", "option", "bridge", "default", "range", "JDK option",
                "accepted sockets inherit it");
        for (Map<String, Object> option : ProbeCommand.options(report)) {
            Map<String, Object> range = (Map<String, Object>) option.get("range");
            Map<String, Object> jdk = (Map<String, Object>) option.get("jdk");
            Object inherited = option.get("inheritedByAcceptedSockets");
            out.printf("  %-16s %-9s %-10s %-26s %-18s %s%n", option.get("name"),
                    Boolean.TRUE.equals(option.get("supported")) ? "yes" : "NO",
                    orDash(option.get("default")), range == null ? "-" : range.get("text"),
                    Boolean.TRUE.equals(jdk.get("supported")) ? shortName(jdk.get("name")) : "none",
                    inherited == null ? "-" : Boolean.TRUE.equals(inherited) ? "yes" : "no");
        }
        out.println();
        for (Map<String, Object> option : ProbeCommand.options(report)) {
            out.print("  " + option.get("name") + ": ");
            if (Boolean.TRUE.equals(option.get("supported"))) {
                out.println("supported as " + option.get("platformSymbol") + " (level " + option.get("level")
                        + ", name " + option.get("optname") + ")");
            } else {
                out.println("NOT SUPPORTED: " + option.get("reason"));
            }
            out.println("      " + option.get("semantics"));
            out.println("      JDK: " + ((Map<String, Object>) option.get("jdk")).get("note"));
        }
        out.println();
        out.println("  host limits (what listen() and the buffer options really get)");
        for (Map.Entry<String, Object> entry : ((Map<String, Object>) report.get("hostLimits")).entrySet()) {
            Map<String, Object> limit = (Map<String, Object>) entry.getValue();
            out.printf("    %-18s %s%n", entry.getKey(), limit.get("value") != null
                    ? limit.get("setting") + " = " + limit.get("value") : "unknown: " + limit.get("unknownReason"));
            out.println("                       " + limit.get("meaning"));
        }
        out.println("  host settings");
        for (Map.Entry<String, Object> setting : ((Map<String, Object>) report.get("limits")).entrySet()) {
            out.printf("    %-32s %s%n", setting.getKey(), setting.getValue() == null
                    ? "unknown (no such setting on this host)" : setting.getValue());
        }
        out.println("  connections lost before accept (Linux /proc/net/netstat TcpExt, since boot)");
        for (Map.Entry<String, Object> counter : ((Map<String, Object>) report.get("counters")).entrySet()) {
            out.printf("    %-32s %s%n", counter.getKey(), counter.getValue() == null
                    ? "unknown (not kept in /proc/net/netstat here)" : counter.getValue());
        }
        Map<String, Object> inheritance = (Map<String, Object>) report.get("inheritance");
        out.println("  accepted sockets inherit from the listener: " + (Boolean.TRUE.equals(inheritance.get("detected"))
                ? inheritance.get("inheritedOptions") : "unknown") + ": " + inheritance.get("meaning"));
        out.flush();
    }

    private static Object orDash(Object value) {
        return value == null ? "-" : value;
    }

    private static String shortName(Object qualified) {
        String name = String.valueOf(qualified);
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
