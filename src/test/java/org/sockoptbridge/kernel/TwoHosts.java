package org.sockoptbridge.kernel;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two network namespaces joined by a veth pair, a "server" at {@link #SERVER_IP} and a "client"
 * at {@link #CLIENT_IP}, with permanent neighbour entries: no ARP, so when a test cuts the path
 * (removes an address), nothing answers and no error comes back, and the only thing that can end
 * a connection is a TCP timer. A test that cannot have them (not root, no iproute2, no veth) is
 * skipped with the reason. Closing deletes both namespaces, and the veth pair with them.
 */
public final class TwoHosts implements java.io.Closeable {
    public static final String SERVER_IP = "192.0.2.1"; // TEST-NET-1, only inside the test's namespaces
    public static final String CLIENT_IP = "192.0.2.2";
    private static final String SERVER_MAC = "02:00:c0:00:02:01";
    private static final String CLIENT_MAC = "02:00:c0:00:02:02";

    private final NetNamespace server;
    private final NetNamespace client;
    private final String serverLink;
    private final String clientLink;

    private TwoHosts(NetNamespace server, NetNamespace client, String serverLink, String clientLink) {
        this.server = server;
        this.client = client;
        this.serverLink = serverLink;
        this.clientLink = clientLink;
    }

    /** Both namespaces, linked and addressed, or the test is skipped with the reason. */
    public static TwoHosts create() throws Exception {
        HostCommand.assumeLinux();
        assumeTrue(HostCommand.isRoot(), "skipped: creating network namespaces and veth pairs needs root");
        String ip = HostCommand.assumeTool("ip", "iproute2");
        NetNamespace.deleteOrphans(ip);
        NetNamespace server = null;
        NetNamespace client = null;
        try {
            try {
                server = NetNamespace.create(ip, "srv");
                client = NetNamespace.create(ip, "cli");
                server.call(() -> null); // can this JVM join it?
            } catch (NetNamespace.NamespaceUnavailableException e) {
                assumeTrue(false, "skipped: " + e.getMessage());
            }
            String serverLink = "sobs" + ProcessHandle.current().pid();
            String clientLink = "sobc" + ProcessHandle.current().pid();
            HostCommand.Result veth = HostCommand.run(ip, "link", "add", serverLink, "address", SERVER_MAC, "netns",
                    server.name, "type", "veth", "peer", "name", clientLink, "address", CLIENT_MAC, "netns", client.name);
            assumeTrue(veth.ok(), "skipped: cannot create a veth pair (kernel without veth?): " + veth.stderr().strip());
            server.ip("addr", "add", SERVER_IP + "/24", "dev", serverLink);
            client.ip("addr", "add", CLIENT_IP + "/24", "dev", clientLink);
            server.ip("link", "set", serverLink, "up");
            client.ip("link", "set", clientLink, "up");
            // Permanent neighbour entries: no ARP, so the only thing that can end a connection
            // is a TCP timer (a failed ARP would report EHOSTUNREACH instead).
            server.ip("neigh", "replace", CLIENT_IP, "lladdr", CLIENT_MAC, "dev", serverLink, "nud", "permanent");
            client.ip("neigh", "replace", SERVER_IP, "lladdr", SERVER_MAC, "dev", clientLink, "nud", "permanent");
            TwoHosts hosts = new TwoHosts(server, client, serverLink, clientLink);
            server = null;
            client = null;
            return hosts;
        } finally {
            if (client != null) {
                client.close();
            }
            if (server != null) {
                server.close();
            }
        }
    }

    public NetNamespace server() {
        return server;
    }

    public NetNamespace client() {
        return client;
    }

    /**
     * The server vanishes: its address is removed, so packets to it are dropped, nothing answers,
     * no ICMP comes back.
     */
    public void cutServer() throws Exception {
        server.ip("addr", "del", SERVER_IP + "/24", "dev", serverLink);
    }

    /** The client vanishes the same way. */
    public void cutClient() throws Exception {
        client.ip("addr", "del", CLIENT_IP + "/24", "dev", clientLink);
    }

    @Override
    public void close() throws java.io.IOException {
        try {
            client.close();
        } finally {
            server.close();
        }
    }
}
