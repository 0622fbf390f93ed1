package org.sockoptbridge.internal.os;

import org.junit.jupiter.api.Test;
import org.sockoptbridge.BacklogReport;
import org.sockoptbridge.HostLimit;
import org.sockoptbridge.OptionName;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each OS's sentences, fed what that OS really answers: the settings its kernel keeps, values
 * of the shape they take there (macOS ships kern.ipc.somaxconn=128, kern.ipc.maxsockbuf=8388608),
 * and the errnos a failed read gives. Nothing is mocked: the facts are pure functions of those
 * inputs, and these are the inputs a Mac or a FreeBSD host would hand them. TCP_USER_TIMEOUT is
 * Linux's alone: where another OS has something near it, the reason names that option and which
 * part of the contract differs, so a user does not go looking for a flag the bridge forgot.
 */
class PlatformFactsTest {
    private static final PlatformFacts LINUX = PlatformFacts.forOs("linux-x86_64");
    private static final PlatformFacts MACOS = PlatformFacts.forOs("macos-aarch64");
    private static final PlatformFacts FREEBSD = PlatformFacts.forOs("freebsd-x86_64");
    private static final PlatformFacts NETBSD = PlatformFacts.forOs("netbsd-x86_64");

    private static HostLimit macosMaxsockbuf() {
        return HostLimit.known(HostLimit.Kind.RECEIVE_BUFFER_MAX, "kern.ipc.maxsockbuf", 8388608);
    }

    @Test
    void linuxDoublesAndClampsAtItsCapAndNeverRefusesASize() {
        HostLimit rmemMax = HostLimit.known(HostLimit.Kind.RECEIVE_BUFFER_MAX, "net.core.rmem_max", 212992);
        String rule = LINUX.bufferRule(OptionName.SO_RCVBUF, rmemMax);
        assertTrue(rule.contains("cuts the request down to net.core.rmem_max (212992 here)"), rule);
        assertTrue(rule.contains("doubles it"), rule);
        assertTrue(rule.contains("__sock_set_rcvbuf"), rule);
        HostLimit wmemMax = HostLimit.known(HostLimit.Kind.SEND_BUFFER_MAX, "net.core.wmem_max", 212992);
        String sendRule = LINUX.bufferRule(OptionName.SO_SNDBUF, wmemMax);
        assertTrue(sendRule.contains("SO_SNDBUF: val * 2") && !sendRule.contains("rcvbuf"), sendRule);
        assertNull(LINUX.oversizedBufferErrno(), "Linux clamps: no errno means 'too large' there");
    }

    @Test
    void macosHoldsTheSizeAsSetAndRefusesAnOversizedOneWithEnobufs() {
        String rule = MACOS.bufferRule(OptionName.SO_RCVBUF, macosMaxsockbuf());
        assertTrue(rule.contains("not doubled"), rule);
        assertFalse(rule.contains("doubles"), rule);
        assertTrue(rule.contains("kern.ipc.maxsockbuf (8388608 here)"), rule);
        assertTrue(rule.contains("fails with ENOBUFS instead of being cut down"), rule);
        assertTrue(rule.contains("bsd/kern/uipc_socket2.c, sbreserve") && rule.contains("sosetoptlock"), rule);
        assertTrue(rule.contains("not run on a Mac"), rule);
        assertEquals("ENOBUFS", MACOS.oversizedBufferErrno());
    }

    @Test
    void freebsdNamesItsOwnSourcesAndTheOtherBsdsSayTheyAreAssumed() {
        HostLimit maxsockbuf = HostLimit.known(HostLimit.Kind.SEND_BUFFER_MAX, "kern.ipc.maxsockbuf", 2097152);
        String freebsd = FREEBSD.bufferRule(OptionName.SO_SNDBUF, maxsockbuf);
        assertTrue(freebsd.contains("ENOBUFS") && freebsd.contains("sbreserve_locked"), freebsd);
        assertTrue(freebsd.contains("read in the FreeBSD sources, not run here"), freebsd);
        HostLimit sbmax = HostLimit.known(HostLimit.Kind.SEND_BUFFER_MAX, "kern.sbmax", 262144);
        String netbsd = NETBSD.bufferRule(OptionName.SO_SNDBUF, sbmax);
        assertTrue(netbsd.contains("kern.sbmax (262144 here)"), netbsd);
        assertTrue(netbsd.contains("assumed, not checked, to hold on netbsd"), netbsd);
        assertTrue(FREEBSD.optionNote(OptionName.SO_REUSEPORT).contains("SO_REUSEPORT_LB"));
        assertTrue(FREEBSD.acceptQueueRule(HostLimit.known(HostLimit.Kind.ACCEPT_QUEUE_MAX, "kern.ipc.soacceptqueue", 128))
                .contains("kern.ipc.soacceptqueue (128 here)"));
        assertTrue(FREEBSD.acceptQueueSource().contains("SO_LISTENQLEN"));
    }

    @Test
    void aCapThatCouldNotBeReadIsUnknownInTheSentenceNotANumber() {
        HostLimit unreadable = HostLimit.unreadable(HostLimit.Kind.RECEIVE_BUFFER_MAX, "kern.ipc.maxsockbuf", "EPERM", "macos");
        String rule = MACOS.bufferRule(OptionName.SO_RCVBUF, unreadable);
        assertTrue(rule.contains("kern.ipc.maxsockbuf (unknown here: kern.ipc.maxsockbuf could not be read (EPERM))"), rule);
        HostLimit none = HostLimit.unreadable(HostLimit.Kind.ACCEPT_QUEUE_MAX, null, "EOPNOTSUPP", "netbsd");
        String queue = NETBSD.acceptQueueRule(none);
        assertTrue(queue.contains("the host's cap (unknown here: the bridge knows no setting that holds it on netbsd)"), queue);
    }

    @Test
    void macosReportsNoListenerQueueAndSaysWhereItWouldBe() {
        String source = MACOS.acceptQueueSource();
        assertTrue(source.contains("no getsockopt"), source);
        assertTrue(source.contains("proc_pidfdinfo"), source);
        String rule = MACOS.acceptQueueRule(HostLimit.known(HostLimit.Kind.ACCEPT_QUEUE_MAX, "kern.ipc.somaxconn", 128));
        assertTrue(rule.contains("kern.ipc.somaxconn (128 here)") && rule.contains("solisten"), rule);
    }

    @Test
    void aBacklogIsNeverReportedEffectiveWhenNothingTellsWhatTheKernelApplies() {
        // macOS: no listener queue to read back; the cap could not be read either.
        HostLimit cap = HostLimit.unreadable(HostLimit.Kind.ACCEPT_QUEUE_MAX, "kern.ipc.somaxconn", "EPERM", "macos");
        BacklogReport unknown = new BacklogReport(4096, cap, -1);
        assertFalse(unknown.effectiveKnown());
        assertFalse(unknown.capped(), "not known to be capped");
        assertEquals("backlog 4096 requested, effective backlog unknown: the listener does not report it here and "
                + "kern.ipc.somaxconn unknown: kern.ipc.somaxconn could not be read (EPERM)", unknown.toString());

        // macOS with the cap read: XNU's solisten takes min(backlog, somaxconn).
        HostLimit somaxconn = HostLimit.known(HostLimit.Kind.ACCEPT_QUEUE_MAX, "kern.ipc.somaxconn", 128);
        BacklogReport capped = new BacklogReport(4096, somaxconn, 128);
        assertTrue(capped.capped());
        assertEquals("backlog 4096 requested, capped to 128 by kern.ipc.somaxconn=128", capped.toString());
        assertEquals("backlog 64", new BacklogReport(64, somaxconn, 64).toString());
    }

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
