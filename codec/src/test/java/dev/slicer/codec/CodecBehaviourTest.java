package dev.slicer.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.codec.TestTensors.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CodecBehaviourTest {
    private final FrameEncoder enc = FrameEncoder.create();
    private final FrameDecoder dec = FrameDecoder.create(DecodeLimits.defaults());

    private float[] roundTrip(float[] x, TensorShape shape, CodecSettings s) {
        byte[] frame = new byte[(int) SizeBound.maxFrameBytes(shape, s)];
        int n = enc.encode(x, 0, shape, s, frame, 0);
        float[] y = new float[shape.elementCount()];
        dec.decode(frame, 0, n, y, 0);
        return y;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void distortionDoesNotDecreaseWithSparsity(Kind kind) {
        double[] sparsities = {0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99};
        TensorShape shape = TensorShape.of(64, 256);
        // fine fixed quantization: the top-K error dominates, and the dropped set only grows with s
        double prev = -1;
        for (double s : sparsities) {
            CodecSettings cs = CodecSettings.topK()
                    .sparsity(s)
                    .blocks(2, 2)
                    .qbit(16)
                    .delta(0)
                    .entropy(false)
                    .build()
                    .withFixedBits(List.of(16));
            double mse = 0;
            for (long seed = 1; seed <= 3; seed++) {
                float[] x = TestTensors.make(kind, 64, 256, seed);
                mse += TestTensors.mse(x, roundTrip(x, shape, cs), x.length);
            }
            assertThat(mse).as("s=%s", s).isGreaterThanOrEqualTo(prev * (1 - 1e-9));
            prev = mse;
        }
        // the adaptive default, averaged over seeds, on a coarse grid where dropping dominates (ABQ picks bits per
        // block relative to its range, so the quantization part alone need not be monotone), with a small allowance
        prev = -1;
        for (double s : new double[] {0.5, 0.75, 0.9, 0.99}) {
            CodecSettings cs = CodecSettings.topK()
                    .sparsity(s)
                    .blocks(3, 3)
                    .qbit(8)
                    .delta(0.01)
                    .entropy(true)
                    .build();
            double mse = 0;
            for (long seed = 1; seed <= 3; seed++) {
                float[] x = TestTensors.make(kind, 64, 256, seed);
                mse += TestTensors.mse(x, roundTrip(x, shape, cs), x.length);
            }
            assertThat(mse).as("adaptive s=%s", s).isGreaterThanOrEqualTo(prev * 0.98);
            prev = mse;
        }
    }

    @Test
    void referencePointStaysUnderThreeBitsPerElementOnActivationLikeData() {
        TensorShape shape = TensorShape.of(128, 384);
        float[] x = TestTensors.make(Kind.OUTLIER_CHANNELS, 128, 384, 11);
        CodecSettings s = CodecSettings.topK()
                .sparsity(0.75)
                .blocks(3, 3)
                .qbit(8)
                .delta(0.01)
                .entropy(true)
                .build();
        byte[] frame = new byte[(int) SizeBound.maxFrameBytes(shape, s)];
        int n = enc.encode(x, 0, shape, s, frame, 0);
        assertThat(8.0 * n / x.length).isLessThan(3.0);
        float[] y = new float[x.length];
        dec.decode(frame, 0, n, y, 0);
        assertThat(TestTensors.cosine(x, y, x.length)).isGreaterThan(0.9);
    }

    @Test
    void tinyAndEmptyTensorsRoundTrip() {
        for (CodecSettings s : List.of(
                CodecSettings.topK()
                        .sparsity(0.0)
                        .blocks(1, 1)
                        .qbit(8)
                        .delta(0.01)
                        .entropy(true)
                        .build(),
                CodecSettings.topK()
                        .sparsity(0.5)
                        .blocks(3, 3)
                        .lambda(0.2)
                        .qbit(8)
                        .delta(0.01)
                        .entropy(false)
                        .build(),
                CodecSettings.tsTabq()
                        .outlierFraction(0.01)
                        .qbit(4)
                        .delta(0.01)
                        .entropy(true)
                        .build(),
                CodecSettings.lossless())) {
            float[] one = {-1.25f};
            float[] y = roundTrip(one, TensorShape.of(1), s);
            if (s.sparsity() < 0.5 || s.mode() != CodecMode.TOPK) {
                assertThat(y[0]).isCloseTo(-1.25f, org.assertj.core.data.Offset.offset(0.01f));
            } else {
                assertThat(y[0]).isZero();
            }
            assertThat(roundTrip(new float[0], TensorShape.of(0), s)).isEmpty();
            assertThat(roundTrip(new float[0], TensorShape.of(3, 0, 5), s)).isEmpty();
        }
    }

    @Test
    void nonFiniteInputIsRejectedInLossyModesAndKeptInLossless() {
        TensorShape shape = TensorShape.of(8);
        float[] x = {1, 2, Float.NaN, 4, 5, 6, 7, Float.POSITIVE_INFINITY};
        for (CodecSettings s : List.of(
                CodecSettings.topK()
                        .sparsity(0.5)
                        .blocks(2, 2)
                        .qbit(8)
                        .delta(0.01)
                        .entropy(true)
                        .build(),
                CodecSettings.tsTabq()
                        .outlierFraction(0.25)
                        .qbit(4)
                        .delta(0.01)
                        .entropy(false)
                        .build())) {
            assertThatThrownBy(() -> enc.encode(x, 0, shape, s, new byte[4096], 0))
                    .isInstanceOf(NonFiniteInputException.class)
                    .hasMessageContaining("element 2");
        }
        float[] y = roundTrip(x, shape, CodecSettings.lossless().withEntropy(true));
        assertThat(Float.floatToRawIntBits(y[2])).isEqualTo(Float.floatToRawIntBits(Float.NaN));
        assertThat(y[7]).isEqualTo(Float.POSITIVE_INFINITY);
    }

    @Test
    void halfInputEncodesLossyAndDecodesToHalf() {
        TensorShape shape = TensorShape.of(16, 64);
        float[] x = TestTensors.make(Kind.GAUSSIAN, 16, 64, 5);
        short[] h = new short[x.length];
        for (int i = 0; i < x.length; i++) {
            h[i] = HalfFloats.floatToBf16(x[i]);
        }
        CodecSettings s = CodecSettings.topK()
                .sparsity(0.5)
                .blocks(2, 2)
                .qbit(12)
                .delta(0.001)
                .entropy(true)
                .build();
        byte[] frame = new byte[(int) SizeBound.maxFrameBytes(shape, s)];
        int n = enc.encodeHalf(h, 0, DType.BF16, shape, s, frame, 0);
        short[] out = new short[x.length];
        FrameHeader header = dec.decodeToHalf(frame, 0, n, out, 0);
        assertThat(header.dtype()).isEqualTo(DType.BF16);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = HalfFloats.fp16ToFloat(out[i]);
        }
        assertThat(TestTensors.cosine(x, y, x.length)).isGreaterThan(0.85);
    }

    /** A lossless frame sent as fp16: the values come back rounded to fp16 exactly, in half the bytes of fp32. */
    @Test
    void encodeAsFp16CastsEachValueAndKeepsItExactly() {
        TensorShape shape = TensorShape.of(16, 384);
        float[] x = TestTensors.make(Kind.OUTLIER_CHANNELS, 16, 384, 7);
        CodecSettings s = CodecSettings.lossless();
        byte[] frame = new byte[(int) SizeBound.maxFrameBytes(shape, s, DType.FP16)];
        int n = enc.encodeAs(x, 0, shape, s, DType.FP16, frame, 0);
        assertThat(n).isBetween(2 * shape.elementCount(), 2 * shape.elementCount() + 64);
        float[] y = new float[x.length];
        FrameHeader header = dec.decode(frame, 0, n, y, 0);
        assertThat(header.dtype()).isEqualTo(DType.FP16);
        for (int i = 0; i < x.length; i++) {
            assertThat(y[i]).isEqualTo(HalfFloats.fp16ToFloat(HalfFloats.floatToFp16(x[i])));
        }
        // FP32 is the plain encode, byte for byte
        byte[] plain = enc.encode(x, shape, s);
        byte[] viaAs = new byte[plain.length];
        assertThat(enc.encodeAs(x, 0, shape, s, DType.FP32, viaAs, 0)).isEqualTo(plain.length);
        assertThat(viaAs).isEqualTo(plain);
        CodecSettings lossy = CodecSettings.ecsq().step(0.5).build();
        assertThatThrownBy(() -> enc.encodeAs(x, 0, shape, lossy, DType.FP16, frame, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LOSSLESS");
    }

    @Test
    void zeroDimensionWinsOverHugeOnes() {
        TensorShape s = TensorShape.of(1 << 30, 1 << 30, 0);
        assertThat(s.elementCount()).isZero();
        assertThatThrownBy(() -> TensorShape.of(1 << 30, 1 << 30, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void halfConversionsMatchKnownValues() {
        assertThat(HalfFloats.floatToFp16(1.0f)).isEqualTo((short) 0x3C00);
        assertThat(HalfFloats.floatToFp16(65504f)).isEqualTo((short) 0x7BFF);
        assertThat(HalfFloats.floatToFp16(65520f)).isEqualTo((short) 0x7C00);
        assertThat(HalfFloats.floatToFp16(0x1p-24f)).isEqualTo((short) 0x0001);
        assertThat(HalfFloats.floatToFp16(-0.0f)).isEqualTo((short) 0x8000);
        for (int b = 0; b < 0x10000; b++) {
            short h = (short) b;
            float f = HalfFloats.fp16ToFloat(h);
            if (!Float.isNaN(f)) {
                assertThat(HalfFloats.floatToFp16(f)).isEqualTo(h);
            }
            float g = HalfFloats.bf16ToFloat(h);
            if (!Float.isNaN(g)) {
                assertThat(HalfFloats.floatToBf16(g)).isEqualTo(h);
            }
        }
    }

    @Test
    void encoderRejectsTooSmallBuffersAndDecoderToo() {
        TensorShape shape = TensorShape.of(32, 32);
        float[] x = TestTensors.make(Kind.GAUSSIAN, 32, 32, 1);
        CodecSettings s = CodecSettings.topK()
                .sparsity(0.5)
                .blocks(2, 2)
                .qbit(8)
                .delta(0.01)
                .entropy(true)
                .build();
        assertThatThrownBy(() -> enc.encode(x, 0, shape, s, new byte[20], 0))
                .isInstanceOf(BufferTooSmallException.class);
        byte[] frame = new byte[(int) SizeBound.maxFrameBytes(shape, s)];
        int n = enc.encode(x, 0, shape, s, frame, 0);
        // an exactly sized buffer works even though it is below the bound
        byte[] exact = new byte[n];
        assertThat(enc.encode(x, 0, shape, s, exact, 0)).isEqualTo(n);
        assertThat(exact).isEqualTo(java.util.Arrays.copyOf(frame, n));
        assertThatThrownBy(() -> dec.decode(frame, 0, n, new float[1023], 0))
                .isInstanceOf(BufferTooSmallException.class);
        assertThatThrownBy(() -> dec.decode(frame, 0, n, new float[1024], 1))
                .isInstanceOf(BufferTooSmallException.class);
    }

    @Test
    void timeModelCalibratesAndRebuildsFromStoredNumbers() {
        TimeModel m = TimeModel.calibrate(384 * 16, 1);
        TimeModel.Costs c = m.costs();
        TimeModel back = TimeModel.of(new TimeModel.Costs(
                c.selectNsPerElement(),
                c.splitNsPerSurvivor(),
                c.quantizeNsPerSurvivor(),
                c.indexNsPerElement(),
                c.valuesNsPerSurvivor(),
                c.frameNsPerElement(),
                c.entropyNsPerSymbol(),
                c.decodeNsPerElement(),
                c.decodeNsPerSurvivor(),
                c.decodeEntropyNsPerSymbol(),
                c.losslessEncodeNsPerElement(),
                c.losslessDecodeNsPerElement(),
                c.tabqEncodeNsPerElement(),
                c.tabqDecodeNsPerElement()));
        CodecSettings s = CodecSettings.topK()
                .sparsity(0.75)
                .blocks(3, 3)
                .qbit(8)
                .delta(0.01)
                .entropy(true)
                .build();
        assertThat(back.encodeSeconds(50_000, s)).isEqualTo(m.encodeSeconds(50_000, s));
        for (CodecSettings cs : List.of(
                s,
                CodecSettings.lossless(),
                CodecSettings.tsTabq()
                        .outlierFraction(0.01)
                        .qbit(4)
                        .delta(0.01)
                        .entropy(true)
                        .build())) {
            double small = m.encodeSeconds(1_000, cs);
            double large = m.encodeSeconds(1_000_000, cs);
            assertThat(small).isFinite().isGreaterThanOrEqualTo(0);
            assertThat(large).isGreaterThanOrEqualTo(small);
            assertThat(m.decodeSeconds(1_000_000, cs)).isFinite().isGreaterThanOrEqualTo(m.decodeSeconds(1_000, cs));
        }
        assertThat(m.toString()).startsWith("TimeModel[").doesNotContain("{");
    }
}
