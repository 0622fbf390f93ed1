package org.sockoptbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * listen holds each connection and prints how it ended; connect is its client side. Real loopback
 * connections ended each way a peer can end them: FIN, RST (SO_LINGER 0), and the command's own
 * --duration. The kernel's own drops are in KeepAliveCliIT (network namespaces).
 */
class HoldCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void listenEchoesAndTellsHowEachConnectionEnded() throws Exception {
        try (RunningCli listen = RunningCli.start("listen", "--host", "127.0.0.1", "--keepalive", "60,10,5",
                "--duration", "6", "--json")) {
            int port = listen.nextEvent("listening", WAIT).get("port").asInt();

            // A: says something, reads it back, closes normally (FIN).
            int greetingBytes;
            String aPeer;
            try (Socket a = connect(port)) {
                BufferedReader in = reader(a);
                String greeting = in.readLine();
                greetingBytes = greeting.getBytes(StandardCharsets.UTF_8).length + 1;
                JsonNode accepted = listen.nextEvent("accepted", WAIT);
                assertEquals(JSON.readTree(greeting), accepted, "the client gets the line listen printed");
                aPeer = accepted.get("peer").asText();
                assertEquals("127.0.0.1:" + a.getLocalPort(), aPeer);
                OutputStream out = a.getOutputStream();
                out.write("ping\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertEquals("ping", in.readLine(), "listen echoes");
            }
            JsonNode aClosed = listen.nextEvent("closed", WAIT);
            System.out.println("FIN: " + aClosed);
            assertEquals(aPeer, aClosed.get("peer").asText());
            assertEquals("peer-closed", aClosed.get("reason").asText(), aClosed.toString());
            assertEquals(5, aClosed.get("bytesIn").asLong());
            assertEquals(greetingBytes + 5, aClosed.get("bytesOut").asLong());
            assertEquals("CLOSE_WAIT", aClosed.get("tcpInfo").get("state").asText(), "the FIN arrived: " + aClosed);
            assertTrue(aClosed.get("seconds").asDouble() >= 0, aClosed.toString());

            // B: resets the connection (SO_LINGER 0 makes close() send RST).
            try (Socket b = connect(port)) {
                reader(b).readLine();
                b.setSoLinger(true, 0);
            }
            JsonNode bClosed = listen.nextEvent("closed", WAIT);
            System.out.println("RST: " + bClosed);
            assertEquals("reset", bClosed.get("reason").asText(), bClosed.toString());
            assertEquals("Connection reset", bClosed.get("error").asText(), bClosed.toString());

            // C: stays until --duration ends; listen closes it and the client reads the end of the stream.
            try (Socket c = connect(port)) {
                BufferedReader in = reader(c);
                in.readLine();
                JsonNode cClosed = listen.nextEvent("closed", WAIT);
                System.out.println("--duration: " + cClosed);
                assertEquals("duration", cClosed.get("reason").asText(), cClosed.toString());
                assertEquals("ESTABLISHED", cClosed.get("tcpInfo").get("state").asText(), cClosed.toString());
                assertEquals(null, in.readLine(), "listen closed it");
            }
            assertEquals(0, listen.exitCode(WAIT), listen.stderr());
        }
    }

    @Test
    void connectHoldsItsConnectionUntilTheServerClosesItOrItsDurationEnds() throws Exception {
        try (RunningCli listen = RunningCli.start("listen", "--host", "127.0.0.1", "--duration", "8", "--json")) {
            int port = listen.nextEvent("listening", WAIT).get("port").asInt();
            String target = "127.0.0.1:" + port;

            CliProcess.Result shortOne = CliProcess.run("connect", target, "--duration", "1", "--json");
            assertEquals(0, shortOne.exitCode(), shortOne.stderr());
            JsonNode connected = JSON.readTree(shortOne.stdout().lines().toList().get(0));
            JsonNode closed = JSON.readTree(shortOne.stdout().lines().toList().get(1));
            assertEquals("connected", connected.get("event").asText());
            assertEquals(target, connected.get("peer").asText());
            assertEquals("duration", closed.get("reason").asText(), closed.toString());
            JsonNode accepted = listen.nextEvent("accepted", WAIT);
            assertEquals(connected.get("local").asText(), accepted.get("peer").asText(), "the same connection");
            long greeting = accepted.toString().getBytes(StandardCharsets.UTF_8).length + 1;
            assertEquals(greeting, closed.get("bytesIn").asLong(), "connect counted listen's line: " + closed);
            assertEquals("peer-closed", listen.nextEvent("closed", WAIT).get("reason").asText());

            // Held with options until listen's --duration ends it: the server's FIN, exit 0.
            try (RunningCli connect = RunningCli.start("connect", target, "--keepalive", "30,5,3", "--rcvbuf", "65536",
                    "--json")) {
                JsonNode options = connect.nextEvent("connected", WAIT).get("options");
                assertEquals(30, options.get("TCP_KEEPIDLE").asInt());
                assertEquals(5, options.get("TCP_KEEPINTVL").asInt());
                assertEquals(3, options.get("TCP_KEEPCNT").asInt());
                assertEquals(2 * 65536, options.get("SO_RCVBUF").asInt(), "Linux doubles what was asked");
                JsonNode end = connect.nextEvent("closed", WAIT);
                System.out.println("connect, server closed: " + end);
                assertEquals("peer-closed", end.get("reason").asText(), end.toString());
                assertEquals(0, connect.exitCode(WAIT), connect.stderr());
            }
            assertEquals(0, listen.exitCode(WAIT));
        }
    }

    @Test
    void connectReportsAResetAndExits1() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             RunningCli connect = RunningCli.start("connect", "127.0.0.1:" + server.getLocalPort(), "--json")) {
            assertEquals("connected", connect.next(WAIT).get("event").asText());
            try (Socket accepted = server.accept()) {
                accepted.setSoLinger(true, 0);
            }
            JsonNode end = connect.nextEvent("closed", WAIT);
            assertEquals("reset", end.get("reason").asText(), end.toString());
            assertEquals(1, connect.exitCode(WAIT));
        }
    }

    @Test
    void connectToNothingFailsWithOneErrorLine() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        CliProcess.Result refused = CliProcess.run("connect", "127.0.0.1:" + port);
        assertEquals(1, refused.exitCode());
        assertEquals("", refused.stdout());
        assertEquals("error: cannot connect to 127.0.0.1:" + port + ": Connection refused", refused.stderr().strip());

        CliProcess.Result outOfRange = CliProcess.run("connect", "127.0.0.1:" + port, "--keepalive", "99999,1,1");
        assertEquals(2, outOfRange.exitCode());
        assertTrue(outOfRange.stderr().startsWith("error: ") && outOfRange.stderr().contains("TCP_KEEPIDLE")
                && outOfRange.stderr().contains("1..32767"), outOfRange.stderr());
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }
}
