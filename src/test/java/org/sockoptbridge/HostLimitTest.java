package org.sockoptbridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The host limits against the kernel: on Linux each one is what procps' sysctl(8), a second
 * implementation in another process, prints for the same setting; and the wording of a limit
 * that cannot be read, with the errnos and settings an OS really has.
 */
class HostLimitTest {

    /** sysctl -n NAME from procps, or the test is skipped naming the package. */
    private static long sysctlCommand(String name) throws IOException, InterruptedException {
        String sysctl = List.of("/usr/sbin/sysctl", "/sbin/sysctl").stream().filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst().orElse(null);
        assumeTrue(sysctl != null, "skipped: no sysctl(8) here (Debian: procps) to compare with");
        Process process = new ProcessBuilder(sysctl, "-n", name).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "sysctl -n " + name + " did not finish");
        assertEquals(0, process.exitValue(), "sysctl -n " + name + ": " + out);
        return Long.parseLong(out);
    }

    @Test
    void onLinuxEachLimitIsWhatSysctlPrintsForItsSetting() throws Exception {
        assumeTrue(OptionRoundTripTest.isLinux(), "skipped: the settings compared here are Linux's");
        List<String> expectedSettings = List.of("net.core.somaxconn", "net.core.rmem_max", "net.core.wmem_max");
        for (HostLimit.Kind kind : HostLimit.Kind.values()) {
            HostLimit limit = HostLimit.read(kind);
            assertEquals(expectedSettings.get(kind.ordinal()), limit.setting(), kind.name());
            assertTrue(limit.isKnown(), limit.toString());
            assertEquals(sysctlCommand(limit.setting()), limit.value(), limit.toString());
            assertEquals(limit.setting() + "=" + limit.value(), limit.toString());
        }
    }

    @Test
    void aLimitIsKnownWithItsSettingOrUnknownWithAReasonNeverBoth() {
        HostLimit known = HostLimit.known(HostLimit.Kind.ACCEPT_QUEUE_MAX, "kern.ipc.somaxconn", 128);
        assertTrue(known.isKnown());
        assertEquals(128, known.valueIfKnown().getAsLong());
        assertNull(known.unknownReason());
        assertThrows(IllegalArgumentException.class,
                () -> new HostLimit(HostLimit.Kind.ACCEPT_QUEUE_MAX, "kern.ipc.somaxconn", 0, "a reason"));
        assertThrows(IllegalArgumentException.class,
                () -> new HostLimit(HostLimit.Kind.ACCEPT_QUEUE_MAX, "kern.ipc.somaxconn", -1, null));
        assertThrows(IllegalArgumentException.class,
                () -> new HostLimit(HostLimit.Kind.ACCEPT_QUEUE_MAX, null, 128, null));
    }

    @Test
    void anUnreadableLimitSaysUnknownAndWhyInTheOsOwnTerms() {
        // What macOS would answer where a sandbox refuses the read, what an older FreeBSD without
        // the current name answers, and NetBSD, where no accept-queue cap setting is known.
        HostLimit refused = HostLimit.unreadable(HostLimit.Kind.ACCEPT_QUEUE_MAX, "kern.ipc.somaxconn", "EPERM", "macos");
        assertFalse(refused.isKnown());
        assertTrue(refused.valueIfKnown().isEmpty());
        assertEquals("kern.ipc.somaxconn unknown: kern.ipc.somaxconn could not be read (EPERM)", refused.toString());

        HostLimit missing = HostLimit.unreadable(HostLimit.Kind.ACCEPT_QUEUE_MAX, "kern.ipc.soacceptqueue", "ENOENT", "freebsd");
        assertEquals("kern.ipc.soacceptqueue does not exist on this kernel (ENOENT)", missing.unknownReason());

        HostLimit none = HostLimit.unreadable(HostLimit.Kind.ACCEPT_QUEUE_MAX, null, "EOPNOTSUPP", "netbsd");
        assertNull(none.setting());
        assertEquals("acceptQueueMax unknown: the bridge knows no setting that holds it on netbsd", none.toString());
    }

    @Test
    void eachBufferOptionHasItsOwnCap() {
        assertEquals(HostLimit.Kind.RECEIVE_BUFFER_MAX, HostLimit.Kind.bufferMaxOf(OptionName.SO_RCVBUF));
        assertEquals(HostLimit.Kind.SEND_BUFFER_MAX, HostLimit.Kind.bufferMaxOf(OptionName.SO_SNDBUF));
        assertThrows(IllegalArgumentException.class, () -> HostLimit.Kind.bufferMaxOf(OptionName.TCP_KEEPIDLE));
    }
}
