package org.sockoptbridge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Several options applied in one native call, all or nothing. Built (and validated against this
 * platform's ranges and capabilities) once, typically at startup, then applied to many sockets:
 * <pre>{@code
 * OptionSettings perConnection = OptionSettings.builder()
 *         .keepAlive(Duration.ofSeconds(60), Duration.ofSeconds(10), 5)
 *         .set(SockOpt.SO_RCVBUF, 1 << 20)
 *         .build();
 * SocketControl.of(acceptedChannel).apply(perConnection);
 * }</pre>
 */
public final class OptionSettings {
    private final Map<OptionName, String> displayValues;
    final int[] nativeIds;
    final int[] nativeValues;

    private OptionSettings(Map<OptionName, Integer> values, Map<OptionName, String> displayValues) {
        this.displayValues = Collections.unmodifiableMap(new EnumMap<>(displayValues));
        // Buffer sizes go last: the shim restores earlier options if a later one fails, and a
        // buffer size is the one thing it cannot restore exactly (Linux locks the size once set).
        List<OptionName> order = new ArrayList<>(values.keySet());
        order.sort((a, b) -> Boolean.compare(a.isBufferSize(), b.isBufferSize()));
        nativeIds = new int[order.size()];
        nativeValues = new int[order.size()];
        for (int i = 0; i < order.size(); i++) {
            nativeIds[i] = order.get(i).nativeId();
            nativeValues[i] = values.get(order.get(i));
        }
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the options this applies} */
    public Set<OptionName> options() {
        return displayValues.keySet();
    }

    /**
     * How one option's value reads in messages.
     *
     * @param option the option
     * @return its value as written in messages ("60s", "1048576", "true"), or null when not set here
     */
    public String describe(OptionName option) {
        return displayValues.get(option);
    }

    /** The part of these settings that concerns the given options (validated already). */
    OptionSettings only(Set<OptionName> options) {
        Map<OptionName, Integer> values = new EnumMap<>(OptionName.class);
        Map<OptionName, String> display = new EnumMap<>(OptionName.class);
        for (int i = 0; i < nativeIds.length; i++) {
            OptionName option = optionAt(i);
            if (options.contains(option)) {
                values.put(option, nativeValues[i]);
                display.put(option, displayValues.get(option));
            }
        }
        return new OptionSettings(values, display);
    }

    boolean isEmpty() {
        return nativeIds.length == 0;
    }

    OptionName optionAt(int index) {
        return index < nativeIds.length ? OptionName.values()[nativeIds[index]] : null;
    }

    @Override
    public String toString() {
        return displayValues.toString();
    }

    /** Collects options; {@link #build()} validates them against this platform. */
    public static final class Builder {
        private final Map<OptionName, Integer> values = new EnumMap<>(OptionName.class);
        private final Map<OptionName, String> displayValues = new EnumMap<>(OptionName.class);

        private Builder() {
        }

        /**
         * Sets one option; a later set of the same option replaces it.
         *
         * @param <T> the option's value type
         * @param option the option
         * @param value its value, checked against this platform's range by {@link #build()}
         * @return this builder
         * @throws InvalidOptionValueException for a value no kernel takes (null, a fraction of a second)
         */
        public <T> Builder set(SockOpt<T> option, T value) {
            int nativeValue = option.toNative(value);
            values.put(option.name(), nativeValue);
            displayValues.put(option.name(), option.describe(value));
            return this;
        }

        /**
         * All three keep-alive timers; SO_KEEPALIVE is turned on with them.
         *
         * @param idle idle time before the first probe, whole seconds
         * @param interval time between unanswered probes, whole seconds
         * @param count unanswered probes before the kernel drops the connection
         * @return this builder
         */
        public Builder keepAlive(Duration idle, Duration interval, int count) {
            return set(SockOpt.TCP_KEEPIDLE, idle).set(SockOpt.TCP_KEEPINTVL, interval).set(SockOpt.TCP_KEEPCNT, count);
        }

        /**
         * Validates every value against this platform's range and every option against its
         * capabilities, so that a bad policy fails where it is built, at startup.
         *
         * @return the validated settings
         * @throws UnsupportedOptionException for an option this platform does not support
         * @throws InvalidOptionValueException for a value outside this platform's range
         */
        public OptionSettings build() {
            OptionTable table = OptionTable.INSTANCE;
            for (Map.Entry<OptionName, Integer> entry : values.entrySet()) {
                OptionName option = entry.getKey();
                table.validate(option, entry.getValue(), displayValues.get(option));
            }
            return new OptionSettings(values, displayValues);
        }
    }
}
