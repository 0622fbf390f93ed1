package org.sockoptbridge.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sockoptbridge.HostLimit;
import org.sockoptbridge.internal.os.PlatformFacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The probe's host limits as a Mac would produce them: the report collected here, with its host
 * limits and settings replaced by what macOS answers (its own settings; a cap the sandbox refused
 * to read; no Linux setting at all), rendered as text and as JSON. Where nothing could be read it
 * says unknown and why, never a number.
 */
class ProbeHostLimitsTest {

    private static Map<String, Object> macosReport() {
        List<HostLimit> limits = List.of(
                HostLimit.known(HostLimit.Kind.ACCEPT_QUEUE_MAX, "kern.ipc.somaxconn", 128),
                HostLimit.unreadable(HostLimit.Kind.RECEIVE_BUFFER_MAX, "kern.ipc.maxsockbuf", "EPERM", "macos"),
                HostLimit.unreadable(HostLimit.Kind.SEND_BUFFER_MAX, "kern.ipc.maxsockbuf", "EPERM", "macos"));
        Map<String, Object> report = ProbeReport.collect();
        report.put("hostLimits", ProbeReport.hostLimits(limits, PlatformFacts.forOs("macos-aarch64")));
        Map<String, Object> settings = new LinkedHashMap<>();
        for (String linuxSetting : ProbeReport.LIMITS) {
            settings.put(linuxSetting, null); // no /proc/sys on a Mac
        }
        ProbeReport.addHostLimitSettings(settings, limits);
        report.put("limits", settings);
        return report;
    }

    @Test
    void theTextSaysUnknownAndWhyWhereNothingCouldBeRead() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintWriter out = new PrintWriter(bytes, true, StandardCharsets.UTF_8);
        ProbeText.print(macosReport(), out);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("acceptQueueMax     kern.ipc.somaxconn = 128"), text);
        assertTrue(text.contains("receiveBufferMax   unknown: kern.ipc.maxsockbuf could not be read (EPERM)"), text);
        assertTrue(text.contains("bsd/kern/uipc_socket.c, solisten"), text);
        assertTrue(text.contains("fails with ENOBUFS"), text);
        assertTrue(text.contains("kern.ipc.somaxconn               128"), text);
        assertTrue(text.contains("kern.ipc.maxsockbuf              unknown"), text);
        assertTrue(text.contains("net.core.somaxconn               unknown (no such setting on this host)"), text);
    }

    @Test
    void theJsonHasNullForUnknownAndTheMacSettingsUnderTheirOwnNames() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Json.writeLine(macosReport(), bytes);
        String json = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(json.contains("\"acceptQueueMax\":{\"setting\":\"kern.ipc.somaxconn\",\"value\":128,\"unknownReason\":null,"), json);
        assertTrue(json.contains("\"receiveBufferMax\":{\"setting\":\"kern.ipc.maxsockbuf\",\"value\":null,"
                + "\"unknownReason\":\"kern.ipc.maxsockbuf could not be read (EPERM)\""), json);
        assertTrue(json.contains("\"net.core.somaxconn\":null"), json);
        assertTrue(json.contains("\"kern.ipc.somaxconn\":128"), json);
        assertTrue(json.contains("\"kern.ipc.maxsockbuf\":null"), json);
        assertFalse(json.contains("\"kern.ipc.maxsockbuf\":0"), json);
    }

    @Test
    void onThisHostTheHostLimitsAreTheOnesLimitsShowsUnderTheirNames() {
        Map<String, Object> report = ProbeReport.collect();
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> hostLimits = (Map<String, Map<String, Object>>) report.get("hostLimits");
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) report.get("limits");
        assertEquals(List.of("acceptQueueMax", "receiveBufferMax", "sendBufferMax"), List.copyOf(hostLimits.keySet()));
        for (Map<String, Object> limit : hostLimits.values()) {
            if (limit.get("setting") != null) {
                // Two readers of the same setting: the backend's (hostLimits) and procfs from Java (limits).
                assertEquals(settings.get(limit.get("setting")), limit.get("value"), limit.toString());
            }
        }
    }
}
