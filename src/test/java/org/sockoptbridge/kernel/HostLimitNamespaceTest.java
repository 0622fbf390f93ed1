package org.sockoptbridge.kernel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

import org.junit.jupiter.api.Test;
import org.sockoptbridge.BacklogReport;
import org.sockoptbridge.HostLimit;
import org.sockoptbridge.ListenerBuilder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The accept-queue cap is read from the kernel when asked, for the network namespace of the
 * calling thread: in a fresh namespace whose net.core.somaxconn is set to 16 by ip(8) from outside
 * the JVM, the bridge reads 16 (not the host's value, not a cached one), and a listener opened
 * there with backlog 4096 is reported as capped to 16, which the kernel confirms.
 */
class HostLimitNamespaceTest {
    private static final int NAMESPACE_SOMAXCONN = 16;

    @Test
    void theCapIsThatOfTheCallingThreadsNetworkNamespace() throws Exception {
        HostCommand.assumeLinux();
        assumeTrue(HostCommand.isRoot(), "skipped: creating network namespaces needs root");
        String ip = HostCommand.assumeTool("ip", "iproute2");
        NetNamespace.deleteOrphans(ip);
        HostLimit outside = HostLimit.read(HostLimit.Kind.ACCEPT_QUEUE_MAX);
        assumeTrue(outside.isKnown() && outside.value() != NAMESPACE_SOMAXCONN,
                "skipped: the host's own net.core.somaxconn is " + outside + ", which cannot tell the namespaces apart");
        NetNamespace namespace;
        try {
            namespace = NetNamespace.create(ip, "limit");
        } catch (NetNamespace.NamespaceUnavailableException e) {
            assumeTrue(false, "skipped: " + e.getMessage());
            return;
        }
        try (namespace) {
            namespace.ip("link", "set", "lo", "up");
            namespace.exec("sh", "-c", "echo " + NAMESPACE_SOMAXCONN + " > /proc/sys/net/core/somaxconn");

            HostLimit inside = namespace.call(() -> HostLimit.read(HostLimit.Kind.ACCEPT_QUEUE_MAX));
            assertEquals(HostLimit.known(HostLimit.Kind.ACCEPT_QUEUE_MAX, "net.core.somaxconn", NAMESPACE_SOMAXCONN), inside);
            assertEquals(outside, HostLimit.read(HostLimit.Kind.ACCEPT_QUEUE_MAX), "this thread still reads the host's");

            BacklogReport report = namespace.call(() -> {
                ListenerBuilder builder = ListenerBuilder.tcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                        .backlog(4096);
                try (ServerSocketChannel listener = builder.bind()) {
                    assertTrue(listener.isOpen());
                    return builder.backlogReport();
                }
            });
            assertTrue(report.capped(), report.toString());
            assertEquals(NAMESPACE_SOMAXCONN, report.effective(), "read back from the listener (TCP_INFO)");
            assertEquals(inside, report.hostCap());
            assertEquals("backlog 4096 requested, capped to 16 by net.core.somaxconn=16", report.toString());
        }
    }
}
