package org.sockoptbridge;

/** The value is outside what this platform accepts; refused before any system call. */
public final class InvalidOptionValueException extends SockoptException {
    private static final long serialVersionUID = 1L;

    InvalidOptionValueException(OptionName option, String value, String problem) {
        super(option, value, 0, problem);
    }

    InvalidOptionValueException(OptionName option, String value, int errno, String problem) {
        super(option, value, errno, problem);
    }
}
