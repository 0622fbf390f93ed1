package org.sockoptbridge.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sockoptbridge.AcceptQueue;
import org.sockoptbridge.ListenCounters;
import org.sockoptbridge.ListenerBuilder;
import org.sockoptbridge.SocketControl;

/**
 * What polling for load shedding costs: one {@link SocketControl#acceptQueue()} reading (one
 * getsockopt(TCP_INFO) on the listener; the kernel fills struct tcp_info under the socket lock,
 * tcp_get_info in net/ipv4/tcp.c), the shed decision on top of it, and one
 * {@link ListenCounters#read()} (a read of /proc/net/netstat, which the kernel formats whole
 * each time: net/ipv4/proc.c netstat_seq_show), the reason the host counters belong on a timer
 * and the queue in the accept loop.
 *
 * <pre>
 * mvn -Pbench test-compile exec:exec -Dbench.args='-f 1 -wi 3 -w 1s -i 5 -r 1s AcceptQueueBenchmark'
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class AcceptQueueBenchmark {
    private ServerSocketChannel listener;
    private SocketControl control;

    @Setup
    public void setUp() throws IOException {
        listener = ListenerBuilder.tcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).backlog(128).bind();
        control = SocketControl.of(listener);
    }

    @TearDown
    public void tearDown() throws IOException {
        listener.close();
    }

    /** One reading: length and limit of the live queue. */
    @Benchmark
    public AcceptQueue acceptQueue() {
        return control.acceptQueue();
    }

    /** The reading and a shed decision at 80 % full, as an accept loop would make it. */
    @Benchmark
    public boolean shedDecision() {
        return control.acceptQueue().fillRatio() >= 0.8;
    }

    /** The host's five drop counters, one snapshot. */
    @Benchmark
    public ListenCounters listenCounters() {
        return ListenCounters.read();
    }
}
