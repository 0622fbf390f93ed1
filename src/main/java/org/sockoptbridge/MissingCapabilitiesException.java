package org.sockoptbridge;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by {@link SockoptBridge#requireSupport} at startup: lists every option the server
 * declared it needs and this platform cannot provide, each with its reason.
 */
public final class MissingCapabilitiesException extends SockoptException {
    private static final long serialVersionUID = 1L;

    private final transient List<OptionSupport> missing;

    MissingCapabilitiesException(List<OptionSupport> missing) {
        super(null, null, 0, describe(missing));
        this.missing = List.copyOf(missing);
    }

    private static String describe(List<OptionSupport> missing) {
        return "this server requires " + missing.size() + " socket option(s) this platform cannot provide:\n"
                + missing.stream().map(s -> "  - " + s.option() + ": " + s.explanation())
                        .collect(Collectors.joining("\n"))
                + "\n";
    }

    /** The missing options with their reasons, in declaration order. */
    public List<OptionSupport> missing() {
        return missing;
    }
}
