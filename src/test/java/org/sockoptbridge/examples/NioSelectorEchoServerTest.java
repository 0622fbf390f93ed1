package org.sockoptbridge.examples;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockoptbridge.HostCapabilities;
import org.sockoptbridge.SockOpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.sockoptbridge.examples.AcceptedSockets.assertEveryConnectionHoldsThePolicy;
import static org.sockoptbridge.examples.AcceptedSockets.connectAndEcho;
import static org.sockoptbridge.examples.AcceptedSockets.kernelBytesFor;
import static org.sockoptbridge.examples.AcceptedSockets.loopbackAnyPort;
import static org.sockoptbridge.examples.AcceptedSockets.policy;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
@EnabledIfPolicyOptions
class NioSelectorEchoServerTest {

    @Test
    void everyConnectionTheSelectorLoopAcceptsHoldsThePolicy() throws Exception {
        AcceptedSockets.assumeLinux();
        try (NioSelectorEchoServer server = NioSelectorEchoServer.start(loopbackAnyPort(), policy())) {
            assertEveryConnectionHoldsThePolicy(server.localAddress());
        }
    }

    /** The same facts from outside the JVM: ss shows the keep-alive timer and the buffer sizes. */
    @Test
    void ssShowsTheKeepAliveTimerAndBuffersOnTheAcceptedSocket() throws Exception {
        AcceptedSockets.assumeLinux();
        HostCapabilities.assumeSsReadsSockets("ss");
        try (NioSelectorEchoServer server = NioSelectorEchoServer.start(loopbackAnyPort(), policy());
             Socket client = connectAndEcho(server.localAddress())) {
            String ss = ss("-tnmoi", "state", "established",
                    "sport", "=", ":" + server.localAddress().getPort(), "dport", "=", ":" + client.getLocalPort());
            // An established socket has a keep-alive timer only with SO_KEEPALIVE on; it counts down
            // from TCP_KEEPIDLE. ss prints 60 s as "1min", 59.9 s as "59sec"; ",0)" is probes sent.
            Matcher timer = Pattern.compile("timer:\\(keepalive,(?:(\\d+)min)?(?:(\\d+)sec)?[^,]*,0\\)").matcher(ss);
            assertTrue(timer.find(), ss);
            int seconds = 60 * parse(timer.group(1)) + parse(timer.group(2));
            assertTrue(seconds > 50 && seconds <= 60, "keep-alive timer near TCP_KEEPIDLE=60s: " + ss);
            // skmem rb/tb are sk_rcvbuf/sk_sndbuf: the values the bridge read back.
            Matcher skmem = Pattern.compile("skmem:\\(r\\d+,rb(\\d+),t\\d+,tb(\\d+)").matcher(ss);
            assertTrue(skmem.find(), ss);
            assertEquals(kernelBytesFor(SockOpt.SO_RCVBUF, AcceptedSockets.RCVBUF), Integer.parseInt(skmem.group(1)), ss);
            assertEquals(kernelBytesFor(SockOpt.SO_SNDBUF, AcceptedSockets.SNDBUF), Integer.parseInt(skmem.group(2)), ss);
        }
    }

    private static int parse(String digits) {
        return digits == null ? 0 : Integer.parseInt(digits);
    }

    private static String ss(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("ss"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            assumeTrue(false, "skipped: no ss (iproute2) on this host: " + notInstalled.getMessage());
            throw notInstalled;
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), out);
        return out;
    }
}
