package org.sockoptbridge.internal;

import java.lang.System.Logger.Level;

import org.sockoptbridge.SockoptBridge;

/**
 * The bridge's log: one {@link System.Logger} named {@value SockoptBridge#LOGGER_NAME}, looked up
 * the first time something is logged. Every caller is on a path that runs once per JVM (the
 * loader, the inheritance detection), so each record appears once.
 *
 * <p>Only paths that depart from the default may log. The first {@code System.getLogger} of a
 * JVM looks for a {@code LoggerFinder} across the class path and, with the JDK's own, starts
 * java.util.logging (its LogManager reads the logging configuration; about 300 classes). Measured
 * with hyperfine, 60 runs side by side, on this project's startup main (StartStartupCheck, 34-jar
 * class path, 2-core KVM guest, JDK 17): the check's median was 79.0 ms before logging existed,
 * 79.2 ms with this class, and 111.3 ms with one DEBUG record on the shim's load path, printed
 * or not (a bare JVM: 44.9 ms); that record would have doubled what the check costs. On JDK 25
 * the same three cost 91.0, 90.7 and 127.3 ms of CPU time. So the default path (the bundled
 * shim extracted and loaded, accepted sockets inheriting every option) logs nothing; what it did
 * is in {@code Capabilities.nativeLibrary()} and the probe's report. Messages are built with plain
 * concatenation, not Supplier lambdas: the first lambda of a JVM costs milliseconds of bootstrap.
 */
public final class BridgeLog {
    private BridgeLog() {
    }

    /** Initialised on the first record, never on the default path. */
    private static final class Holder {
        static final System.Logger LOGGER = System.getLogger(SockoptBridge.LOGGER_NAME);
    }

    /**
     * Logs one record. Only from a path that runs once per JVM and departs from the default.
     *
     * @param level the record's level
     * @param message the whole message
     */
    public static void log(Level level, String message) {
        Holder.LOGGER.log(level, message);
    }
}
