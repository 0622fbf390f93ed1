package org.sockoptbridge;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * Run in a child JVM with -Dsockopt.bridge.acceptedSocketsInherit=none: the policy path of a
 * platform whose accepted sockets inherit nothing. Prints one line per fact; exits 5 on the
 * first that does not hold.
 */
public final class PerConnectionPolicyMain {
    private PerConnectionPolicyMain() {
    }

    public static void main(String[] args) throws Exception {
        OptionSettings settings = OptionSettings.builder()
                .keepAlive(Duration.ofSeconds(61), Duration.ofSeconds(11), 4)
                .set(SockOpt.SO_SNDBUF, 96 * 1024)
                .set(SockOpt.TCP_USER_TIMEOUT, Duration.ofMillis(4321))
                .build();
        ListenerBuilder builder = ListenerBuilder.tcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .acceptedSocketPolicy(settings);
        try (ServerSocketChannel listener = builder.bind();
             SocketChannel client = SocketChannel.open(listener.getLocalAddress());
             SocketChannel accepted = listener.accept()) {
            AcceptedSocketPolicy policy = builder.policy();
            expect(!policy.inheritedFromListener(), "policy applies per connection: " + policy.perConnectionOptions());
            SocketControl onListener = SocketControl.of(listener);
            SocketControl onAccepted = SocketControl.of(accepted);
            Duration defaultIdle = Duration.ofSeconds(SockoptBridge.capabilities().of(OptionName.TCP_KEEPIDLE).defaultValue());
            expect(onListener.get(SockOpt.TCP_KEEPIDLE).equals(defaultIdle), "listener left alone: TCP_KEEPIDLE "
                    + onListener.get(SockOpt.TCP_KEEPIDLE));
            expect(onAccepted.get(SockOpt.TCP_KEEPIDLE).equals(defaultIdle), "accepted socket before applyTo: "
                    + onAccepted.get(SockOpt.TCP_KEEPIDLE));
            expect(onListener.get(SockOpt.TCP_USER_TIMEOUT).isZero() && onAccepted.get(SockOpt.TCP_USER_TIMEOUT).isZero(),
                    "listener and accepted socket before applyTo: TCP_USER_TIMEOUT off");
            policy.applyTo(accepted);
            expect(onAccepted.get(SockOpt.TCP_USER_TIMEOUT).equals(Duration.ofMillis(4321)),
                    "accepted socket after applyTo: TCP_USER_TIMEOUT " + onAccepted.get(SockOpt.TCP_USER_TIMEOUT).toMillis()
                            + "ms");
            expect(onAccepted.get(SockOpt.TCP_KEEPIDLE).equals(Duration.ofSeconds(61))
                    && onAccepted.get(SockOpt.TCP_KEEPINTVL).equals(Duration.ofSeconds(11))
                    && onAccepted.get(SockOpt.TCP_KEEPCNT) == 4, "accepted socket after applyTo: keep-alive 61/11/4");
            int expectedSndbuf = SocketControl.of(client).setBufferSize(SockOpt.SO_SNDBUF, 96 * 1024).kernelBytes();
            expect(onAccepted.get(SockOpt.SO_SNDBUF) == expectedSndbuf, "accepted socket after applyTo: SO_SNDBUF "
                    + onAccepted.get(SockOpt.SO_SNDBUF));
        }
    }

    private static void expect(boolean holds, String fact) {
        System.out.println((holds ? "ok: " : "FAILED: ") + fact);
        if (!holds) {
            System.exit(5);
        }
    }
}
