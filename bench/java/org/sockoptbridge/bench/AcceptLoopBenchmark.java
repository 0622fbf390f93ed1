package org.sockoptbridge.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sockoptbridge.AcceptedSocketPolicy;
import org.sockoptbridge.ListenerBuilder;
import org.sockoptbridge.OptionSettings;
import org.sockoptbridge.SockOpt;
import org.sockoptbridge.SocketControl;

/**
 * Loopback connections accepted per second, with the accepted-socket policy (keep-alive 60/10/5,
 * SO_RCVBUF and SO_SNDBUF) applied three ways:
 * <ul>
 * <li>{@code NONE}: no options, the baseline;</li>
 * <li>{@code PER_CONNECTION}: {@code SocketControl.of(accepted).apply(policy)} on every connection;</li>
 * <li>{@code INHERITED}: installed once on the listener by {@link ListenerBuilder}; per connection
 *     only {@code policy.applyTo(accepted)}, which sets nothing where the platform inherits.</li>
 * </ul>
 * One operation is a whole connection on one thread: blocking connect (the loopback handshake
 * completes inside it), accept, the policy, then close. The client closes first with SO_LINGER 0
 * (a reset), so neither side leaves a TIME_WAIT and the ephemeral ports never run out; that costs
 * one setsockopt per connection in every mode alike.
 *
 * <pre>
 * mvn -Pbench test-compile exec:exec -Dbench.args='AcceptLoopBenchmark -f 3 -wi 3 -i 5 -w 1s -r 1s'
 * </pre>
 *
 * {@link #main} runs the same operation in a plain loop, for counting system calls with strace:
 * {@code java -cp ... org.sockoptbridge.bench.AcceptLoopBenchmark PER_CONNECTION 10000}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AcceptLoopBenchmark {
    public enum Policy { NONE, PER_CONNECTION, INHERITED }

    @Param({"NONE", "PER_CONNECTION", "INHERITED"})
    public Policy policy;

    private ServerSocketChannel listener;
    private InetSocketAddress address;
    private OptionSettings settings;
    private AcceptedSocketPolicy installed;

    static OptionSettings keepAliveAndBuffers() {
        return OptionSettings.builder()
                .keepAlive(Duration.ofSeconds(60), Duration.ofSeconds(10), 5)
                .set(SockOpt.SO_RCVBUF, 256 * 1024)
                .set(SockOpt.SO_SNDBUF, 256 * 1024)
                .build();
    }

    @Setup(Level.Trial)
    public void openListener() throws IOException {
        settings = keepAliveAndBuffers();
        ListenerBuilder builder = ListenerBuilder.tcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .backlog(1024);
        if (policy == Policy.INHERITED) {
            builder.acceptedSocketPolicy(settings);
        }
        listener = builder.bind();
        address = (InetSocketAddress) listener.getLocalAddress();
        if (policy == Policy.INHERITED) {
            installed = builder.policy();
            if (!installed.inheritedFromListener()) {
                // Not an error for a server, but then this mode measures per-connection calls.
                System.err.println("this platform does not inherit " + installed.perConnectionOptions()
                        + ": INHERITED sets them per connection");
            }
        }
    }

    @TearDown(Level.Trial)
    public void closeListener() throws IOException {
        listener.close();
    }

    @Benchmark
    public int acceptOneConnection() throws IOException {
        SocketChannel client = SocketChannel.open(StandardProtocolFamily.INET); // INET: no IPV6_V6ONLY call
        SocketChannel accepted = null;
        try {
            client.connect(address);
            accepted = listener.accept();
            switch (policy) {
                case PER_CONNECTION:
                    SocketControl.of(accepted).apply(settings);
                    break;
                case INHERITED:
                    installed.applyTo(accepted);
                    break;
                default:
                    break;
            }
            client.setOption(StandardSocketOptions.SO_LINGER, 0);
            return accepted.hashCode();
        } finally {
            client.close();
            if (accepted != null) {
                accepted.close();
            }
        }
    }

    /**
     * {@code AcceptLoopBenchmark MODE COUNT}: COUNT connections in a plain loop, then the rate (for
     * strace). {@code AcceptLoopBenchmark interleaved ROUNDS COUNT}: the three modes side by side,
     * COUNT connections each per round, in a rotating order, so that load from elsewhere on the
     * machine hits all three alike; prints each mode's median rate and the median per-round ratio.
     */
    public static void main(String[] args) throws IOException {
        if (args[0].equals("interleaved")) {
            interleaved(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            return;
        }
        AcceptLoopBenchmark bench = open(Policy.valueOf(args[0]));
        int count = Integer.parseInt(args[1]);
        try {
            long start = System.nanoTime();
            run(bench, count);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%s: %d connections in %.3f s, %.0f connections/s%n",
                    bench.policy, count, seconds, count / seconds);
        } finally {
            bench.closeListener();
        }
    }

    private static void interleaved(int rounds, int count) throws IOException {
        Policy[] modes = Policy.values();
        AcceptLoopBenchmark[] benches = new AcceptLoopBenchmark[modes.length];
        double[][] rates = new double[modes.length][rounds];
        try {
            for (int m = 0; m < modes.length; m++) {
                benches[m] = open(modes[m]);
            }
            int warmupRounds = Math.max(1, rounds / 5);
            for (int round = -warmupRounds; round < rounds; round++) {
                for (int k = 0; k < modes.length; k++) {
                    int m = Math.floorMod(round + k, modes.length);
                    long start = System.nanoTime();
                    run(benches[m], count);
                    if (round >= 0) {
                        rates[m][round] = count / ((System.nanoTime() - start) / 1e9);
                    }
                }
            }
        } finally {
            for (AcceptLoopBenchmark bench : benches) {
                if (bench != null) {
                    bench.closeListener();
                }
            }
        }
        System.out.printf("%d rounds of %d connections per mode (after warm-up), median connections/s:%n", rounds, count);
        for (int m = 0; m < modes.length; m++) {
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratio[r] = rates[m][r] / rates[0][r];
            }
            System.out.printf("  %-15s %8.0f /s  (min %.0f, max %.0f)  per-round ratio to NONE: median %.3f%n",
                    modes[m], median(rates[m]), min(rates[m]), max(rates[m]), median(ratio));
        }
    }

    private static AcceptLoopBenchmark open(Policy policy) throws IOException {
        AcceptLoopBenchmark bench = new AcceptLoopBenchmark();
        bench.policy = policy;
        bench.openListener();
        return bench;
    }

    private static void run(AcceptLoopBenchmark bench, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            bench.acceptOneConnection();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }
}
