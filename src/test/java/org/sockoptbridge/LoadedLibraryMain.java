package org.sockoptbridge;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.sockoptbridge.internal.NativeLoader;

/**
 * Run in a child JVM by the loader's security test: loads the bridge, then reports the SHA-256 of
 * the bytes the dynamic linker actually mapped, read back through /proc/self/map_files (which
 * reaches the mapped inode even after its name was deleted or replaced). Exit 0 loaded, 3 not loaded.
 */
public final class LoadedLibraryMain {
    private LoadedLibraryMain() {
    }

    public static void main(String[] args) throws Exception {
        NativeLoader.Result result = NativeLoader.result();
        if (!result.loaded()) {
            System.out.println("not loaded: " + result.failure().getMessage());
            System.exit(3);
        }
        System.out.println("loaded: " + result.source());
        List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
        for (String line : maps) {
            String[] fields = line.trim().split("\\s+", 6);
            if (fields.length == 6 && fields[5].contains("libsockopt_bridge") && fields[2].equals("00000000")) {
                System.out.println("mapping: " + line);
                try (InputStream in = Files.newInputStream(Path.of("/proc/self/map_files", fields[0]))) {
                    System.out.println("mapped-sha256: "
                            + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes())));
                } catch (java.nio.file.FileSystemException e) {
                    // Reading map_files needs CAP_SYS_ADMIN, which a container does not grant.
                    System.out.println("mapped-sha256 unavailable: " + e.getMessage());
                }
                return;
            }
        }
        System.out.println("no mapping of libsockopt_bridge found");
        System.exit(4);
    }
}
