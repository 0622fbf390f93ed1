package org.sockoptbridge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads /proc/sys values: the host's view, independent of the bridge. */
final class HostSysctl {
    private HostSysctl() {
    }

    static int read(String path) throws IOException {
        // Not Files.readString: procfs reports a size that makes it return a truncated value
        // ("4" for 4194304 on JDK 17); a stream read takes what the kernel writes.
        try (var in = Files.newInputStream(Path.of("/proc/sys", path))) {
            return Integer.parseInt(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim());
        }
    }
}
