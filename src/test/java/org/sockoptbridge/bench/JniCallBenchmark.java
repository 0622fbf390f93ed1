package org.sockoptbridge.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sockoptbridge.OptionName;
import org.sockoptbridge.SocketControl;
import org.sockoptbridge.internal.JniShim;
import org.sockoptbridge.internal.NativeLoader;
import org.sockoptbridge.internal.NativeShim;

/**
 * EXPERIMENT (docs/JNI-EXPERIMENT.md): the same shim functions called through JNI static
 * natives (JniShim) and through today's jnr-ffi binding (NativeShim), raw (no SocketControl
 * checks), on one connected AF_INET loopback socket with SO_KEEPALIVE on, as PerCallBenchmark.
 * Run with -jvmArgsAppend -Dsockopt.bridge.library=target/native-test/libsockopt_bridge-<os-arch>-jni-experiment.so:
 * the loader's System.load of that build is what binds JniShim's natives (same file as jnr-ffi's).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class JniCallBenchmark {
    private static final int RCVBUF = 65536;
    private static final int SO_RCVBUF = OptionName.SO_RCVBUF.ordinal();

    private SocketChannel channel;
    private SocketChannel peer;
    private NativeShim shim;
    private int fd;

    @Setup(Level.Trial)
    public void connect() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            channel = SocketChannel.open(StandardProtocolFamily.INET);
            channel.connect(listener.getLocalAddress());
            peer = listener.accept();
        }
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        shim = NativeLoader.result().shim(); // System.load + jnr-ffi binding of the same file
        fd = SocketControl.of(channel).fd();
        if (JniShim.sob_abi_version() != shim.sob_abi_version()
                || JniShim.sob_set_int(fd, SO_RCVBUF, RCVBUF) != 0
                || JniShim.sob_get_int(fd, SO_RCVBUF) != shim.sob_get_int(fd, SO_RCVBUF)) {
            throw new IllegalStateException("JNI and jnr-ffi bindings disagree");
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        channel.close();
        peer.close();
    }

    // ---- no system call: the binding's own cost ----

    @Benchmark
    public int jniAbiVersion() {
        return JniShim.sob_abi_version();
    }

    @Benchmark
    public int jnrAbiVersion() {
        return shim.sob_abi_version();
    }

    // ---- one setsockopt / getsockopt(SO_RCVBUF) ----

    @Benchmark
    public int jniSetRcvBuf() {
        return JniShim.sob_set_int(fd, SO_RCVBUF, RCVBUF);
    }

    @Benchmark
    public int jnrSetRcvBuf() {
        return shim.sob_set_int(fd, SO_RCVBUF, RCVBUF);
    }

    @Benchmark
    public long jniGetRcvBuf() {
        return JniShim.sob_get_int(fd, SO_RCVBUF);
    }

    @Benchmark
    public long jnrGetRcvBuf() {
        return shim.sob_get_int(fd, SO_RCVBUF);
    }
}
