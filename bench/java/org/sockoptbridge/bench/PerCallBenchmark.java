package org.sockoptbridge.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.file.Path;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jdk.net.ExtendedSocketOptions;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sockoptbridge.NativeConstant;
import org.sockoptbridge.OptionName;
import org.sockoptbridge.OptionSettings;
import org.sockoptbridge.SockOpt;
import org.sockoptbridge.SockoptBridge;
import org.sockoptbridge.SocketControl;
import org.sockoptbridge.internal.Backends;
import org.sockoptbridge.internal.NativeLoader;
import org.sockoptbridge.internal.NativeBackend;

/**
 * The cost of one option call through the bridge, next to the JDK's own setOption/getOption on
 * the same connected loopback socket, in one JMH run so that the machine's noise hits all of
 * them alike. The C floor for the same system calls is bench/native/bench_raw_setsockopt,
 * which uses the same socket state (connected AF_INET, SO_KEEPALIVE on); bench/per-call.sh runs
 * both. The cLoopInJvm benchmarks run the same C loop inside this JVM (bench/native/bench_loop.c),
 * 1000 system calls per native call: on the machine these were written on, a system call made
 * from a JVM thread cost 75..90 ns more than the same loop in the standalone binary
 * (docs/BENCHMARKS.md).
 *
 * <p>Keep-alive values cycle through 1..1024 seconds, as the C loop's do, from preallocated
 * boxes, so that neither side measures the allocation of its argument. What each call costs in
 * system calls: the bridge sets a keep-alive timer together with SO_KEEPALIVE (two), the JDK
 * sets only the timer (one); a bridge batch reads each old value for its roll-back (two per
 * option, except the batch's last change, which needs no snapshot).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class PerCallBenchmark {
    private static final int VALUES = 1024;
    private static final Integer RCVBUF = 65536;
    private static final Integer KEEPCNT = 5;
    private static final Duration KEEPINTVL = Duration.ofSeconds(10);
    /** System calls per call of the in-JVM C loop. */
    private static final int LOOP = 1000;

    /** The raw loops of bench/native/bench_loop.c (built into target/native-test). */
    public interface BenchLoop {
        int sob_bench_set_loop(int fd, int level, int name, int value, int count);

        int sob_bench_get_loop(int fd, int level, int name, int count);
    }

    private final Duration[] idleDurations = new Duration[VALUES];
    private final Integer[] idleSeconds = new Integer[VALUES];
    private int next;

    private SocketChannel channel;
    private SocketChannel peer;
    private SocketControl channelControl;
    private SocketControl fdControl;
    private OptionSettings keepAlivePolicy;
    private NativeBackend backend;
    /** The jnr-ffi backend, called on the same fd, for the shim-versus-portable rows. */
    private NativeBackend portable;
    private BenchLoop loop;
    private int fd;
    private NativeConstant rcvbuf;
    private NativeConstant keepIdle;

    @Setup(Level.Trial)
    public void connect() throws IOException {
        for (int i = 0; i < VALUES; i++) {
            idleDurations[i] = Duration.ofSeconds(i + 1);
            idleSeconds[i] = i + 1;
        }
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            // AF_INET like the C floor's socket: SocketChannel.open(address) would make an AF_INET6
            // socket wherever the host has IPv6.
            channel = SocketChannel.open(StandardProtocolFamily.INET);
            channel.connect(listener.getLocalAddress());
            peer = listener.accept();
        }
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true); // the state the C floor measures in
        channelControl = SocketControl.of(channel);
        fdControl = SocketControl.ofFd(channelControl.fd());
        keepAlivePolicy = OptionSettings.builder()
                .keepAlive(Duration.ofSeconds(60), KEEPINTVL, KEEPCNT)
                .build();
        backend = NativeLoader.result().backend();
        portable = Backends.portable("benchmark");
        fd = channelControl.fd();
        rcvbuf = SockoptBridge.nativeConstant(OptionName.SO_RCVBUF);
        keepIdle = SockoptBridge.nativeConstant(OptionName.TCP_KEEPIDLE);
        String loopLibrary = System.getProperty("sockopt.bridge.bench.loop", "target/native-test/libsob_bench_loop.so");
        loop = LibraryLoader.create(BenchLoop.class).failImmediately().option(LibraryOption.IgnoreError, true)
                .load(Path.of(loopLibrary).toAbsolutePath().toString());
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        channel.close();
        peer.close();
    }

    private int nextIndex() {
        return next = (next + 1) & (VALUES - 1);
    }

    // ---- calibration: what a native call costs without a system call ----

    /** One JNI call into the shim that reads its table and makes no system call: the binding's own cost. */
    @Benchmark
    public int nativeCallWithoutSyscall() {
        return backend.optionMin(0);
    }

    // ---- backend calls on the raw fd, no facade: the shim (JNI) against the portable backend (jnr-ffi) ----

    @Benchmark
    public int shimBackendSetKeepIdle() {
        return backend.setInt(fd, 0, idleSeconds[nextIndex()]);
    }

    @Benchmark
    public int portableBackendSetKeepIdle() {
        return portable.setInt(fd, 0, idleSeconds[nextIndex()]);
    }

    @Benchmark
    public long shimBackendGetKeepIdle() {
        return backend.getInt(fd, 0);
    }

    @Benchmark
    public long portableBackendGetKeepIdle() {
        return portable.getInt(fd, 0);
    }

    @Benchmark
    public int shimBackendSetRcvBuf() {
        return backend.setInt(fd, 3, RCVBUF);
    }

    @Benchmark
    public int portableBackendSetRcvBuf() {
        return portable.setInt(fd, 3, RCVBUF);
    }

    // ---- the C floor inside this JVM: 1000 raw system calls per native call ----

    @Benchmark
    @OperationsPerInvocation(LOOP)
    public int cLoopInJvmSetRcvBuf() {
        return loop.sob_bench_set_loop(fd, rcvbuf.level(), rcvbuf.name(), RCVBUF, LOOP);
    }

    @Benchmark
    @OperationsPerInvocation(LOOP)
    public int cLoopInJvmGetRcvBuf() {
        return loop.sob_bench_get_loop(fd, rcvbuf.level(), rcvbuf.name(), LOOP);
    }

    @Benchmark
    @OperationsPerInvocation(LOOP)
    public int cLoopInJvmSetKeepIdle() {
        return loop.sob_bench_set_loop(fd, keepIdle.level(), keepIdle.name(), 0, LOOP); // 0: 1..1024
    }

    @Benchmark
    @OperationsPerInvocation(LOOP)
    public int cLoopInJvmGetKeepIdle() {
        return loop.sob_bench_get_loop(fd, keepIdle.level(), keepIdle.name(), LOOP);
    }

    // ---- the bridge on a raw fd: no close lock ----

    @Benchmark
    public void fdSetKeepIdle() {
        fdControl.set(SockOpt.TCP_KEEPIDLE, idleDurations[nextIndex()]);
    }

    @Benchmark
    public Duration fdGetKeepIdle() {
        return fdControl.get(SockOpt.TCP_KEEPIDLE);
    }

    @Benchmark
    public void fdSetRcvBuf() {
        fdControl.set(SockOpt.SO_RCVBUF, RCVBUF);
    }

    // ---- the bridge on a JDK channel: each call under the channel's close lock ----

    @Benchmark
    public SocketControl channelControlCreation() {
        return SocketControl.of(channel);
    }

    @Benchmark
    public void channelSetKeepIdle() {
        channelControl.set(SockOpt.TCP_KEEPIDLE, idleDurations[nextIndex()]);
    }

    @Benchmark
    public Duration channelGetKeepIdle() {
        return channelControl.get(SockOpt.TCP_KEEPIDLE);
    }

    @Benchmark
    public void channelSetRcvBuf() {
        channelControl.set(SockOpt.SO_RCVBUF, RCVBUF);
    }

    @Benchmark
    public Integer channelGetRcvBuf() {
        return channelControl.get(SockOpt.SO_RCVBUF);
    }

    @Benchmark
    public void channelApplyKeepAliveBatch() {
        channelControl.apply(keepAlivePolicy);
    }

    @Benchmark
    public void channelThreeKeepAliveSets() {
        channelControl.set(SockOpt.TCP_KEEPIDLE, idleDurations[nextIndex()]);
        channelControl.set(SockOpt.TCP_KEEPINTVL, KEEPINTVL);
        channelControl.set(SockOpt.TCP_KEEPCNT, KEEPCNT);
    }

    // ---- the JDK's own options on the same channel ----

    @Benchmark
    public SocketChannel jdkSetKeepIdle() throws IOException {
        return channel.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, idleSeconds[nextIndex()]);
    }

    /** The same two system calls as the bridge's set of a keep-alive timer. */
    @Benchmark
    public SocketChannel jdkSetKeepIdleAndKeepAlive() throws IOException {
        channel.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, idleSeconds[nextIndex()]);
        return channel.setOption(StandardSocketOptions.SO_KEEPALIVE, Boolean.TRUE);
    }

    @Benchmark
    public Integer jdkGetKeepIdle() throws IOException {
        return channel.getOption(ExtendedSocketOptions.TCP_KEEPIDLE);
    }

    @Benchmark
    public SocketChannel jdkSetRcvBuf() throws IOException {
        return channel.setOption(StandardSocketOptions.SO_RCVBUF, RCVBUF);
    }

    @Benchmark
    public Integer jdkGetRcvBuf() throws IOException {
        return channel.getOption(StandardSocketOptions.SO_RCVBUF);
    }

    /** What the batch does, the JDK way: three timers and SO_KEEPALIVE, four calls. */
    @Benchmark
    public SocketChannel jdkKeepAliveTimersAndFlag() throws IOException {
        channel.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, idleSeconds[nextIndex()]);
        channel.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, 10);
        channel.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, KEEPCNT);
        return channel.setOption(StandardSocketOptions.SO_KEEPALIVE, Boolean.TRUE);
    }
}
