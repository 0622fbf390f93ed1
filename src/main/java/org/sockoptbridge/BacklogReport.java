package org.sockoptbridge;

/**
 * The backlog a listener asked for and what it got.
 *
 * @param requested the backlog passed to bind/listen
 * @param hostCap the host's cap (Linux: net.core.somaxconn), or -1 where there is none to read
 * @param effective the limit the kernel applies, read back from the live listener where the
 *        platform reports it (Linux TCP_INFO), else min(requested, hostCap)
 */
public record BacklogReport(int requested, int hostCap, int effective) {
    /** {@return true when the host cut the request down} */
    public boolean capped() {
        return effective < requested;
    }

    @Override
    public String toString() {
        return capped()
                ? "backlog " + requested + " requested, capped to " + effective + " by net.core.somaxconn=" + hostCap
                : "backlog " + requested;
    }
}
