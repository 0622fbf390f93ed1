package org.sockoptbridge.examples;

import java.util.concurrent.TimeUnit;

import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.sockoptbridge.examples.AcceptedSockets.assertEveryConnectionHoldsThePolicy;
import static org.sockoptbridge.examples.AcceptedSockets.loopbackAnyPort;
import static org.sockoptbridge.examples.AcceptedSockets.policy;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
@EnabledIfPolicyOptions
class NettyIoUringEchoServerTest {

    /** Skipped where io_uring is refused: a kernel without it, io_uring_disabled=2, a container's seccomp filter. */
    @Test
    void everyConnectionNettyIoUringAcceptsHoldsThePolicy() throws Exception {
        AcceptedSockets.assumeLinux();
        assumeTrue(IoUring.isAvailable(), () -> "skipped: Netty's io_uring transport is not available here: "
                + IoUring.unavailabilityCause());
        try (NettyEchoServer server = NettyIoUringEchoServer.start(loopbackAnyPort(), policy())) {
            assertEveryConnectionHoldsThePolicy(server.localAddress());
        }
    }
}
