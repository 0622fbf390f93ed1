package org.sockoptbridge;

/**
 * The option does not apply to this kind of socket: a TCP option on a UDP socket, an IPv6
 * option on an IPv4 socket, an fd that is not a socket, or an object the bridge cannot read an
 * fd from. Nothing was applied.
 */
public final class WrongSocketTypeException extends SockoptException {
    private static final long serialVersionUID = 1L;

    WrongSocketTypeException(OptionName option, String value, int errno, String problem) {
        super(option, value, errno, problem);
    }
}
