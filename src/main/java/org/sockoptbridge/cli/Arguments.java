package org.sockoptbridge.cli;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.MissingArgumentException;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.ParseException;
import org.apache.commons.cli.UnrecognizedOptionException;

/**
 * A parsed command line, read with the checks a command needs: each value converted with an
 * error that names the option and the value as typed, options that are not repeatable given
 * at most once.
 */
final class Arguments {
    private final CommandSpec command;
    private final CommandLine parsed;

    private Arguments(CommandSpec command, CommandLine parsed) {
        this.command = command;
        this.parsed = parsed;
    }

    /** Tokenizes one command's arguments; anything it cannot place is a usage error of that command. */
    static Arguments parse(CommandSpec spec, List<String> arguments) {
        List<String> args = explicitFlagValues(spec, arguments);
        CommandLine parsed;
        try {
            // Exact names only (no --js for --json, as before), and values kept as typed: quotes a
            // user passed through the shell are part of the value.
            parsed = DefaultParser.builder().setAllowPartialMatching(false).setStripLeadingAndTrailingQuotes(false)
                    .get().parse(spec.parserOptions(), args.toArray(new String[0]));
        } catch (UnrecognizedOptionException unknown) {
            List<String> names = new ArrayList<>();
            for (CommandSpec.Opt opt : spec.options()) {
                names.add(opt.longForm());
            }
            throw new UsageException(spec, "unknown option '" + unknown.getOption() + "'"
                    + Main.suggestion(unknown.getOption(), names));
        } catch (MissingArgumentException missing) {
            CommandSpec.Opt opt = spec.option(missing.getOption().getLongOpt());
            throw new UsageException(spec, opt.longForm() + " needs a value: " + opt.longForm() + "=" + opt.label());
        } catch (ParseException other) {
            throw new UsageException(spec, other.getMessage());
        }
        int operands = spec.operand() == null ? 0 : 1;
        if (parsed.getArgList().size() > operands) {
            throw new UsageException(spec, spec.name() + (operands == 0 ? " takes no arguments besides options"
                    : " takes one " + spec.operand() + " besides options") + ", got '"
                    + parsed.getArgList().get(operands) + "'");
        }
        return new Arguments(spec, parsed);
    }

    /**
     * {@code --json=true} and {@code --json=false}, which picocli accepted for flags (scripts may
     * pass a variable that way): the first becomes {@code --json}, the second is dropped.
     * Commons CLI would call the token an unknown option.
     */
    private static List<String> explicitFlagValues(CommandSpec spec, List<String> args) {
        List<String> result = new ArrayList<>(args.size());
        boolean optionsEnded = false;
        for (String arg : args) {
            int equals = arg.indexOf('=');
            CommandSpec.Opt flag = null;
            if (!optionsEnded && arg.startsWith("--") && equals > 2) {
                for (CommandSpec.Opt opt : spec.options()) {
                    if (opt.label() == null && opt.name().equals(arg.substring(2, equals))) {
                        flag = opt;
                    }
                }
            }
            optionsEnded |= arg.equals("--");
            if (flag == null) {
                result.add(arg);
                continue;
            }
            String value = arg.substring(equals + 1);
            if (value.equalsIgnoreCase("true")) {
                result.add(flag.longForm());
            } else if (!value.equalsIgnoreCase("false")) {
                throw new UsageException(spec, flag.longForm() + " takes no value (or true or false), got '"
                        + value + "'");
            }
        }
        return result;
    }

    CommandSpec command() {
        return command;
    }

    /** The argument besides the options ({@link CommandSpec#operand()}), or null when none was given. */
    String operand() {
        return parsed.getArgList().isEmpty() ? null : parsed.getArgList().get(0);
    }

    boolean flag(String name) {
        return !values(name).isEmpty();
    }

    /**
     * A duration: a number with a unit (ms, s, m), or a plain number of seconds; null when the
     * option is absent (or, for an option whose value is optional, given without one).
     */
    java.time.Duration duration(String name) {
        String text = string(name);
        if (text == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,9})(ms|s|m)?").matcher(text);
        if (!m.matches()) {
            throw usage(command.option(name).longForm() + " '" + text
                    + "' is not a duration: a whole number with ms, s or m (seconds if none), such as 500ms or 2s");
        }
        long value = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> java.time.Duration.ofMillis(value);
            case "m" -> java.time.Duration.ofMinutes(value);
            default -> java.time.Duration.ofSeconds(value);
        };
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
