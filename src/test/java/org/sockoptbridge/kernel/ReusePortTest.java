package org.sockoptbridge.kernel;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.sockoptbridge.ListenerBuilder;
import org.sockoptbridge.OptionName;
import org.sockoptbridge.junit.EnabledIfSocketOptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SO_REUSEPORT on Linux: listeners that all set it share one port, and the kernel spreads new
 * connections across them (a hash of the 4-tuple picks one: net/core/sock_reuseport.c). Without
 * it on every socket of the group, the second bind is refused.
 */
class ReusePortTest {
    private static final int LISTENERS = 4;
    private static final int CONNECTIONS = 400;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    @EnabledIfSocketOptions(OptionName.SO_REUSEPORT)
    void fourListenersWithReusePortShareOnePortAndTheKernelSpreadsConnectionsOverAll() throws Exception {
        HostCommand.assumeLinux(); // elsewhere SO_REUSEPORT shares the bind but does not balance
        List<ServerSocketChannel> listeners = new ArrayList<>();
        List<SocketChannel> clients = new ArrayList<>();
        try {
            listeners.add(reusePortListener(new InetSocketAddress(LOOPBACK, 0)));
            InetSocketAddress shared = (InetSocketAddress) listeners.get(0).getLocalAddress();
            for (int i = 1; i < LISTENERS; i++) {
                listeners.add(reusePortListener(shared)); // throws BindException if the bridge did not set it
            }

            Set<Integer> sourcePorts = new HashSet<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                SocketChannel client = SocketChannel.open(shared);
                clients.add(client);
                sourcePorts.add(((InetSocketAddress) client.getLocalAddress()).getPort());
            }
            assertEquals(CONNECTIONS, sourcePorts.size(), "every connection from its own source port");

            int[] accepted = acceptEverything(listeners);
            String spread = Arrays.toString(accepted);
            System.out.printf("SO_REUSEPORT spread of %d loopback connections over %d listeners on port %d: %s%n",
                    CONNECTIONS, LISTENERS, shared.getPort(), spread);
            assertEquals(CONNECTIONS, Arrays.stream(accepted).sum(), "every connection accepted exactly once: " + spread);
            for (int i = 0; i < LISTENERS; i++) {
                // A fair hash gives about 100 each (sd ~9); 25 is far outside chance, so a group
                // where one socket gets (nearly) nothing fails, not only one that gets exactly zero.
                assertTrue(accepted[i] >= CONNECTIONS / (4 * LISTENERS),
                        "listener " + i + " got too few of the connections: " + spread);
            }
        } finally {
            closeAll(clients);
            closeAll(listeners);
        }
    }

    @Test
    void withoutReusePortTheSecondBindToTheSamePortIsRefused() throws IOException {
        try (ServerSocketChannel first = ListenerBuilder.tcp(new InetSocketAddress(LOOPBACK, 0)).bind()) {
            InetSocketAddress taken = (InetSocketAddress) first.getLocalAddress();
            assertThrows(BindException.class, () -> ListenerBuilder.tcp(taken).bind().close());
        }
    }

    @Test
    void reusePortOnOnlyOneOfTheTwoSocketsIsNotEnough() throws IOException {
        HostCommand.assumeLinux(); // "set on every socket of the group" is the Linux rule
        try (ServerSocketChannel first = reusePortListener(new InetSocketAddress(LOOPBACK, 0))) {
            InetSocketAddress taken = (InetSocketAddress) first.getLocalAddress();
            assertThrows(BindException.class, () -> ListenerBuilder.tcp(taken).bind().close(),
                    "second socket without SO_REUSEPORT");
        }
        try (ServerSocketChannel first = ListenerBuilder.tcp(new InetSocketAddress(LOOPBACK, 0)).bind()) {
            InetSocketAddress taken = (InetSocketAddress) first.getLocalAddress();
            assertThrows(BindException.class, () -> reusePortListener(taken).close(),
                    "first socket without SO_REUSEPORT");
        }
    }

    private static ServerSocketChannel reusePortListener(InetSocketAddress address) throws IOException {
        return ListenerBuilder.tcp(address).reusePort(true).backlog(CONNECTIONS).bind();
    }

    /** Drains every accept queue until all connections are counted (or 5 s pass). */
    private static int[] acceptEverything(List<ServerSocketChannel> listeners) throws IOException, InterruptedException {
        int[] accepted = new int[listeners.size()];
        for (ServerSocketChannel listener : listeners) {
            listener.configureBlocking(false);
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (Arrays.stream(accepted).sum() < CONNECTIONS && System.nanoTime() < deadline) {
            boolean any = false;
            for (int i = 0; i < listeners.size(); i++) {
                SocketChannel connection;
                while ((connection = listeners.get(i).accept()) != null) {
                    connection.close();
                    accepted[i]++;
                    any = true;
                }
            }
            if (!any) {
                Thread.sleep(10);
            }
        }
        return accepted;
    }

    private static void closeAll(List<? extends java.nio.channels.Channel> channels) throws IOException {
        for (java.nio.channels.Channel channel : channels) {
            channel.close();
        }
    }
}
