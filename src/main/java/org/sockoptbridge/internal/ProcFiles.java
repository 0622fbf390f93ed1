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
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return null;
        }
    }

    /** A sysctl such as {@code net.core.somaxconn}, or empty where the host has no such setting. */
    public static OptionalLong sysctl(String name) {
        String text = read(Path.of("/proc/sys", name.replace('.', '/')));
        if (text == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(text.trim().split("\\s+")[0]));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** A TcpExt counter from /proc/net/netstat (a line of names, then a line of values). */
    public static OptionalLong tcpExtCounter(String name) {
        String text = read(Path.of("/proc/net/netstat"));
        if (text == null) {
            return OptionalLong.empty();
        }
        String[] lines = text.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith("TcpExt:") && lines[i + 1].startsWith("TcpExt:")) {
                String[] names = lines[i].trim().split("\\s+");
                String[] values = lines[i + 1].trim().split("\\s+");
                for (int k = 1; k < names.length && k < values.length; k++) {
                    if (names[k].equals(name)) {
                        return OptionalLong.of(Long.parseLong(values[k]));
                    }
                }
            }
        }
        return OptionalLong.empty();
    }
}
