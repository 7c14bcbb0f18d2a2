package dev.slicer.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.codec.bits.ByteIo;
import dev.slicer.codec.frame.FrameFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hostile inputs of issue 10, each of which crashed or fooled the codec before: zero-element shapes with a huge
 * dimension (decoder and encoder), a tiny frame that made the decoder size gigabytes within the default limits, and
 * CRC-valid TS/TAB-Q frames that decoded to non-finite values. The same frames are regression inputs of the fuzz
 * target ({@link #writeRegressionInputs}).
 */
class HostileFramesTest {
    static final int HUGE = 0x7E000010;

    /** A CRC-valid frame of {@code shape} and knobs {@code s} around {@code payload}. */
    static byte[] frame(TensorShape shape, CodecSettings s, byte... payload) {
        int header = FrameFormat.headerBytes(shape, s);
        byte[] f = new byte[header + payload.length + FrameFormat.CRC_BYTES];
        FrameFormat.writeHeader(f, 0, DType.FP32, shape, s);
        FrameFormat.setPayloadLength(f, 0, header, payload.length);
        System.arraycopy(payload, 0, f, header, payload.length);
        CRC32C crc = new CRC32C();
        crc.update(f, 0, f.length - 4);
        ByteIo.putInt(f, f.length - 4, (int) crc.getValue());
        return f;
    }

    static byte[] bytes(int... v) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int x : v) {
            b.write(x);
        }
        return b.toByteArray();
    }

    /** 44 bytes: TS/TAB-Q, shape [0, 0x7E000010] (zero elements, so every element limit passes). */
    static byte[] zeroElementHugeColumns() {
        return frame(
                TensorShape.of(0, HUGE),
                CodecSettings.tsTabq()
                        .outlierFraction(0.5)
                        .qbit(8)
                        .delta(0.01)
                        .entropy(false)
                        .build(),
                bytes(0, 0, 1, 2, 3, 4, 5));
    }

    /**
     * Within the default limits: 64 Mi elements in one row, 32 Mi outliers declared, then a position stream length
     * and a few bytes. The old decoder sized every outlier and code array (about 1.5 GB) before reading further.
     */
    static byte[] tinyFrameHugeDeclaredCounts() {
        int t = 1 << 26;
        int k = t / 2;
        return frame(
                TensorShape.of(1, t),
                CodecSettings.tsTabq()
                        .outlierFraction(0.5)
                        .qbit(8)
                        .delta(0.01)
                        .entropy(true)
                        .build(),
                bytes(
                        0, // flags: fp16 outliers and row parameters
                        0x80, 0x80, 0x80, 0x10, // k = 2^25
                        0, 1, 7, // row bits: packed, 1 byte, q = 8
                        0, 0, 0, 0x3C, // row 0: min 0, scale 1
                        0x80, 0x80, 0x80, 0x50, // m = 5k
                        1, 2, 1, 0)); // position block: rANS, 2 bytes, one symbol (0)
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void zeroElementShapeWithAHugeDimensionIsRejectedWithoutSizingAnything() {
        byte[] f = zeroElementHugeColumns();
        assertThat(f).hasSize(44);
        FrameDecoder dec = FrameDecoder.create(new DecodeLimits(1, 1 << 10));
        long before = allocatedBytes();
        assertThatThrownBy(() -> dec.decode(f, 0, f.length, new float[0], 0))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("empty tensor");
        assertThat(allocatedBytes() - before).isLessThan(1 << 20);
    }

    @Test
    void aTinyFrameWhosePositionsFitTwoBytesButWhoseValuesAreMissingIsRefusedBeforeDecodingThem() throws IOException {
        // found by a 30-minute fuzz run: TS/TAB-Q, 2^26 elements, 2^25 outliers whose gaps a 2-byte single-symbol
        // block describes, and no value planes; decoding the gaps first took 17 s and 2.9 GB under instrumentation
        byte[] f;
        try (var in = HostileFramesTest.class.getResourceAsStream(
                "fuzz/FrameDecoderFuzzTestInputs/decode/slow-tabq-32m-outliers-from-20-bytes")) {
            f = in.readAllBytes();
        }
        CRC32C crc = new CRC32C();
        crc.update(f, 0, f.length - 4);
        ByteIo.putInt(f, f.length - 4, (int) crc.getValue());
        assertThat(f).hasSize(57);
        FrameDecoder dec = FrameDecoder.create(DecodeLimits.defaults());
        float[] out = new float[1 << 26];
        long before = allocatedBytes();
        assertThatThrownBy(() -> dec.decode(f, 0, f.length, out, 0))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("outlier value planes");
        assertThat(allocatedBytes() - before)
                .as("bytes allocated for a %d-byte frame", f.length)
                .isLessThan(1 << 20);
    }

    @Test
    void tinyFrameDeclaringHugeCountsSizesNothingForThem() {
        byte[] f = tinyFrameHugeDeclaredCounts();
        FrameDecoder dec = FrameDecoder.create(DecodeLimits.defaults());
        float[] out = new float[1 << 26];
        long before = allocatedBytes();
        assertThatThrownBy(() -> dec.decode(f, 0, f.length, out, 0)).isInstanceOf(MalformedFrameException.class);
        assertThat(allocatedBytes() - before)
                .as("bytes allocated for a %d-byte frame", f.length)
                .isLessThan(1 << 20);
    }

    @ParameterizedTest
    @EnumSource(CodecMode.class)
    void encodingTheLegalEmptyShapeWithAHugeDimensionAllocatesNothingForIt(CodecMode mode) {
        CodecSettings s =
                switch (mode) {
                    case LOSSLESS -> CodecSettings.lossless().withEntropy(true);
                    case TOPK ->
                        CodecSettings.topK()
                                .sparsity(0.75)
                                .blocks(3, 3)
                                .lambda(0)
                                .qbit(8)
                                .delta(0.01)
                                .entropy(true)
                                .build();
                    case ECSQ -> CodecSettings.ecsq().bitsPerElement(3).build();
                    case TS_TABQ ->
                        CodecSettings.tsTabq()
                                .outlierFraction(0.01)
                                .qbit(8)
                                .delta(0.01)
                                .entropy(true)
                                .build();
                };
        FrameEncoder enc = FrameEncoder.create();
        for (TensorShape shape : new TensorShape[] {TensorShape.of(0, Integer.MAX_VALUE), TensorShape.of(HUGE, 0)}) {
            long bound = SizeBound.maxFrameBytes(shape, s);
            assertThat(bound).isLessThan(1 << 10);
            byte[] frame = new byte[(int) bound];
            long before = allocatedBytes();
            int n = enc.encode(new float[0], 0, shape, s, frame, 0);
            assertThat(allocatedBytes() - before).isLessThan(1 << 20);
            FrameHeader h = FrameDecoder.create(DecodeLimits.defaults()).decode(frame, 0, n, new float[0], 0);
            assertThat(h.shape()).isEqualTo(shape);
        }
    }

    /** TS/TAB-Q frames of shape [1, 4] with qbit 4 and no outliers (fraction 0), fp32 row parameters. */
    static byte[] tabqRow(int rowBitsSymbol, float min, float scale, int... packedCodes) {
        byte[] p = new byte[3 + 3 + 8 + 2 + packedCodes.length];
        int i = 0;
        p[i++] = 2; // fp32 row parameters
        p[i++] = 0; // k = 0
        p[i++] = 0; // row bits: packed
        p[i++] = 1;
        p[i++] = (byte) rowBitsSymbol;
        ByteIo.putInt(p, i, Float.floatToRawIntBits(min));
        ByteIo.putInt(p, i + 4, Float.floatToRawIntBits(scale));
        i += 8;
        p[i++] = 0; // codes: packed
        p[i++] = (byte) packedCodes.length;
        for (int c : packedCodes) {
            p[i++] = (byte) c;
        }
        return frame(
                TensorShape.of(1, 4),
                CodecSettings.tsTabq()
                        .outlierFraction(0)
                        .qbit(4)
                        .delta(0.01)
                        .entropy(false)
                        .build(),
                java.util.Arrays.copyOf(p, i));
    }

    /** The hostile frames above, by the name of their regression input of {@code FrameDecoderFuzzTest}. */
    static Map<String, byte[]> regressionFrames() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("regression-tabq-zero-element-huge-cols", zeroElementHugeColumns());
        m.put("regression-tabq-huge-declared-counts", tinyFrameHugeDeclaredCounts());
        m.put("regression-tabq-row-bits-above-qbit", rowBitsAboveQbit());
        m.put("regression-tabq-row-range-overflow", rowRangeOverflow());
        m.put("regression-tabq-nan-outlier", nanOutlier());
        return m;
    }

    /**
     * The regression inputs of the raw fuzz target are these frames (the fuzz target replays them in every build
     * and fails on a non-finite value or an out-of-memory error); {@code -Dslicer.golden.update=true} rewrites them.
     */
    @Test
    void writeRegressionInputs() throws IOException {
        Path dir = Path.of("src/test/resources/dev/slicer/codec/fuzz/FrameDecoderFuzzTestInputs/decode");
        for (Map.Entry<String, byte[]> e : regressionFrames().entrySet()) {
            Path p = dir.resolve(e.getKey());
            if (Boolean.getBoolean("slicer.golden.update")) {
                Files.write(p, e.getValue());
            }
            assertThat(Files.readAllBytes(p)).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    static byte[] rowBitsAboveQbit() {
        return tabqRow(15, 3e38f, 3e38f, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
    }

    static byte[] rowRangeOverflow() {
        return tabqRow(3, 3e38f, 1e37f, 0xFF, 0xFF);
    }

    /** Shape [1, 4], fraction 0.25 (k = 1), packed everywhere, the one fp16 outlier NaN. */
    static byte[] nanOutlier() {
        return frame(
                TensorShape.of(1, 4),
                CodecSettings.tsTabq()
                        .outlierFraction(0.25)
                        .qbit(4)
                        .delta(0.01)
                        .entropy(false)
                        .build(),
                bytes(0, 1, 0, 1, 3, 0, 0, 0, 0x3C, 1, 0, 1, 0, 0, 1, 0x00, 0, 1, 0x7E, 0, 2, 0x21, 0x03));
    }

    @Test
    void tabqFramesThatWouldDecodeToNonFiniteValuesAreRejected() {
        FrameDecoder dec = FrameDecoder.create(DecodeLimits.defaults());
        float[] out = new float[4];
        // the same layout decodes when its values are in range
        byte[] ok = tabqRow(3, 1f, 0.5f, 0x10, 0x32);
        dec.decode(ok, 0, ok.length, out, 0);
        assertThat(out).containsExactly(1f, 1.5f, 2f, 2.5f);
        // row of 16 bits under qbit 4 (codes 2 bytes each)
        byte[] wide = rowBitsAboveQbit();
        assertThatThrownBy(() -> dec.decode(wide, 0, wide.length, out, 0))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("qbit");
        // min + code * scale beyond the float range
        byte[] overflow = rowRangeOverflow();
        assertThatThrownBy(() -> dec.decode(overflow, 0, overflow.length, out, 0))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("float range");
        byte[] nan = nanOutlier();
        assertThatThrownBy(() -> dec.decode(nan, 0, nan.length, out, 0))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("not finite");
        // k other than floor(fraction * T)
        byte[] fewer = frame(
                TensorShape.of(1, 4),
                CodecSettings.tsTabq()
                        .outlierFraction(0.5)
                        .qbit(4)
                        .delta(0.01)
                        .entropy(false)
                        .build(),
                bytes(0, 1, 0, 1, 3, 0, 0, 0, 0x3C));
        assertThatThrownBy(() -> dec.decode(fewer, 0, fewer.length, out, 0))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("outlier count");
    }
}
