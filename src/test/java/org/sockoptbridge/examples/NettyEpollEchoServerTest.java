package org.sockoptbridge.examples;

import java.util.concurrent.TimeUnit;

import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.sockoptbridge.examples.AcceptedSockets.assertEveryConnectionHoldsThePolicy;
import static org.sockoptbridge.examples.AcceptedSockets.loopbackAnyPort;
import static org.sockoptbridge.examples.AcceptedSockets.policy;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
@EnabledIfPolicyOptions
class NettyEpollEchoServerTest {

    @Test
    void everyConnectionNettyEpollAcceptsHoldsThePolicy() throws Exception {
        AcceptedSockets.assumeLinux();
        assumeTrue(Epoll.isAvailable(), () -> "skipped: Netty's epoll transport is not available here: "
                + Epoll.unavailabilityCause());
        try (NettyEchoServer server = NettyEpollEchoServer.start(loopbackAnyPort(), policy())) {
            assertEveryConnectionHoldsThePolicy(server.localAddress());
        }
    }
}
