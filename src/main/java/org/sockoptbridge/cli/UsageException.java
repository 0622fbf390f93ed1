package org.sockoptbridge.cli;

/**
 * A command line that cannot run: Main prints {@code error: <message>} and the help of
 * {@link #command()} (the program's own when null) to stderr, and exits 2, so that a script
 * tells a typo from a failed check (exit 1).
 */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient CommandSpec command;

    UsageException(CommandSpec command, String message) {
        // No stack trace: it is never printed, and the message is all the user needs.
        super(message, null, false, false);
        this.command = command;
    }

    /** Whose help goes with the error; null for the program's. */
    CommandSpec command() {
        return command;
    }
}
