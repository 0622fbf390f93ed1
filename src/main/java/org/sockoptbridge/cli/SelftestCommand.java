package org.sockoptbridge.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.sockoptbridge.BufferSize;
import org.sockoptbridge.Capabilities;
import org.sockoptbridge.InvalidOptionValueException;
import org.sockoptbridge.MissingCapabilitiesException;
import org.sockoptbridge.OptionName;
import org.sockoptbridge.OptionSupport;
import org.sockoptbridge.SockOpt;
import org.sockoptbridge.SocketClosedException;
import org.sockoptbridge.SocketControl;
import org.sockoptbridge.SockoptBridge;
import org.sockoptbridge.WrongSocketStateException;
import org.sockoptbridge.WrongSocketTypeException;

/**
 * {@code selftest}: the bridge's conformance checks, run on this host's real sockets (the subset of
 * the project's tests that needs nothing but a JRE, so that it runs in any container). Each
 * supported option is set and read back, checked against the JDK where the JDK has it; each
 * unsupported one is SKIP with its reason.
 */
final class SelftestCommand {
    static final String SCHEMA = "sockopt-bridge.selftest/1";

    static final CommandSpec SPEC = new CommandSpec("selftest",
            List.of("Sets and reads back every supported option on real loopback sockets, checks typed errors "
                    + "and the startup check. Exit 0 when no check fails."),
            List.of(new CommandSpec.Opt("json", null, false, "Print one JSON object (schema " + SCHEMA + ").")),
            List.of("0:no check failed", "1:a check failed", "2:usage error"));

    private final boolean json;
    private final PrintWriter out;

    SelftestCommand(Arguments arguments, PrintWriter out) {
        this.json = arguments.flag("json");
        this.out = out;
    }

    private final List<Map<String, Object>> checks = new ArrayList<>();

    /** One check: returns a PASS detail, or throws {@link Skip} or anything else for FAIL. */
    private interface Check {
        String run() throws Exception;
    }

    private static final class Skip extends Exception {
        Skip(String reason) {
            super(reason, null, false, false);
        }
    }

    int call() {
        Capabilities capabilities = SockoptBridge.capabilities();
        check("native library loads", () -> {
            if (SockoptBridge.nativeConstant(OptionName.SO_RCVBUF) == null) {
                throw new AssertionError(capabilities.nativeLibrary());
            }
            return capabilities.nativeLibrary();
        });
        for (OptionName option : OptionName.values()) {
            OptionSupport support = capabilities.of(option);
            check(option.name() + " round-trip", () -> {
                if (!support.supported()) {
                    throw new Skip(support.explanation());
                }
                return roundTrip(option, capabilities);
            });
        }
        everyJdkSocketType(capabilities);
        check("typed error: closed socket", SelftestCommand::closedSocket);
        check("typed error: closed ServerSocket, its fd number reused", SelftestCommand::closedJavaNetSocket);
        check("typed error: keep-alive out of range", SelftestCommand::outOfRange);
        check("typed error: TCP option on a UDP socket", SelftestCommand::tcpOptionOnUdp);
        check("typed error: IPV6_V6ONLY after bind", () -> v6onlyAfterBind(capabilities));
        check("startup check names every missing option", () -> startupCheck(capabilities));
        boolean failed = checks.stream().anyMatch(c -> "FAIL".equals(c.get("status")));
        print(failed);
        return failed ? Main.EXIT_CHECK_FAILED : Main.EXIT_OK;
    }

    private void check(String name, Check check) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("name", name);
        try {
            String detail = check.run();
            result.put("status", "PASS");
            result.put("detail", detail);
        } catch (Skip skip) {
            result.put("status", "SKIP");
            result.put("detail", skip.getMessage());
        } catch (Exception | AssertionError | LinkageError e) {
            result.put("status", "FAIL");
            result.put("detail", e.toString());
        }
        checks.add(result);
    }

    private static String roundTrip(OptionName option, Capabilities capabilities) throws Exception {
        switch (option) {
            case TCP_KEEPIDLE:
                return keepAlive(SockOpt.TCP_KEEPIDLE, Duration.ofSeconds(77), "TCP_KEEPIDLE");
            case TCP_KEEPINTVL:
                return keepAlive(SockOpt.TCP_KEEPINTVL, Duration.ofSeconds(13), "TCP_KEEPINTERVAL");
            case TCP_KEEPCNT:
                return keepAlive(SockOpt.TCP_KEEPCNT, 6, "TCP_KEEPCOUNT");
            case SO_RCVBUF:
                return buffer(SockOpt.SO_RCVBUF, StandardSocketOptions.SO_RCVBUF);
            case SO_SNDBUF:
                return buffer(SockOpt.SO_SNDBUF, StandardSocketOptions.SO_SNDBUF);
            case IPV6_V6ONLY:
                return v6only();
            case SO_REUSEPORT:
                return reusePort();
            case TCP_USER_TIMEOUT:
                return userTimeout();
            default:
                throw new IllegalArgumentException(option.name());
        }
    }

    /** Set through the bridge, read back through the bridge and through the JDK where it has the option. */
    private static <T> String keepAlive(SockOpt<T> option, T value, String jdkName) throws IOException {
        try (SocketChannel channel = SocketChannel.open()) {
            SocketControl control = SocketControl.of(channel);
            control.set(option, value);
            T back = control.get(option);
            expect(value.equals(back), option + " read back " + text(back) + " after setting " + text(value));
            SocketOption<?> jdkOption = jdkOption(channel.supportedOptions(), jdkName);
            if (jdkOption == null) {
                return "read back " + text(back) + "; the JDK has no " + jdkName + " here to compare";
            }
            Object jdkValue = channel.getOption(jdkOption);
            long expected = value instanceof Duration duration ? duration.getSeconds() : ((Number) value).longValue();
            expect(((Number) jdkValue).longValue() == expected, "the JDK's " + jdkName + " reads " + jdkValue
                    + " after the bridge set " + text(value));
            return "read back " + text(back) + "; the JDK's " + jdkName + " agrees";
        }
    }

    private static String buffer(SockOpt<Integer> option, SocketOption<Integer> jdkOption) throws IOException {
        try (SocketChannel channel = SocketChannel.open()) {
            SocketControl control = SocketControl.of(channel);
            BufferSize size = control.setBufferSize(option, 48 * 1024);
            int kernel = control.get(option);
            expect(kernel == size.kernelBytes(), option + " reads " + kernel + " but setBufferSize reported "
                    + size.kernelBytes());
            int jdk = channel.getOption(jdkOption);
            expect(kernel % jdk == 0 && kernel / jdk <= 2, "kernel " + kernel + " vs the JDK's " + jdk
                    + ": expected equal or exactly double");
            return size.explanation() + "; the JDK reports " + jdk;
        }
    }

    /** Set before bind, read back after bind: the option took effect (the JDK would have cleared it). */
    private static String v6only() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET6)) {
            SocketControl control = SocketControl.of(listener);
            control.set(SockOpt.IPV6_V6ONLY, true);
            listener.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            expect(control.get(SockOpt.IPV6_V6ONLY), "IPV6_V6ONLY reads false after bind");
            return "set before bind, still on after bind to " + listener.getLocalAddress();
        }
    }

    /** Two listeners on one loopback port: the second bind succeeds only with SO_REUSEPORT on both. */
    private static String reusePort() throws IOException {
        try (ServerSocketChannel first = ServerSocketChannel.open(StandardProtocolFamily.INET);
             ServerSocketChannel second = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            SocketControl.of(first).set(SockOpt.SO_REUSEPORT, true);
            SocketControl.of(second).set(SockOpt.SO_REUSEPORT, true);
            first.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            second.bind(first.getLocalAddress());
            expect(SocketControl.of(second).get(SockOpt.SO_REUSEPORT), "SO_REUSEPORT reads false");
            return "two listeners bound " + first.getLocalAddress();
        }
    }

    /**
     * Milliseconds, not seconds: 2500 ms must read back as 2500 ms (a unit mix-up reads 2500 s or
     * 2 s), and zero turns it off again. The JDK has no such option to compare with.
     */
    private static String userTimeout() throws IOException {
        try (SocketChannel channel = SocketChannel.open()) {
            SocketControl control = SocketControl.of(channel);
            Duration value = Duration.ofMillis(2500);
            control.set(SockOpt.TCP_USER_TIMEOUT, value);
            Duration back = control.get(SockOpt.TCP_USER_TIMEOUT);
            expect(value.equals(back), "TCP_USER_TIMEOUT read back " + back.toMillis() + " ms after setting 2500 ms");
            control.set(SockOpt.TCP_USER_TIMEOUT, Duration.ZERO);
            Duration off = control.get(SockOpt.TCP_USER_TIMEOUT);
            expect(off.isZero(), "TCP_USER_TIMEOUT read back " + off.toMillis() + " ms after turning it off");
            return "read back 2500 ms, then 0 (off); the JDK has no TCP_USER_TIMEOUT to compare";
        }
    }

    /**
     * The fd of every JDK socket type is read out of JDK internals, which differ between JDK
     * releases: each type gets SO_RCVBUF set through the bridge and read back through the JDK.
     */
    private void everyJdkSocketType(Capabilities capabilities) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        check("JDK type: SocketChannel", () -> viaJdk(SocketChannel.open(),
                s -> ((SocketChannel) s).getOption(StandardSocketOptions.SO_RCVBUF)));
        check("JDK type: ServerSocketChannel", () -> viaJdk(ServerSocketChannel.open(),
                s -> ((ServerSocketChannel) s).getOption(StandardSocketOptions.SO_RCVBUF)));
        check("JDK type: DatagramChannel", () -> viaJdk(DatagramChannel.open(),
                s -> ((DatagramChannel) s).getOption(StandardSocketOptions.SO_RCVBUF)));
        check("JDK type: AsynchronousSocketChannel", () -> viaJdk(java.nio.channels.AsynchronousSocketChannel.open(),
                s -> ((java.nio.channels.AsynchronousSocketChannel) s).getOption(StandardSocketOptions.SO_RCVBUF)));
        check("JDK type: AsynchronousServerSocketChannel", () -> viaJdk(
                java.nio.channels.AsynchronousServerSocketChannel.open(),
                s -> ((java.nio.channels.AsynchronousServerSocketChannel) s).getOption(StandardSocketOptions.SO_RCVBUF)));
        check("JDK type: ServerSocket, Socket (connected and accepted)", () -> {
            try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, loopback);
                 java.net.Socket client = new java.net.Socket()) {
                client.connect(server.getLocalSocketAddress(), 5000);
                try (java.net.Socket accepted = server.accept()) {
                    return viaJdk(server, s -> ((java.net.ServerSocket) s).getReceiveBufferSize()) + "; "
                            + viaJdk(client, s -> ((java.net.Socket) s).getReceiveBufferSize()) + "; "
                            + viaJdk(accepted, s -> ((java.net.Socket) s).getReceiveBufferSize());
                }
            }
        });
        check("JDK type: DatagramSocket", () -> viaJdk(new java.net.DatagramSocket(0, loopback),
                s -> ((java.net.DatagramSocket) s).getReceiveBufferSize()));
        check("JDK type: channel adaptors (socket())", () -> {
            try (ServerSocketChannel server = ServerSocketChannel.open(); SocketChannel client = SocketChannel.open()) {
                server.bind(new InetSocketAddress(loopback, 0));
                client.connect(server.getLocalAddress());
                return viaJdk(server.socket(), s -> ((java.net.ServerSocket) s).getReceiveBufferSize()) + "; "
                        + viaJdk(client.socket(), s -> ((java.net.Socket) s).getReceiveBufferSize());
            }
        });
    }

    private interface JdkRead {
        int receiveBuffer(Object socket) throws IOException;
    }

    /** Sets SO_RCVBUF through the bridge and reads it back through the JDK; closes channels it was given. */
    private static String viaJdk(Object socket, JdkRead jdk) throws Exception {
        requireSupported(OptionName.SO_RCVBUF);
        try {
            int requested = 40 * 1024 + 7 * 1024;
            BufferSize size = SocketControl.of(socket).setBufferSize(SockOpt.SO_RCVBUF, requested);
            int jdkValue = jdk.receiveBuffer(socket);
            // The JDK shows the request (Linux: it halves the kernel's doubled value) or the kernel's
            // value; a socket the bridge missed would show its default (65536 on Linux) instead.
            expect(jdkValue == requested || jdkValue == size.kernelBytes(),
                    socket.getClass().getSimpleName() + ": kernel holds " + size.kernelBytes() + ", the JDK reads "
                            + jdkValue + " after the bridge set " + requested);
            return socket.getClass().getSimpleName() + " reads " + jdkValue + " through the JDK";
        } finally {
            if (socket instanceof java.nio.channels.Channel channel && !(socket instanceof java.net.Socket)) {
                channel.close();
            } else if (socket instanceof java.net.DatagramSocket datagram) {
                datagram.close();
            }
        }
    }

    private static String closedSocket() throws IOException {
        SocketChannel channel = SocketChannel.open();
        SocketControl control = SocketControl.of(channel);
        channel.close();
        try {
            control.set(SockOpt.SO_RCVBUF, 4096);
        } catch (SocketClosedException expected) {
            return expected.getMessage();
        }
        throw new AssertionError("setting an option on a closed channel did not throw SocketClosedException");
    }

    /**
     * java.net sockets keep their fd number in their FileDescriptor after close: a control made
     * before close must refuse, and must not reach the socket that took the number next.
     */
    private static String closedJavaNetSocket() throws IOException {
        java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        SocketControl control = SocketControl.of(server);
        server.close();
        try (SocketChannel victim = SocketChannel.open()) {
            String outcome;
            try {
                control.set(SockOpt.SO_REUSEPORT, true);
                outcome = null;
            } catch (SocketClosedException expected) {
                outcome = expected.getMessage();
            }
            expect(!victim.getOption(java.net.StandardSocketOptions.SO_REUSEPORT),
                    "SO_REUSEPORT reached the socket that reused the closed ServerSocket's fd " + control.fd());
            if (outcome == null) {
                throw new AssertionError("setting an option on a closed ServerSocket did not throw SocketClosedException");
            }
            return outcome;
        }
    }

    private static String outOfRange() throws Exception {
        requireSupported(OptionName.TCP_KEEPIDLE);
        try (SocketChannel channel = SocketChannel.open()) {
            SocketControl control = SocketControl.of(channel);
            Duration before = control.get(SockOpt.TCP_KEEPIDLE);
            try {
                control.set(SockOpt.TCP_KEEPIDLE, Duration.ZERO);
            } catch (InvalidOptionValueException expected) {
                expect(before.equals(control.get(SockOpt.TCP_KEEPIDLE)), "the socket changed");
                return expected.getMessage();
            }
            throw new AssertionError("TCP_KEEPIDLE=0s did not throw InvalidOptionValueException");
        }
    }

    private static String tcpOptionOnUdp() throws Exception {
        requireSupported(OptionName.TCP_KEEPIDLE);
        try (DatagramChannel udp = DatagramChannel.open(StandardProtocolFamily.INET)) {
            try {
                SocketControl.of(udp).set(SockOpt.TCP_KEEPIDLE, Duration.ofSeconds(30));
            } catch (WrongSocketTypeException expected) {
                return expected.getMessage();
            }
            throw new AssertionError("TCP_KEEPIDLE on a UDP socket did not throw WrongSocketTypeException");
        }
    }

    private static String v6onlyAfterBind(Capabilities capabilities) throws Exception {
        requireSupported(OptionName.IPV6_V6ONLY);
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET6)) {
            listener.bind(new InetSocketAddress(Inet6Address.getByName("::1"), 0));
            try {
                SocketControl.of(listener).set(SockOpt.IPV6_V6ONLY, true);
            } catch (WrongSocketStateException expected) {
                return expected.getMessage();
            }
            throw new AssertionError("IPV6_V6ONLY after bind did not throw WrongSocketStateException");
        }
    }

    /** Requiring everything throws exactly when something is missing, and names each missing option. */
    private static String startupCheck(Capabilities capabilities) {
        Set<OptionName> missing = EnumSet.noneOf(OptionName.class);
        for (OptionName option : OptionName.values()) {
            if (!capabilities.isSupported(option)) {
                missing.add(option);
            }
        }
        try {
            SockoptBridge.requireSupport(OptionName.values());
        } catch (MissingCapabilitiesException e) {
            for (OptionName option : OptionName.values()) {
                boolean named = e.getMessage().contains("- " + option.name() + ": ");
                expect(named == missing.contains(option), option + (named ? " is named but supported: "
                        : " is missing but not named: ") + e.getMessage());
            }
            expect(e.missing().size() == missing.size(), "missing() lists " + e.missing() + ", expected " + missing);
            expect(!missing.isEmpty(), "threw although every option is supported: " + e.getMessage());
            return "threw for " + missing + ": " + e.getMessage().replace('\n', ' ');
        }
        expect(missing.isEmpty(), "did not throw although " + missing + " are missing");
        return "every option is supported; requireSupport(all) returned";
    }

    private static void requireSupported(OptionName option) throws Skip {
        OptionSupport support = SockoptBridge.capabilities().of(option);
        if (!support.supported()) {
            throw new Skip(option + " " + support.explanation());
        }
    }

    private static SocketOption<?> jdkOption(Set<SocketOption<?>> options, String name) {
        for (SocketOption<?> option : options) {
            if (option.name().equals(name)) {
                return option;
            }
        }
        return null;
    }

    private static String text(Object value) {
        return value instanceof Duration duration ? duration.getSeconds() + "s" : String.valueOf(value);
    }

    private static void expect(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }

    private void print(boolean failed) {
        if (json) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("schema", SCHEMA);
            report.put("passed", !failed);
            report.put("checks", checks);
            Json.writeLine(report, System.out);
            return;
        }
        for (Map<String, Object> check : checks) {
            out.printf("%-4s %s: %s%n", check.get("status"), check.get("name"), check.get("detail"));
        }
        long count = checks.stream().filter(c -> "FAIL".equals(c.get("status"))).count();
        out.println(failed ? count + " check(s) FAILED" : "no check failed");
        out.flush();
    }
}
