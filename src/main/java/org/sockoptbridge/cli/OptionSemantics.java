package org.sockoptbridge.cli;

import org.sockoptbridge.OptionName;
import org.sockoptbridge.internal.os.PlatformFacts;

/**
 * What each option does here and what the JDK offers for it, for the probe: the option's spec
 * (OptionName) plus this OS's facts (PlatformFacts). No option or OS is named in this class.
 */
final class OptionSemantics {
    private OptionSemantics() {
    }

    static String describe(OptionName option) {
        return PlatformFacts.current().describe(option);
    }

    /** Listener options that accepted sockets could inherit (the probe detects which do). */
    static boolean appliesToAcceptedSockets(OptionName option) {
        return option.listenerValueMayPassToAccepted();
    }

    /** The JDK option's simple name ("TCP_KEEPINTERVAL"), as the JDK's supportedOptions() spells it, or null. */
    static String jdkOptionName(OptionName option) {
        String counterpart = option.jdkCounterpart();
        return counterpart == null ? null : counterpart.substring(counterpart.lastIndexOf('.') + 1);
    }

    /** The class that holds the JDK option ("jdk.net.ExtendedSocketOptions"), or null. */
    static String jdkOptionClass(OptionName option) {
        String counterpart = option.jdkCounterpart();
        return counterpart == null ? null : counterpart.substring(0, counterpart.lastIndexOf('.'));
    }

    /** What the bridge adds over the JDK here. */
    static String jdkNote(OptionName option) {
        String difference = PlatformFacts.current().jdkDifference(option);
        if (difference != null) {
            return difference;
        }
        if (option.jdkGap() != null) {
            return option.jdkGap();
        }
        return "the bridge validates the range before the syscall and fails at startup where it is missing";
    }
}
