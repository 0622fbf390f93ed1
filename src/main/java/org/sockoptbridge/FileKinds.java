package org.sockoptbridge;

import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * Says what an fd is when it is not a socket. jnr-posix is loaded here, on the error path only:
 * its native POSIX binding costs tens of milliseconds at first use, which the startup path of a
 * server should not pay.
 */
final class FileKinds {
    private FileKinds() {
    }

    /** ": it is a regular file", or "" when fstat cannot tell. */
    static String describe(int fd) {
        try {
            // getNativePOSIX, not getPOSIX: the latter silently falls back to a pure-Java
            // emulation whose fstat cannot read an int fd.
            POSIX posix = POSIXFactory.getNativePOSIX();
            FileStat stat = posix.fstat(fd);
            String kind = stat.isFile() ? "a regular file" : stat.isDirectory() ? "a directory"
                    : stat.isFifo() ? "a pipe" : stat.isCharDev() ? "a character device"
                    : stat.isBlockDev() ? "a block device" : stat.isSymlink() ? "a symbolic link" : null;
            return kind == null ? "" : ": fstat says it is " + kind;
        } catch (RuntimeException | LinkageError e) {
            return "";
        }
    }
}
