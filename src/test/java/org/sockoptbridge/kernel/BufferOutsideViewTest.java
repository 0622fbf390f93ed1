package org.sockoptbridge.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sockoptbridge.BufferSize;
import org.sockoptbridge.HostCapabilities;
import org.sockoptbridge.SockOpt;
import org.sockoptbridge.SocketControl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Buffer sizes set through the bridge, read back from outside the JVM: iproute2's ss asks the
 * kernel over sock_diag for the connection's skmem, where rb is sk_rcvbuf and tb is sk_sndbuf
 * (include/uapi/linux/sock_diag.h SK_MEMINFO_RCVBUF / SK_MEMINFO_SNDBUF), the same fields
 * getsockopt reads. Linux doubles a request and clamps it to net.core.rmem_max / wmem_max
 * first (net/core/sock.c sk_setsockopt, __sock_set_rcvbuf).
 */
class BufferOutsideViewTest {
    private static final Pattern SKMEM = Pattern.compile("skmem:\\(([^)]*)\\)");

    private String ss;

    @BeforeEach
    void needsSs() throws Exception {
        HostCommand.assumeLinux();
        ss = HostCommand.assumeTool("ss", "iproute2");
        HostCapabilities.assumeSsReadsSockets(ss);
    }

    @Test
    void ssSeesTheBufferSizesTheBridgeSetAndReports() throws Exception {
        int receive = 96 * 1024;
        int send = 160 * 1024;
        assumeTrue(receive <= sysctl("net/core/rmem_max") && send <= sysctl("net/core/wmem_max"),
                "skipped: net.core.rmem_max / wmem_max below the test's request sizes");
        try (ServerSocketChannel listener = loopbackListener();
             SocketChannel client = SocketChannel.open(listener.getLocalAddress());
             SocketChannel accepted = listener.accept()) {
            Map<String, Long> before = skmem(client);
            SocketControl control = SocketControl.of(client);
            BufferSize rcv = control.setBufferSize(SockOpt.SO_RCVBUF, receive);
            BufferSize snd = control.setBufferSize(SockOpt.SO_SNDBUF, send);
            Map<String, Long> after = skmem(client);
            Map<String, Long> peer = skmem(accepted);
            System.out.printf("ss skmem of the client: before rb=%d tb=%d, after rb=%d tb=%d; bridge: %s / %s;"
                            + " untouched peer rb=%d tb=%d%n",
                    before.get("rb"), before.get("tb"), after.get("rb"), after.get("tb"),
                    rcv.explanation(), snd.explanation(), peer.get("rb"), peer.get("tb"));

            assertEquals((long) rcv.kernelBytes(), (long) after.get("rb"), "ss rb vs the bridge's setBufferSize result");
            assertEquals(control.get(SockOpt.SO_RCVBUF), after.get("rb").intValue(), "ss rb vs SocketControl.get");
            assertEquals((long) snd.kernelBytes(), (long) after.get("tb"), "ss tb vs the bridge's setBufferSize result");
            assertEquals(control.get(SockOpt.SO_SNDBUF), after.get("tb").intValue(), "ss tb vs SocketControl.get");
            // The kernel's own rule, independent of how the bridge explains it.
            assertEquals(2L * receive, (long) after.get("rb"), "Linux doubles SO_RCVBUF");
            assertEquals(2L * send, (long) after.get("tb"), "Linux doubles SO_SNDBUF");
            assertEquals(BufferSize.Adjustment.DOUBLED, rcv.adjustment());
            assertEquals(BufferSize.Adjustment.DOUBLED, snd.adjustment());
            // The default was something else, so a setsockopt that never happened could not pass.
            assertNotEquals((long) before.get("rb"), (long) after.get("rb"), "ss rb unchanged by the bridge");
            assertNotEquals((long) before.get("tb"), (long) after.get("tb"), "ss tb unchanged by the bridge");
            // The right socket was read: the other end of the same connection kept its defaults.
            assertNotEquals((long) after.get("rb"), (long) peer.get("rb"), "the accepted end was not changed");
        }
    }

    @Test
    void aRequestAboveTheHostMaximumIsClampedThenDoubledAndSsAgrees() throws Exception {
        int rmemMax = sysctl("net/core/rmem_max");
        int wmemMax = sysctl("net/core/wmem_max");
        int headroom = 1 << 20;
        assumeTrue(rmemMax < Integer.MAX_VALUE / 2 - headroom && wmemMax < Integer.MAX_VALUE / 2 - headroom,
                "skipped: rmem_max/wmem_max so large that no int request exceeds them (" + rmemMax + "/" + wmemMax + ")");
        try (ServerSocketChannel listener = loopbackListener();
             SocketChannel client = SocketChannel.open(listener.getLocalAddress());
             SocketChannel accepted = listener.accept()) {
            SocketControl control = SocketControl.of(client);
            BufferSize rcv = control.setBufferSize(SockOpt.SO_RCVBUF, rmemMax + headroom);
            BufferSize snd = control.setBufferSize(SockOpt.SO_SNDBUF, wmemMax + headroom);
            Map<String, Long> seen = skmem(client);
            System.out.printf("rmem_max=%d wmem_max=%d; ss skmem rb=%d tb=%d; bridge: %s / %s%n",
                    rmemMax, wmemMax, seen.get("rb"), seen.get("tb"), rcv.explanation(), snd.explanation());

            assertEquals(2L * rmemMax, (long) seen.get("rb"), "clamped to rmem_max, then doubled");
            assertEquals(2L * wmemMax, (long) seen.get("tb"), "clamped to wmem_max, then doubled");
            assertEquals((long) rcv.kernelBytes(), (long) seen.get("rb"));
            assertEquals((long) snd.kernelBytes(), (long) seen.get("tb"));
            assertEquals(BufferSize.Adjustment.CLAMPED_TO_HOST_MAXIMUM, rcv.adjustment());
            assertEquals(BufferSize.Adjustment.CLAMPED_TO_HOST_MAXIMUM, snd.adjustment());
            assertNotEquals(2L * rmemMax, (long) skmem(accepted).get("rb"), "the accepted end keeps its default");
        }
    }

    private static ServerSocketChannel loopbackListener() throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return listener;
    }

    /** The skmem fields ss reports for exactly this connection (matched by both ends' ports). */
    private Map<String, Long> skmem(SocketChannel connection) throws Exception {
        InetSocketAddress local = (InetSocketAddress) connection.getLocalAddress();
        InetSocketAddress remote = (InetSocketAddress) connection.getRemoteAddress();
        HostCommand.Result result = HostCommand.check(ss, "-t", "-m", "-n", "-i", "-H", "state", "established",
                "sport", "=", ":" + local.getPort(), "and", "dport", "=", ":" + remote.getPort());
        Matcher m = SKMEM.matcher(result.stdout());
        assertTrue(m.find(), "no skmem for " + local + " -> " + remote + " in ss output:\n" + result.stdout());
        String fields = m.group(1);
        assertTrue(!m.find(), "more than one connection matched " + local + " -> " + remote + ":\n" + result.stdout());
        Map<String, Long> values = new LinkedHashMap<>();
        // r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0: a name of letters, then a number.
        for (String field : fields.split(",")) {
            Matcher f = Pattern.compile("([a-z]+)(\\d+)").matcher(field);
            if (f.matches()) {
                values.put(f.group(1), Long.parseLong(f.group(2)));
            }
        }
        assertTrue(values.containsKey("rb") && values.containsKey("tb"), "skmem without rb/tb: " + fields);
        return values;
    }

    private static int sysctl(String path) throws IOException {
        // A stream read: procfs reports a size that can truncate Files.readString (see HostSysctl).
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys", path))) {
            return Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        }
    }
}
