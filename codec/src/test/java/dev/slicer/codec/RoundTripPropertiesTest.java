package dev.slicer.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.codec.TestTensors.Kind;
import dev.slicer.codec.frame.TopKPayloadCodec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of the TOPK, TS_TABQ and LOSSLESS round trips over random shapes, distributions and knobs. */
class RoundTripPropertiesTest {

    record Case(int rows, int cols, Kind kind, long seed, CodecSettings settings) {
        float[] tensor() {
            return TestTensors.make(kind, rows, cols, seed);
        }

        TensorShape shape() {
            return rows == 1 ? TensorShape.of(cols) : TensorShape.of(rows, cols);
        }
    }

    @Provide
    Arbitrary<Case> topkCases() {
        Arbitrary<Integer> rows = Arbitraries.integers().between(1, 64);
        Arbitrary<Integer> cols = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 8), Arbitraries.integers().between(1, 1024));
        Arbitrary<Kind> kinds = Arbitraries.of(Kind.class);
        Arbitrary<Long> seeds = Arbitraries.longs();
        Arbitrary<Double> sparsity = Arbitraries.oneOf(
                Arbitraries.of(0.0, 0.5, 0.75, 0.9, 0.99),
                Arbitraries.doubles().between(0, 0.999).ofScale(4));
        Arbitrary<Integer> blocks = Arbitraries.integers().between(1, 6);
        Arbitrary<Double> lambda = Arbitraries.oneOf(
                Arbitraries.just(0.0), Arbitraries.doubles().between(0, 0.9).ofScale(3));
        Arbitrary<Integer> qbit = Arbitraries.integers().between(1, 16);
        Arbitrary<Double> delta = Arbitraries.of(0.0, 0.001, 0.01, 0.05, 0.2);
        Arbitrary<Boolean> entropy = Arbitraries.of(true, false);
        Arbitrary<CodecSettings> settings = Combinators.combine(
                        sparsity, blocks, blocks, lambda, qbit, delta, entropy, seeds)
                .as((s, mp, mn, l, q, d, e, seed) -> CodecSettings.topK()
                        .sparsity(s)
                        .blocks(mp, mn)
                        .lambda(l)
                        .qbit(q)
                        .delta(d)
                        .entropy(e)
                        .build()
                        .withSeed(seed));
        return Combinators.combine(rows, cols, kinds, seeds, settings).as(Case::new);
    }

    private static int nonzero(float[] x, int n) {
        int c = 0;
        for (int i = 0; i < n; i++) {
            if (x[i] != 0f) {
                c++;
            }
        }
        return c;
    }

    @Property(tries = 150)
    void topkKeepsExactlyKAndStaysWithinEachBlocksErrorBound(@ForAll("topkCases") Case c) {
        float[] x = c.tensor();
        TensorShape shape = c.shape();
        int t = shape.elementCount();
        CodecSettings s = c.settings();
        FrameEncoder enc = FrameEncoder.create();
        FrameDecoder dec = FrameDecoder.create(DecodeLimits.defaults());
        byte[] frame = new byte[(int) SizeBound.maxFrameBytes(shape, s)];
        int n = enc.encode(x, 0, shape, s, frame, 0);
        assertThat(n).isLessThanOrEqualTo(frame.length);
        float[] y = new float[t];
        FrameHeader h = dec.decode(frame, 0, n, y, 0);
        assertThat(h.shape()).isEqualTo(shape);
        assertThat(h.settings()).isEqualTo(s);
        assertThat(h.frameBytes()).isEqualTo(n);

        long k = SizeBound.keepCount(t, s.sparsity());
        int expected = (int) Math.min(k, nonzero(x, t));
        assertThat(nonzero(y, t)).as("nonzero count").isEqualTo(expected);

        TopKPayloadCodec blocks = dec.topk();
        int mPos = s.blocksPos();
        int total = mPos + s.blocksNeg();
        for (int i = 0; i < t; i++) {
            if (y[i] == 0f) {
                continue;
            }
            assertThat(Math.signum(y[i])).as("sign at %d", i).isEqualTo(Math.signum(x[i]));
            double err = Math.abs((double) y[i] - x[i]);
            boolean within = false;
            for (int b = y[i] > 0 ? 0 : mPos; b < (y[i] > 0 ? mPos : total) && !within; b++) {
                if (blocks.blockCount(b) == 0) {
                    continue;
                }
                double lo = blocks.blockMin(b);
                double sc = blocks.blockScale(b);
                double hi = lo + ((1 << blocks.blockBits(b)) - 1) * sc;
                double mag = Math.abs(y[i]);
                double tol = sc / 2 + 1e-6 * Math.abs(x[i]) + 1e-30;
                if (mag >= lo - tol && mag <= hi + tol && err <= tol) {
                    within = true;
                }
            }
            assertThat(within).as("element %d: x=%s y=%s", i, x[i], y[i]).isTrue();
        }
        // lambda = 0: the kept set is the top k by magnitude
        if (s.lambda() == 0 && expected > 0) {
            float minKept = Float.MAX_VALUE;
            float maxDropped = 0;
            for (int i = 0; i < t; i++) {
                float a = Math.abs(x[i]);
                if (y[i] != 0f) {
                    minKept = Math.min(minKept, a);
                } else {
                    maxDropped = Math.max(maxDropped, a);
                }
            }
            assertThat(minKept).isGreaterThanOrEqualTo(maxDropped);
        }
    }

    @Property(tries = 100)
    void sizeBoundHoldsForEveryMode(@ForAll("topkCases") Case c, @ForAll @IntRange(min = 0, max = 2) int modeIndex) {
        float[] x = c.tensor();
        TensorShape shape = c.shape();
        CodecSettings s =
                switch (modeIndex) {
                    case 0 -> c.settings();
                    case 1 ->
                        CodecSettings.tsTabq()
                                .outlierFraction(c.settings().sparsity() / 4)
                                .qbit(c.settings().qbit())
                                .delta(c.settings().delta())
                                .entropy(c.settings().entropy())
                                .build();
                    default -> CodecSettings.lossless().withEntropy(c.settings().entropy());
                };
        FrameEncoder enc = FrameEncoder.create();
        long bound = SizeBound.maxFrameBytes(shape, s);
        byte[] frame = new byte[(int) bound + 64];
        int n = enc.encode(x, 0, shape, s, frame, 0);
        assertThat((long) n).as("B_UB for %s", s.label()).isLessThanOrEqualTo(bound);
        float[] y = new float[shape.elementCount()];
        FrameDecoder.create(DecodeLimits.defaults()).decode(frame, 0, n, y, 0);
    }

    @Property(tries = 60)
    void sameSeedGivesIdenticalBytes(@ForAll("topkCases") Case c) {
        float[] x = c.tensor();
        TensorShape shape = c.shape();
        CodecSettings s = c.settings();
        byte[] a = new byte[(int) SizeBound.maxFrameBytes(shape, s)];
        byte[] b = new byte[a.length];
        int na = FrameEncoder.create().encode(x, 0, shape, s, a, 0);
        FrameEncoder reused = FrameEncoder.create();
        reused.encode(TestTensors.make(Kind.GAUSSIAN, 3, 50, 1), 0, TensorShape.of(3, 50), s, new byte[4096], 0);
        int nb = reused.encode(x, 0, shape, s, b, 0);
        assertThat(java.util.Arrays.copyOf(b, nb)).isEqualTo(java.util.Arrays.copyOf(a, na));
    }

    @Property(tries = 100)
    void losslessIsBitExactForFp32(
            @ForAll @IntRange(min = 0, max = 5000) int n, @ForAll long seed, @ForAll boolean entropy) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] x = new float[n];
        int[] specials = {0x7FC00001, 0xFFC12345, 0x7F800000, 0xFF800000, 0x80000000, 0x00000001, 0x7F7FFFFF};
        for (int i = 0; i < n; i++) {
            int bits = r.nextInt(4) == 0
                    ? specials[r.nextInt(specials.length)]
                    : r.nextBoolean() ? r.nextInt() : Float.floatToRawIntBits((float) TestTensors.gaussian(r));
            x[i] = Float.intBitsToFloat(bits);
        }
        TensorShape shape = TensorShape.of(n);
        CodecSettings s = CodecSettings.lossless().withEntropy(entropy);
        byte[] frame = new byte[(int) SizeBound.maxFrameBytes(shape, s)];
        int len = FrameEncoder.create().encode(x, 0, shape, s, frame, 0);
        float[] y = new float[n];
        FrameDecoder.create(DecodeLimits.defaults()).decode(frame, 0, len, y, 0);
        for (int i = 0; i < n; i++) {
            assertThat(Float.floatToRawIntBits(y[i])).isEqualTo(Float.floatToRawIntBits(x[i]));
        }
    }

    @Property(tries = 100)
    void losslessIsBitExactForHalfTypes(
            @ForAll @IntRange(min = 0, max = 5000) int n,
            @ForAll long seed,
            @ForAll boolean entropy,
            @ForAll boolean bf16) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        DType dtype = bf16 ? DType.BF16 : DType.FP16;
        short[] x = new short[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextInt(3) == 0
                    ? (short) r.nextInt()
                    : HalfFloats.fromFloat(dtype, (float) TestTensors.gaussian(r));
        }
        TensorShape shape = TensorShape.of(n);
        CodecSettings s = CodecSettings.lossless().withEntropy(entropy);
        byte[] frame = new byte[(int) SizeBound.maxFrameBytes(shape, s, dtype)];
        int len = FrameEncoder.create().encodeHalf(x, 0, dtype, shape, s, frame, 0);
        short[] y = new short[n];
        FrameHeader h = FrameDecoder.create(DecodeLimits.defaults()).decodeToHalf(frame, 0, len, dtype, y, 0);
        assertThat(h.dtype()).isEqualTo(dtype);
        assertThat(y).isEqualTo(x);
    }
}
