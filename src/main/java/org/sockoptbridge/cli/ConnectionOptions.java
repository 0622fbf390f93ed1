package org.sockoptbridge.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sockoptbridge.OptionName;
import org.sockoptbridge.OptionSettings;
import org.sockoptbridge.SockOpt;
import org.sockoptbridge.SocketControl;
import org.sockoptbridge.SockoptBridge;

/**
 * The per-connection socket options that {@code listen} (for every accepted connection) and
 * {@code connect} (for its connection) take, one row per command-line flag. A flag names the
 * options it sets; how its value is read follows from each option's unit, so a new option is one
 * row here: {@code --user-timeout} reads a duration (500ms, 30s, 1m) because the option's values
 * are Durations.
 */
final class ConnectionOptions {
    /**
     * A flag and the options it sets. With one option the value is one number in that option's
     * unit (a Duration-valued option takes 500ms, 2s, 1m; a plain number is seconds); with several,
     * one positive whole number per option, comma-separated, Durations in seconds.
     */
    record Flag(String name, String label, List<OptionName> options, String description) {
        CommandSpec.Opt opt() {
            return new CommandSpec.Opt(name, label, false, description);
        }
    }

    static final List<Flag> FLAGS = List.of(
            new Flag("keepalive", "IDLE,INTERVAL,COUNT",
                    List.of(OptionName.TCP_KEEPIDLE, OptionName.TCP_KEEPINTVL, OptionName.TCP_KEEPCNT),
                    "Keep-alive: idle and interval seconds, probe count (SO_KEEPALIVE is turned on with them)."),
            new Flag("rcvbuf", "BYTES", List.of(OptionName.SO_RCVBUF),
                    "SO_RCVBUF (listen: on the listener, before listen(), so that window scaling fits it; "
                            + "connect: before connect())."),
            new Flag("sndbuf", "BYTES", List.of(OptionName.SO_SNDBUF), "SO_SNDBUF (listen: on the listener)."),
            new Flag("user-timeout", "DURATION", List.of(OptionName.TCP_USER_TIMEOUT),
                    "TCP_USER_TIMEOUT: how long sent data or keep-alive probes may go unanswered before the "
                            + "kernel drops the connection (500ms, 30s, 1m)."));

    private final Map<OptionName, Object> values;

    private ConnectionOptions(Map<OptionName, Object> values) {
        this.values = values;
    }

    /** The help entries, in table order. */
    static List<CommandSpec.Opt> opts() {
        List<CommandSpec.Opt> opts = new ArrayList<>();
        for (Flag flag : FLAGS) {
            opts.add(flag.opt());
        }
        return opts;
    }

    /**
     * Reads every flag given; a value that is not a number, or the wrong count of them, is a usage
     * error here. Ranges are the platform's and are checked by {@link #settings()}, which needs
     * the bridge: these checks run without it, before anything binds.
     */
    static ConnectionOptions read(Arguments arguments) {
        Map<OptionName, Object> values = new LinkedHashMap<>();
        for (Flag flag : FLAGS) {
            if (arguments.string(flag.name()) == null) { // a flag given without a value reads as ""
                continue;
            }
            if (flag.options().size() == 1) {
                OptionName option = flag.options().get(0);
                values.put(option, single(arguments, flag.name(), option.unit().type()));
            } else {
                List<Integer> numbers = positiveNumbers(arguments, flag);
                for (int i = 0; i < numbers.size(); i++) {
                    OptionName option = flag.options().get(i);
                    values.put(option, option.unit().type() == Duration.class
                            ? Duration.ofSeconds(numbers.get(i)) : numbers.get(i));
                }
            }
        }
        return new ConnectionOptions(values);
    }

    private static Object single(Arguments arguments, String name, Class<?> type) {
        if (type == Duration.class) {
            return arguments.duration(name);
        }
        if (type == Boolean.class) {
            return Boolean.TRUE;
        }
        return arguments.integer(name);
    }

    private static List<Integer> positiveNumbers(Arguments arguments, Flag flag) {
        String text = arguments.string(flag.name());
        String[] pieces = text.split(",", -1); // -1: "60,10," has an empty third value, not two values
        List<Integer> numbers = new ArrayList<>();
        for (String piece : pieces) {
            try {
                numbers.add(Integer.parseInt(piece));
            } catch (NumberFormatException e) {
                numbers.add(0); // reported below, with the whole value
            }
        }
        if (numbers.size() != flag.options().size() || numbers.stream().anyMatch(n -> n < 1)) {
            throw arguments.usage("--" + flag.name() + " takes " + flag.label() + ": " + countWord(flag.options().size())
                    + " positive numbers, got '" + text + "'");
        }
        return numbers;
    }

    private static String countWord(int count) {
        return switch (count) {
            case 2 -> "two";
            case 3 -> "three";
            default -> String.valueOf(count);
        };
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    /** The value given for one option, or null. */
    Object value(OptionName option) {
        return values.get(option);
    }

    /**
     * Every option given, validated against this platform's ranges and capabilities (an
     * InvalidOptionValueException, exit 2, names the option, the value and the range).
     */
    @SuppressWarnings("unchecked")
    OptionSettings settings() {
        OptionSettings.Builder builder = OptionSettings.builder();
        for (Map.Entry<OptionName, Object> entry : values.entrySet()) {
            builder.set((SockOpt<Object>) SockOpt.of(entry.getKey()), entry.getValue());
        }
        return builder.build();
    }

    /**
     * An option's value as the JSON lines print it: a number in the option's own unit (seconds
     * for the keep-alive timers; an option counted in milliseconds prints milliseconds), or the
     * Integer or Boolean as it is.
     */
    static Object printable(OptionName option, Object value) {
        if (value instanceof Duration duration) {
            return option.unit() == OptionName.Unit.SECONDS ? duration.getSeconds() : duration.toMillis();
        }
        return value;
    }

    /**
     * Option name to the value the kernel holds on a socket (printable: see {@link #printable}).
     * Options that act only before bind are read only where {@code bindOptions}, IPv6 ones only on
     * an IPv6 socket.
     */
    static Map<String, Object> effective(SocketControl control, boolean bindOptions, boolean ipv6) {
        Map<String, Object> options = new LinkedHashMap<>();
        for (OptionName option : OptionName.values()) {
            boolean applies = (!option.beforeBindOnly() || bindOptions)
                    && (option.scope() != OptionName.Scope.INET6 || ipv6);
            if (!applies || !SockoptBridge.capabilities().isSupported(option)) {
                continue;
            }
            options.put(option.name(), printable(option, control.get(SockOpt.of(option))));
        }
        return options;
    }

    /** "TCP_KEEPIDLE=60 TCP_KEEPINTVL=10 ...": a line's "options" for the text output. */
    @SuppressWarnings("unchecked")
    static String text(Map<String, Object> line) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Object> option : ((Map<String, Object>) line.get("options")).entrySet()) {
            text.append(text.length() == 0 ? "" : " ").append(option.getKey()).append('=').append(option.getValue());
        }
        return text.toString();
    }
}
