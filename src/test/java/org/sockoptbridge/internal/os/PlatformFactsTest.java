package org.sockoptbridge.internal.os;

import org.junit.jupiter.api.Test;
import org.sockoptbridge.OptionName;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TCP_USER_TIMEOUT is Linux's alone: where another OS has something near it, the reason it is
 * reported unsupported names that option and says which part of the contract differs, so that a
 * user does not go looking for a flag the bridge forgot. No Mac or BSD runs here: these are the
 * sentences the probe and the startup check print there.
 */
class PlatformFactsTest {

    @Test
    void macosNamesTcpRxtConndroptimeAndWhyItIsNotTheSameOption() {
        String reason = PlatformFacts.forOs("macos-aarch64").missingOptionReason(OptionName.TCP_USER_TIMEOUT);
        assertContains(reason, "macOS has no TCP_USER_TIMEOUT", "TCP_RXT_CONNDROPTIME", "whole seconds",
                "first retransmission", "keep-alive");
        assertContains(PlatformFacts.forOs("macos-x86_64").describe(OptionName.TCP_USER_TIMEOUT), "TCP_RXT_CONNDROPTIME");
    }

    @Test
    void freebsdNamesTcpMaxunacktimeAndTheOtherBsdsHaveNothing() {
        assertContains(PlatformFacts.forOs("freebsd-x86_64").missingOptionReason(OptionName.TCP_USER_TIMEOUT),
                "TCP_MAXUNACKTIME", "whole seconds", "RACK and BBR");
        for (String os : new String[] {"openbsd-x86_64", "netbsd-x86_64", "dragonfly-x86_64"}) {
            assertContains(PlatformFacts.forOs(os).missingOptionReason(OptionName.TCP_USER_TIMEOUT), "no TCP_USER_TIMEOUT");
        }
    }

    @Test
    void onlyTheUserTimeoutIsMissingByDesignAndLinuxMissesNothing() {
        for (OptionName option : OptionName.values()) {
            assertNull(PlatformFacts.forOs("linux-x86_64").missingOptionReason(option), option.name());
            if (option != OptionName.TCP_USER_TIMEOUT) {
                assertNull(PlatformFacts.forOs("macos-aarch64").missingOptionReason(option), option.name());
                assertNull(PlatformFacts.forOs("freebsd-x86_64").missingOptionReason(option), option.name());
            }
        }
    }

    /** The probe's semantics line says how the user timeout and keep-alive decide together on Linux. */
    @Test
    void linuxSemanticsSayHowTheUserTimeoutChangesTheKeepAliveKill() {
        assertContains(PlatformFacts.forOs("linux-x86_64").describe(OptionName.TCP_USER_TIMEOUT),
                "milliseconds", "ETIMEDOUT", "TCP_KEEPCNT's place", "at least one probe is unanswered", "sooner",
                "past TCP_KEEPCNT probes", "tcp_keepalive_timer", "net.ipv4.tcp_retries2");
    }

    private static void assertContains(String text, String... parts) {
        for (String part : parts) {
            assertTrue(text != null && text.contains(part), "expected '" + part + "' in: " + text);
        }
    }
}
