package org.sockoptbridge.cli;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;

/**
 * A parsed command line, read with the checks a command needs: each value converted with an
 * error that names the option and the value as typed, options that are not repeatable given
 * at most once.
 */
final class Arguments {
    private final CommandSpec command;
    private final CommandLine parsed;

    Arguments(CommandSpec command, CommandLine parsed) {
        this.command = command;
        this.parsed = parsed;
    }

    CommandSpec command() {
        return command;
    }

    boolean flag(String name) {
        return !values(name).isEmpty();
    }

    /** The value, or null when the option is absent. */
    String string(String name) {
        List<String> values = values(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** Every occurrence's value, in order; empty when the option is absent. */
    List<String> strings(String name) {
        return values(name);
    }

    Integer integer(String name) {
        Long value = longValue(name);
        if (value != null && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
            throw usage(command.option(name).longForm() + " '" + string(name) + "' is out of range ("
                    + Integer.MIN_VALUE + ".." + Integer.MAX_VALUE + ")");
        }
        return value == null ? null : value.intValue();
    }

    Long longValue(String name) {
        String text = string(name);
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            boolean digits = text.matches("[+-]?[0-9]+");
            throw usage(command.option(name).longForm() + " '" + text + "' is "
                    + (digits ? "out of range (" + Long.MIN_VALUE + ".." + Long.MAX_VALUE + ")" : "not a whole number"));
        }
    }

    UsageException usage(String message) {
        return new UsageException(command, message);
    }

    /**
     * The parser keeps one entry per occurrence: a flag's entries have no value, so each
     * occurrence counts as one element (an empty string) here.
     */
    private List<String> values(String name) {
        CommandSpec.Opt opt = command.option(name);
        List<String> values = new ArrayList<>();
        for (Option option : parsed.getOptions()) {
            if (name.equals(option.getLongOpt())) {
                values.add(opt.label() == null ? "" : option.getValue());
            }
        }
        if (values.size() > 1 && !opt.repeatable()) {
            throw usage(opt.longForm() + " is given " + values.size() + " times; give it once");
        }
        return values;
    }
}
