package org.sockoptbridge;

import org.sockoptbridge.internal.Errnos;
import org.sockoptbridge.internal.Platform;

/**
 * Base of every error the bridge raises. Each names what is needed to act on it without a
 * debugger: the option, the value, the errno's name (never just its number) and the platform.
 * Unchecked, like the JDK's own {@code UnsupportedOperationException} for socket options: most of
 * these are configuration errors a server should meet at startup.
 */
public class SockoptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The option concerned, or null. */
    private final OptionName option;
    /** The value as it was given, or null. */
    private final String value;
    /** The errno, or 0. */
    private final int errno;

    SockoptException(OptionName option, String value, int errno, String problem) {
        this(option, value, errno, problem, null);
    }

    SockoptException(OptionName option, String value, int errno, String problem, Throwable cause) {
        super(compose(option, value, errno, problem), cause);
        this.option = option;
        this.value = value;
        this.errno = errno;
    }

    private static String compose(OptionName option, String value, int errno, String problem) {
        StringBuilder message = new StringBuilder();
        if (option != null) {
            message.append(option.name());
            if (value != null) {
                message.append('=').append(value);
            }
            message.append(": ");
        }
        message.append(problem).append(" [");
        if (errno != 0) {
            message.append(Errnos.name(errno)).append(", ");
        }
        message.append(Platform.current().description()).append(']');
        return message.toString();
    }

    /** {@return the option concerned, or null for errors about no single option} */
    public OptionName option() {
        return option;
    }

    /** {@return the value as it was given (for example {@code "30s"}), or null} */
    public String value() {
        return value;
    }

    /** {@return the errno the kernel returned, or 0 when the bridge refused before any system call} */
    public int errno() {
        return errno;
    }

    /** {@return the errno's symbolic name, such as {@code "ENOPROTOOPT"}, or null when {@link #errno()} is 0} */
    public String errnoName() {
        return errno == 0 ? null : Errnos.name(errno);
    }
}
