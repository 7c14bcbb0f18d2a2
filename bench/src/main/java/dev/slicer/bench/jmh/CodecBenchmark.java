package dev.slicer.bench.jmh;

import dev.slicer.bench.data.DataStore;
import dev.slicer.bench.data.TensorSet;
import dev.slicer.bench.method.Methods;
import dev.slicer.bench.method.TensorCompressor;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Single-threaded encode and decode throughput of one method over a whole data set: one operation encodes (or decodes)
 * every tensor of the set, one frame per tensor, into a caller-provided buffer. Throughput in MB/s of fp32 data is
 * {@code ops/s * fp32 bytes of the set / 10^6}; {@code ./slicer bench codec} does that conversion.
 *
 * <p>{@code method} is an id of {@link Methods#parse}; {@code data} a key of {@link DataStore} (cached under
 * {@code bench/target/bench-data}, created on first use).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class CodecBenchmark {

    /** {@code Methods.idOf(Methods.REFERENCE)}, spelled out because annotation values must be constants. */
    public static final String REFERENCE_ID = "slicer-topk-s0.75-m3x3-l0.0-q8-d0.01-rans";

    @Param({
        REFERENCE_ID,
        "slicer-tstabq-o0.01-q8-d0.01-rans",
        "fp16",
        "int8",
        "int4",
        "zstd1-fp32",
        "zstd1-fp16",
        "lz4-fp32",
        "airzstd-fp32"
    })
    public String method;

    @Param({"minilm-64", "synthetic-heavy-16", "synthetic-relu-16"})
    public String data;

    private TensorSet set;
    private TensorCompressor compressor;
    private byte[] frames;
    private int[] frameOffsets;
    private int[] frameLengths;
    private float[] decoded;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        set = DataStore.fromSystemProperty().load(data, message -> {});
        compressor = Methods.parse(method).create();
        int n = set.count();
        frameOffsets = new int[n];
        frameLengths = new int[n];
        long capacity = 0;
        for (int i = 0; i < n; i++) {
            frameOffsets[i] = Math.toIntExact(capacity);
            capacity += compressor.maxEncodedBytes(set.rows(i), set.cols());
        }
        frames = new byte[Math.toIntExact(capacity)];
        for (int i = 0; i < n; i++) {
            frameLengths[i] =
                    compressor.encode(set.data(), set.offset(i), set.rows(i), set.cols(), frames, frameOffsets[i]);
        }
        decoded = new float[set.data().length];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        compressor.close();
    }

    /** Bytes of fp32 data one operation covers. */
    public long fp32BytesPerOp() {
        return set.fp32Bytes();
    }

    @Benchmark
    public long encode() {
        TensorSet s = set;
        TensorCompressor c = compressor;
        long total = 0;
        for (int i = 0, n = s.count(); i < n; i++) {
            total += c.encode(s.data(), s.offset(i), s.rows(i), s.cols(), frames, frameOffsets[i]);
        }
        return total;
    }

    @Benchmark
    public void decode(Blackhole bh) {
        TensorSet s = set;
        TensorCompressor c = compressor;
        for (int i = 0, n = s.count(); i < n; i++) {
            c.decode(frames, frameOffsets[i], frameLengths[i], s.rows(i), s.cols(), decoded, s.offset(i));
        }
        bh.consume(decoded);
    }
}
