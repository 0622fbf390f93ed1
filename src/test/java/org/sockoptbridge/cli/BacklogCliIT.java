package org.sockoptbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Backlog pressure through the CLI jar, as the README walks through it: listen with a small
 * backlog and a blocked accept loop, a connect burst, and --watch showing the full queue and the
 * host's overflow counter rising.
 */
class BacklogCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void watchShowsTheQueueFillAndOverflowUnderABurst() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/netstat")), "/proc/net/netstat absent: no counters to watch");
        Process listen = CliProcess.start("listen", "--host", "127.0.0.1", "--backlog", "4", "--accept-delay", "30s",
                "--watch", "100ms", "--duration", "30", "--json");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(listen.getInputStream(), StandardCharsets.UTF_8))) {
            JsonNode first = JSON.readTree(out.readLine());
            assertEquals("listening", first.get("event").asText());
            assertEquals(4, first.get("backlog").get("effective").asInt());
            assertEquals("net.core.somaxconn", first.get("backlog").get("hostCapSetting").asText());
            assertEquals(CliProcess.sysctl("net.core.somaxconn"), first.get("backlog").get("hostCap").asLong());
            assertTrue(first.get("backlog").get("unknownReason").isNull(), first.toString());
            int port = first.get("port").asInt();
            JsonNode watch = JSON.readTree(out.readLine());
            assertEquals("watch", watch.get("event").asText());
            assertEquals(0, watch.get("queue").get("length").asInt());
            assertEquals(4, watch.get("queue").get("limit").asInt());
            for (String counter : List.of("ListenOverflows", "ListenDrops", "TCPReqQFullDrop", "TCPReqQFullDoCookies",
                    "SyncookiesSent")) {
                assertTrue(watch.get("sinceStart").has(counter), counter + " is in every watch line (null if unknown)");
            }

            CliProcess.Result burst = CliProcess.run("connect", "--port", String.valueOf(port), "--burst", "64",
                    "--timeout", "1500ms", "--json");
            assertEquals(1, burst.exitCode(), "not all accepted: " + burst.stdout() + burst.stderr());
            JsonNode report = JSON.readTree(burst.stdout());
            System.out.println("connect --burst 64 against backlog 4, blocked accept: " + report);
            assertEquals(64, report.get("requested").asInt());
            int outcomes = 0;
            for (String outcome : List.of("accepted", "refused", "reset", "timedOut", "unanswered")) {
                outcomes += report.get(outcome).asInt();
            }
            assertEquals(64, outcomes, "every connection has one outcome: " + report);
            assertTrue(report.get("timedOut").asInt() + report.get("unanswered").asInt() >= 64 - 5,
                    "a queue of 4 (the kernel admits 5) serves at most 5 while the accept loop sleeps: " + report);

            JsonNode full = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (full == null && System.nanoTime() < deadline) {
                JsonNode line = JSON.readTree(out.readLine());
                if (line.get("event").asText().equals("watch") && line.get("queue").get("length").asInt() >= 4
                        && line.get("sinceStart").get("ListenOverflows").asLong() >= 1) {
                    full = line;
                }
            }
            assertTrue(full != null, "a watch line with the queue at its limit and ListenOverflows risen");
            System.out.println("watch: " + full);
        } finally {
            listen.destroy();
            listen.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void usageErrors() throws Exception {
        for (List<String> args : List.of(List.of("connect", "--port", "1", "--burst", "100001"),
                List.of("connect", "--port", "1", "--burst", "0"),
                List.of("connect", "--burst", "5"),
                List.of("connect", "--port", "1", "--burst", "5", "--timeout", "1h"),
                List.of("connect", "--port", "1", "--burst", "5", "--timeout", "601"),
                List.of("listen", "--host", "127.0.0.1", "--watch", "5ms", "--duration", "1"),
                List.of("listen", "--host", "127.0.0.1", "--accept-delay", "soon", "--duration", "1"))) {
            CliProcess.Result result = CliProcess.run(args.toArray(new String[0]));
            assertEquals(2, result.exitCode(), args + ": " + result.stderr());
            assertTrue(result.stderr().startsWith("error: --"), args + ": " + result.stderr());
        }
    }

    @Test
    void aBurstAtAClosedPortIsRefused() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        CliProcess.Result result = CliProcess.run("connect", "--port", String.valueOf(port), "--burst", "3", "--json");
        assertEquals(1, result.exitCode());
        JsonNode report = JSON.readTree(result.stdout());
        assertEquals(3, report.get("refused").asInt(), report.toString());
        assertTrue(report.get("connectMillis").get("p50").isNull(), "none connected: no percentiles, not 0");
    }
}
