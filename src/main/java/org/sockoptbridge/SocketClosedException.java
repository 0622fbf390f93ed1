package org.sockoptbridge;

/** The socket is closed (or the fd is not open); nothing was applied. */
public final class SocketClosedException extends SockoptException {
    private static final long serialVersionUID = 1L;

    SocketClosedException(OptionName option, String value, int errno, String problem) {
        super(option, value, errno, problem);
    }
}
