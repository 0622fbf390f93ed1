package org.sockoptbridge;

import java.util.Objects;
import java.util.OptionalLong;

import org.sockoptbridge.internal.Errnos;
import org.sockoptbridge.internal.NativeBackend;
import org.sockoptbridge.internal.Platform;

/**
 * A host-wide limit that decides what a listener or a buffer request really gets, as this OS
 * keeps it: the setting that holds it ({@code net.core.somaxconn} on Linux,
 * {@code kern.ipc.somaxconn} on macOS, {@code kern.ipc.soacceptqueue} on FreeBSD) and its value,
 * read from the kernel when asked. Where nothing can be read the limit is unknown, with the reason,
 * never 0 or a default: a made-up cap would turn into a wrong "your backlog is effective".
 *
 * @param kind which limit
 * @param setting the setting that holds it on this OS, or null where the bridge knows none here
 * @param value the value, or -1 when unknown
 * @param unknownReason why it is unknown, for people; null when known
 */
public record HostLimit(Kind kind, String setting, long value, String unknownReason) {

    /** The limits, in the order of the shim's enum sob_host_limit_id (native/include/sockopt_bridge.h). */
    public enum Kind {
        /** The cap on listen()'s backlog: a larger backlog is cut down to it. */
        ACCEPT_QUEUE_MAX("acceptQueueMax"),
        /** The largest receive buffer (SO_RCVBUF) a socket may ask for. */
        RECEIVE_BUFFER_MAX("receiveBufferMax"),
        /** The largest send buffer (SO_SNDBUF) a socket may ask for. */
        SEND_BUFFER_MAX("sendBufferMax");

        private final String jsonName;

        Kind(String jsonName) {
            this.jsonName = jsonName;
        }

        /** {@return its key in {@code probe --json}'s {@code hostLimits}} */
        public String jsonName() {
            return jsonName;
        }

        /**
         * {@return the cap on a buffer option's size: RECEIVE_BUFFER_MAX for SO_RCVBUF, SEND_BUFFER_MAX for SO_SNDBUF}
         *
         * @param option SO_RCVBUF or SO_SNDBUF
         * @throws IllegalArgumentException for any other option
         */
        public static Kind bufferMaxOf(OptionName option) {
            switch (option) {
                case SO_RCVBUF: return RECEIVE_BUFFER_MAX;
                case SO_SNDBUF: return SEND_BUFFER_MAX;
                default: throw new IllegalArgumentException(option + " is not a buffer size");
            }
        }
    }

    /**
     * Checks that the limit is either known (a value and its setting) or unknown (-1 and a reason).
     *
     * @param kind which limit
     * @param setting the setting that holds it, or null where none is known
     * @param value the value, or -1 when unknown
     * @param unknownReason why it is unknown; null when known
     * @throws IllegalArgumentException for any other combination
     */
    public HostLimit {
        Objects.requireNonNull(kind, "kind");
        if (value >= 0 ? unknownReason != null || setting == null : unknownReason == null || value != -1) {
            throw new IllegalArgumentException("a limit is known (a value and its setting) or unknown (-1 and a reason): "
                    + setting + "=" + value + ", " + unknownReason);
        }
    }

    /**
     * {@return a limit read from its setting}
     *
     * @param kind which limit
     * @param setting the setting it was read from
     * @param value the value read, 0 or more
     */
    public static HostLimit known(Kind kind, String setting, long value) {
        return new HostLimit(kind, Objects.requireNonNull(setting, "setting"), value, null);
    }

    /**
     * A limit that could not be read, with the reason worded from what the kernel said: setting
     * null where the bridge knows no setting for it on {@code os}; errnoName what reading the
     * setting failed with (ENOENT: this kernel has no such setting).
     *
     * @param kind which limit
     * @param setting the setting that holds it on {@code os}, or null where none is known
     * @param errnoName the errno name the read failed with
     * @param os the OS, as in the platform name ("macos", "freebsd")
     * @return the unknown limit, with its reason
     */
    public static HostLimit unreadable(Kind kind, String setting, String errnoName, String os) {
        String reason;
        if (setting == null) {
            reason = "the bridge knows no setting that holds it on " + os;
        } else if ("ENOENT".equals(errnoName)) {
            reason = setting + " does not exist on this kernel (ENOENT)";
        } else {
            reason = setting + " could not be read (" + errnoName + ")";
        }
        return new HostLimit(kind, setting, -1, reason);
    }

    /**
     * {@return the limit now, read from the kernel through the loaded backend; unknown, with the reason, where it cannot be}
     *
     * @param kind which limit
     */
    public static HostLimit read(Kind kind) {
        Objects.requireNonNull(kind, "kind");
        NativeBackend backend = OptionTable.INSTANCE.backend;
        if (backend == null) {
            return new HostLimit(kind, null, -1, "not read: no native library loaded, so the bridge cannot ask the kernel");
        }
        int id = kind.ordinal();
        String setting = backend.hostLimitSetting(id);
        long result = backend.hostLimit(id);
        if (result >= 0 && setting != null) {
            return known(kind, setting, result);
        }
        String os = Platform.current().osArch();
        return unreadable(kind, setting, result < 0 ? Errnos.name((int) -result) : "no setting", os.substring(0, os.indexOf('-')));
    }

    /** {@return true when the value was read} */
    public boolean isKnown() {
        return value >= 0;
    }

    /** {@return the value, empty where it is unknown} */
    public OptionalLong valueIfKnown() {
        return isKnown() ? OptionalLong.of(value) : OptionalLong.empty();
    }

    /** "net.core.somaxconn=4096", or "kern.ipc.somaxconn unknown: kern.ipc.somaxconn could not be read (EPERM)". */
    @Override
    public String toString() {
        return isKnown() ? setting + "=" + value
                : (setting == null ? kind.jsonName() : setting) + " unknown: " + unknownReason;
    }
}
