package org.sockoptbridge;

import java.util.Objects;

/**
 * The backlog a listener asked for and what it got. Where neither the listener nor the host's cap
 * can be read (macOS reports no listener queue, and a cap may be unreadable), the effective
 * backlog is unknown and says so: it is never assumed to be the one requested.
 *
 * @param requested the backlog passed to bind/listen
 * @param hostCap the host's cap on every listener's backlog ({@link HostLimit.Kind#ACCEPT_QUEUE_MAX}:
 *        net.core.somaxconn on Linux, kern.ipc.somaxconn on macOS), known or unknown with the reason
 * @param effective the limit the kernel applies, read back from the live listener where the
 *        platform reports it (Linux TCP_INFO), else min(requested, hostCap) where the cap is known,
 *        else -1: unknown
 */
public record BacklogReport(int requested, HostLimit hostCap, int effective) {
    /**
     * Checks the report: the cap is the accept-queue cap, and the effective backlog is 0 or more, or -1.
     *
     * @param requested the backlog passed to bind/listen
     * @param hostCap the host's accept-queue cap, known or unknown
     * @param effective the limit the kernel applies, or -1 when unknown
     * @throws IllegalArgumentException when the cap is another kind of limit or effective is below -1
     */
    public BacklogReport {
        Objects.requireNonNull(hostCap, "hostCap");
        if (hostCap.kind() != HostLimit.Kind.ACCEPT_QUEUE_MAX) {
            throw new IllegalArgumentException("the backlog's cap is the accept-queue cap, not " + hostCap.kind());
        }
        if (effective < -1) {
            throw new IllegalArgumentException("effective is a backlog or -1 (unknown), not " + effective);
        }
    }

    /** {@return true when the kernel's limit is known, read back or computed from a known cap} */
    public boolean effectiveKnown() {
        return effective >= 0;
    }

    /** {@return true when the host is known to have cut the request down} */
    public boolean capped() {
        return effectiveKnown() && effective < requested;
    }

    /**
     * "backlog 4096"; "backlog 4096 requested, capped to 128 by net.core.somaxconn=128"; or, where
     * nothing tells, "backlog 4096 requested, effective backlog unknown: ...".
     */
    @Override
    public String toString() {
        if (!effectiveKnown()) {
            return "backlog " + requested + " requested, effective backlog unknown: the listener does not report it here"
                    + " and " + hostCap;
        }
        if (capped()) {
            return "backlog " + requested + " requested, capped to " + effective + " by "
                    + (hostCap.isKnown() ? hostCap : "the host (" + hostCap + ")");
        }
        return "backlog " + requested;
    }
}
