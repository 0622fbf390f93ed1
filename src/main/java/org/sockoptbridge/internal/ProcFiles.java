package org.sockoptbridge.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Reads Linux /proc files. Always as a stream: Files.readString sizes its buffer from the file's
 * reported size, and procfs reports a size that makes it return a truncated value (somaxconn
 * 4096 read as "4" on JDK 17 and 25).
 */
public final class ProcFiles {
    private ProcFiles() {
    }

    /** The whole file, or null where it does not exist (not Linux, or no such setting). */
    public static String read(Path file) {
        try {
            return readOrThrow(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** The whole file; the IOException says why not (NoSuchFileException, AccessDeniedException, ...). */
    public static String readOrThrow(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /** Where procfs keeps a sysctl: net.core.somaxconn is /proc/sys/net/core/somaxconn. */
    public static Path sysctlPath(String name) {
        return Path.of("/proc/sys", name.replace('.', '/'));
    }

    /**
     * The first number of a procfs value ("4096\n", or "4096 131072 6291456" for the tcp_rmem
     * triple): digits only, as native/src/host_limits.c parses them, so a sign never passes.
     */
    public static long parseDecimal(String text) {
        String first = text.trim().split("\\s+")[0];
        if (first.isEmpty() || first.charAt(0) < '0' || first.charAt(0) > '9') {
            throw new NumberFormatException("not a procfs number: " + first);
        }
        return Long.parseLong(first);
    }

    /** A sysctl such as {@code net.core.somaxconn}, or empty where the host has no such setting. */
    public static OptionalLong sysctl(String name) {
        String text = read(sysctlPath(name));
        if (text == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(parseDecimal(text));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** A TcpExt counter from /proc/net/netstat (a line of names, then a line of values). */
    public static OptionalLong tcpExtCounter(String name) {
        long value = tcpExtCounters(new String[] {name})[0];
        return value < 0 ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /**
     * Several TcpExt counters from one read of /proc/net/netstat, so that they describe the same
     * moment; -1 for each one the file does not have (not Linux, or a kernel without it: the
     * names appear as the kernel's snmp4_net_list in net/ipv4/proc.c lists them). The kernel
     * prints the counters as unsigned longs; a negative parse would mean one wrapped past
     * Long.MAX_VALUE, which is reported as absent rather than as a wrong number.
     */
    public static long[] tcpExtCounters(String[] wanted) {
        long[] result = new long[wanted.length];
        java.util.Arrays.fill(result, -1);
        String text = read(Path.of("/proc/net/netstat"));
        if (text == null) {
            return result;
        }
        String[] lines = text.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith("TcpExt:") && lines[i + 1].startsWith("TcpExt:")) {
                String[] names = lines[i].trim().split("\\s+");
                String[] values = lines[i + 1].trim().split("\\s+");
                for (int k = 1; k < names.length && k < values.length; k++) {
                    for (int w = 0; w < wanted.length; w++) {
                        if (names[k].equals(wanted[w])) {
                            try {
                                result[w] = Long.parseLong(values[k]);
                            } catch (NumberFormatException e) {
                                result[w] = -1;
                            }
                        }
                    }
                }
            }
        }
        return result;
    }
}
