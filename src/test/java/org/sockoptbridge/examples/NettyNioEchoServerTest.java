package org.sockoptbridge.examples;

import java.net.Socket;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.sockoptbridge.examples.AcceptedSockets.assertHoldsPolicy;
import static org.sockoptbridge.examples.AcceptedSockets.connectAndEcho;
import static org.sockoptbridge.examples.AcceptedSockets.loopbackAnyPort;
import static org.sockoptbridge.examples.AcceptedSockets.policy;
import static org.sockoptbridge.examples.AcceptedSockets.serverSideFd;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NettyNioEchoServerTest {

    @Test
    void everyConnectionNettyNioAcceptsOnOurListenerHoldsThePolicy() throws Exception {
        AcceptedSockets.assumeLinux();
        try (NettyNioEchoServer server = NettyNioEchoServer.start(loopbackAnyPort(), policy())) {
            int serverPort = server.localAddress().getPort();
            for (int i = 0; i < 3; i++) {
                try (Socket client = connectAndEcho(server.localAddress())) {
                    assertHoldsPolicy(serverSideFd(serverPort, client.getLocalPort()));
                }
            }
        }
    }
}
