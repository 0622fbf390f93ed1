package org.sockoptbridge;

import java.util.List;

/**
 * Thrown by {@link SockoptBridge#requireSupport} at startup: lists every option the server
 * declared it needs and this platform cannot provide, each with its reason.
 */
public final class MissingCapabilitiesException extends SockoptException {
    private static final long serialVersionUID = 1L;

    private final transient List<OptionSupport> missing;

    MissingCapabilitiesException(List<OptionSupport> missing, String backend) {
        super(null, null, 0, describe(missing, backend));
        this.missing = List.copyOf(missing);
    }

    private static String describe(List<OptionSupport> missing, String backend) {
        StringBuilder text = new StringBuilder("this server requires ").append(missing.size())
                .append(" socket option(s) this platform cannot provide (backend: ")
                .append(backend == null ? "none loaded" : backend).append("):\n");
        for (OptionSupport support : missing) {
            text.append("  - ").append(support.option()).append(": ").append(support.explanation()).append('\n');
        }
        return text.toString();
    }

    /** {@return the missing options with their reasons, in declaration order} */
    public List<OptionSupport> missing() {
        return missing;
    }
}
