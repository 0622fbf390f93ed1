package org.sockoptbridge.examples;

import java.net.Socket;
import java.util.concurrent.TimeUnit;

import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.sockoptbridge.examples.AcceptedSockets.assertHoldsPolicy;
import static org.sockoptbridge.examples.AcceptedSockets.connectAndEcho;
import static org.sockoptbridge.examples.AcceptedSockets.loopbackAnyPort;
import static org.sockoptbridge.examples.AcceptedSockets.policy;
import static org.sockoptbridge.examples.AcceptedSockets.serverSideFd;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NettyEpollEchoServerTest {

    @Test
    void everyConnectionNettyEpollAcceptsHoldsThePolicy() throws Exception {
        AcceptedSockets.assumeLinux();
        assumeTrue(Epoll.isAvailable(), () -> "skipped: Netty's epoll transport is not available here: "
                + Epoll.unavailabilityCause());
        try (NettyEpollEchoServer server = NettyEpollEchoServer.start(loopbackAnyPort(), policy())) {
            int serverPort = server.localAddress().getPort();
            for (int i = 0; i < 3; i++) {
                try (Socket client = connectAndEcho(server.localAddress())) {
                    assertHoldsPolicy(serverSideFd(serverPort, client.getLocalPort()));
                }
            }
        }
    }
}
