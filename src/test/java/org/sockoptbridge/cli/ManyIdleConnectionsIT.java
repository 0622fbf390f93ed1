package org.sockoptbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * listen holds thousands of idle connections on one selector thread: its thread count
 * (/proc/PID/status Threads) is the same before and after they connect, give or take the JVM's
 * own helpers (a JIT compiler thread it adds under load); a thread per connection would add
 * thousands. ss confirms the kernel holds them all established.
 */
class ManyIdleConnectionsIT {
    private static final int CONNECTIONS = 2000;
    /** JVM threads that may come and go on their own (dynamic JIT compiler threads, GC workers). */
    private static final int JVM_THREAD_DRIFT = 4;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void listenHoldsThousandsOfIdleConnectionsWithAFlatThreadCount() throws Exception {
        // Each side needs a descriptor per connection; the JVM raises its soft limit to the hard one.
        long ours = openFileLimit(ProcessHandle.current().pid());
        assumeTrue(ours >= CONNECTIONS + 500, "skipped: this JVM may open " + ours + " files, the test needs "
                + (CONNECTIONS + 500) + " (ulimit -Hn)");
        try (RunningCli listen = RunningCli.start("listen", "--host", "127.0.0.1", "--backlog", "4096",
                "--duration", "600", "--json")) {
            int port = listen.nextEvent("listening", WAIT).get("port").asInt();
            long theirs = openFileLimit(listen.pid());
            assumeTrue(theirs >= CONNECTIONS + 100, "skipped: listen may open only " + theirs + " files");
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            // One connection first, so that the per-connection path has run once before the count.
            try (SocketChannel warm = SocketChannel.open(address)) {
                listen.nextEvent("accepted", WAIT);
            }
            listen.nextEvent("closed", WAIT);
            int threadsBefore = threads(listen.pid());

            List<SocketChannel> clients = new ArrayList<>(CONNECTIONS);
            long start = System.nanoTime();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    clients.add(SocketChannel.open(address));
                }
                for (int i = 0; i < CONNECTIONS; i++) {
                    listen.nextEvent("accepted", WAIT);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                int threadsAfter = threads(listen.pid());
                long established = ss("-Htn", "state", "established", "sport = :" + port).lines().count();
                System.out.printf("listen holds %d idle connections (accepted in %.1f s): threads %d before, %d after;"
                        + " ss: %d established on its port%n", CONNECTIONS, seconds, threadsBefore, threadsAfter, established);
                assertEquals(CONNECTIONS, established, "the kernel holds every one");
                assertTrue(threadsAfter - threadsBefore <= JVM_THREAD_DRIFT,
                        "a flat thread count: " + threadsBefore + " before, " + threadsAfter + " with "
                                + CONNECTIONS + " connections");
            } finally {
                for (SocketChannel client : clients) {
                    client.close();
                }
            }
            // The clients never read listen's line: closing a socket with unread data sends RST, not
            // FIN (net/ipv4/tcp.c __tcp_close, RFC 2525 section 2.17), so each ends as a reset.
            for (int i = 0; i < CONNECTIONS; i++) {
                JsonNode closed = listen.nextEvent("closed", WAIT);
                assertEquals("reset", closed.get("reason").asText(), closed.toString());
            }
        }
    }

    /** "Max open files" soft limit of a process, from /proc/PID/limits. */
    static long openFileLimit(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        throw new IllegalStateException("no Max open files in /proc/" + pid + "/limits");
    }

    /** Threads: of /proc/PID/status, counted by the kernel. */
    static int threads(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring("Threads:".length()).trim());
            }
        }
        throw new IllegalStateException("no Threads: in /proc/" + pid + "/status");
    }

    private static String ss(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ss"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
