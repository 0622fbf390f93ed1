package org.sockoptbridge;

/**
 * The option cannot change in the socket's current state, such as {@code IPV6_V6ONLY} after
 * {@code bind()}. Nothing was applied.
 */
public final class WrongSocketStateException extends SockoptException {
    private static final long serialVersionUID = 1L;

    WrongSocketStateException(OptionName option, String value, int errno, String problem) {
        super(option, value, errno, problem);
    }
}
