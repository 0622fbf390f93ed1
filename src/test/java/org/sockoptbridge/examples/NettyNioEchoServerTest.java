package org.sockoptbridge.examples;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.sockoptbridge.examples.AcceptedSockets.assertEveryConnectionHoldsThePolicy;
import static org.sockoptbridge.examples.AcceptedSockets.loopbackAnyPort;
import static org.sockoptbridge.examples.AcceptedSockets.policy;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
@EnabledIfPolicyOptions
class NettyNioEchoServerTest {

    @Test
    void everyConnectionNettyNioAcceptsOnOurListenerHoldsThePolicy() throws Exception {
        AcceptedSockets.assumeLinux();
        try (NettyEchoServer server = NettyNioEchoServer.start(loopbackAnyPort(), policy())) {
            assertEveryConnectionHoldsThePolicy(server.localAddress());
        }
    }
}
