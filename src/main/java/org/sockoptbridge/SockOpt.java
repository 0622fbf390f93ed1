package org.sockoptbridge;

import java.time.Duration;

/**
 * A typed key for one bridged option, in the type a server thinks in: keep-alive timers as
 * {@link Duration} (whole seconds, the unit every kernel uses), the user timeout as
 * {@link Duration} (whole milliseconds, as Linux takes it), counts and buffer sizes as
 * {@code Integer} bytes or probes, flags as {@code Boolean}.
 *
 * @param <T> the value type
 */
public final class SockOpt<T> {
    /** Idle time before the first keep-alive probe, whole seconds; see {@link OptionName#TCP_KEEPIDLE}. */
    public static final SockOpt<Duration> TCP_KEEPIDLE = new SockOpt<>(OptionName.TCP_KEEPIDLE, Duration.class);
    /** Time between keep-alive probes, whole seconds; see {@link OptionName#TCP_KEEPINTVL}. */
    public static final SockOpt<Duration> TCP_KEEPINTVL = new SockOpt<>(OptionName.TCP_KEEPINTVL, Duration.class);
    /** Unanswered keep-alive probes before the connection is dropped; see {@link OptionName#TCP_KEEPCNT}. */
    public static final SockOpt<Integer> TCP_KEEPCNT = new SockOpt<>(OptionName.TCP_KEEPCNT, Integer.class);
    /** Read: the size the kernel holds (on Linux twice what was set, and twice what the JDK reports). */
    public static final SockOpt<Integer> SO_RCVBUF = new SockOpt<>(OptionName.SO_RCVBUF, Integer.class);
    /** Read: the size the kernel holds (on Linux twice what was set, and twice what the JDK reports). */
    public static final SockOpt<Integer> SO_SNDBUF = new SockOpt<>(OptionName.SO_SNDBUF, Integer.class);
    /** IPv6 only, settable between {@code open()} and {@code bind()}; see {@link OptionName#IPV6_V6ONLY}. */
    public static final SockOpt<Boolean> IPV6_V6ONLY = new SockOpt<>(OptionName.IPV6_V6ONLY, Boolean.class);
    /** Share the address and port with other sockets, before {@code bind()}; see {@link OptionName#SO_REUSEPORT}. */
    public static final SockOpt<Boolean> SO_REUSEPORT = new SockOpt<>(OptionName.SO_REUSEPORT, Boolean.class);
    /** Whole milliseconds; {@link Duration#ZERO} turns it off. */
    public static final SockOpt<Duration> TCP_USER_TIMEOUT = new SockOpt<>(OptionName.TCP_USER_TIMEOUT, Duration.class);

    private final OptionName name;
    private final Class<T> type;

    private SockOpt(OptionName name, Class<T> type) {
        this.name = name;
        this.type = type;
    }

    /** {@return the option this key sets} */
    public OptionName name() {
        return name;
    }

    /** {@return the Java type of its values} */
    public Class<T> type() {
        return type;
    }

    /** Every key, by option ordinal; class initialisation fails if an option has none or the wrong type. */
    private static final SockOpt<?>[] BY_OPTION = byOption(TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, SO_RCVBUF,
            SO_SNDBUF, IPV6_V6ONLY, SO_REUSEPORT, TCP_USER_TIMEOUT);

    private static SockOpt<?>[] byOption(SockOpt<?>... keys) {
        SockOpt<?>[] table = new SockOpt<?>[OptionName.values().length];
        for (SockOpt<?> key : keys) {
            if (key.type != key.name.unit().type()) {
                throw new ExceptionInInitializerError(key + " has type " + key.type + ", its unit says " + key.name.unit());
            }
            table[key.name.ordinal()] = key;
        }
        for (OptionName option : OptionName.values()) {
            if (table[option.ordinal()] == null) {
                throw new ExceptionInInitializerError("no SockOpt key for " + option);
            }
        }
        return table;
    }

    /**
     * The key for an option name, for code that holds names (configuration, the CLI).
     *
     * @param name the option
     * @return its key, with the value type as a wildcard
     */
    public static SockOpt<?> of(OptionName name) {
        return BY_OPTION[name.ordinal()];
    }

    /**
     * The int the kernel takes for {@code value}. Only what cannot be expressed is refused here
     * (null, a fraction of the option's unit); ranges are checked against the platform's table.
     */
    int toNative(T value) {
        if (value == null) {
            throw new NullPointerException(name + " value");
        }
        if (!type.isInstance(value)) {
            // Reachable only through a raw or unchecked SockOpt; without this it is a ClassCastException.
            throw new InvalidOptionValueException(name, String.valueOf(value), "takes " + type.getSimpleName()
                    + " values, not " + value.getClass().getName());
        }
        if (value instanceof Duration) {
            return durationToNative((Duration) value);
        }
        if (value instanceof Boolean) {
            return ((Boolean) value) ? 1 : 0;
        }
        return (Integer) value;
    }

    /** Whole seconds for the keep-alive timers, whole milliseconds for the user timeout. */
    private int durationToNative(Duration d) {
        boolean millis = name.unit() == OptionName.Unit.MILLISECONDS;
        int nanosPerUnit = millis ? 1_000_000 : 1_000_000_000;
        if (d.getNano() % nanosPerUnit != 0) {
            throw new InvalidOptionValueException(name, d.toString(), millis
                    ? name + " is whole milliseconds; " + d + " has a fraction of a millisecond"
                    : "keep-alive timers are whole seconds on every kernel; " + d + " has a fraction of a second");
        }
        // Seconds clamped to just outside int first, so that no Duration (its seconds span all of
        // long) wraps around when multiplied; getSeconds() floors and getNano() adds the positive
        // rest, so negative milliseconds come out exact.
        long seconds = Math.max(Integer.MIN_VALUE - 1L, Math.min(Integer.MAX_VALUE + 1L, d.getSeconds()));
        long units = millis ? seconds * 1000 + d.getNano() / nanosPerUnit : seconds;
        if (units < Integer.MIN_VALUE || units > Integer.MAX_VALUE) {
            throw new InvalidOptionValueException(name, d.toString(),
                    "does not fit a kernel int of " + (millis ? "milliseconds" : "seconds"));
        }
        return (int) units;
    }

    T fromNative(int raw) {
        Object value;
        if (type == Duration.class) {
            value = name.unit() == OptionName.Unit.MILLISECONDS ? Duration.ofMillis(raw) : Duration.ofSeconds(raw);
        } else if (type == Boolean.class) {
            value = raw != 0;
        } else {
            value = raw;
        }
        return type.cast(value);
    }

    /** How a value reads in messages: seconds or milliseconds with their unit, flags as true/false. */
    String describe(T value) {
        if (value instanceof Duration) {
            Duration d = (Duration) value;
            if (name.unit() == OptionName.Unit.MILLISECONDS) {
                boolean wholeMillis = d.getNano() % 1_000_000 == 0;
                boolean fitsInt = d.getSeconds() >= Integer.MIN_VALUE && d.getSeconds() <= Integer.MAX_VALUE;
                return wholeMillis && fitsInt ? d.toMillis() + "ms" : d.toString();
            }
            return d.getNano() == 0 ? d.getSeconds() + "s" : d.toString();
        }
        return String.valueOf(value);
    }

    String describeNative(int raw) {
        return describe(fromNative(raw));
    }

    @Override
    public String toString() {
        return name.name();
    }
}
