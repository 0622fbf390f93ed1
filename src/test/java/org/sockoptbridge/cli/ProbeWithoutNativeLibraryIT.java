package org.sockoptbridge.cli;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The probe names its backend; without one nothing is probed and it says "unknown", never "not available". */
class ProbeWithoutNativeLibraryIT {
    private static final List<String> NO_LIBRARY = List.of("-Dsockopt.bridge.library=/nonexistent/libsockopt_bridge.so");

    @Test
    void ipv6IsUnknownNotFalseInJson() throws Exception {
        CliProcess.Result result = CliProcess.run(NO_LIBRARY, "probe", "--json");
        JsonNode report = new ObjectMapper().readTree(result.stdout());
        assertTrue(report.has("ipv6"), result.stdout());
        assertTrue(report.get("ipv6").isNull(), "ipv6 must be null (unknown): " + report.get("ipv6"));
        assertTrue(report.get("backend").isNull(), "no backend: " + report.get("backend"));
    }

    @Test
    void withTheShimTheReportNamesItsBackend() throws Exception {
        JsonNode report = new ObjectMapper().readTree(CliProcess.run("probe", "--json").stdout());
        assertEquals("shim", report.get("backend").asText(), report.toString());
    }

    @Test
    void forcedPortableTheReportNamesItsBackend() throws Exception {
        JsonNode report = new ObjectMapper().readTree(
                CliProcess.run(List.of("-Dsockopt.bridge.backend=portable"), "probe", "--json").stdout());
        assertEquals("portable", report.get("backend").asText(), report.toString());
        // Without --add-opens the portable backend cannot read a JDK channel's fd, so inheritance
        // cannot be detected: unknown (null), not "not inherited".
        assertTrue(report.get("options").get(0).get("inheritedByAcceptedSockets").isNull(), report.toString());
    }

    @Test
    void ipv6IsUnknownInText() throws Exception {
        CliProcess.Result result = CliProcess.run(NO_LIBRARY, "probe");
        String ipv6Line = result.stdout().lines().filter(line -> line.trim().startsWith("IPv6")).findFirst().orElse("");
        assertTrue(ipv6Line.contains("unknown"), ipv6Line);
        assertEquals(-1, ipv6Line.indexOf("not available"), ipv6Line);
    }
}
