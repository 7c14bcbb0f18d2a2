package dev.slicer.codec.ecsq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.codec.ByteBudgetException;
import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.DecodeLimits;
import dev.slicer.codec.FrameDecoder;
import dev.slicer.codec.FrameEncoder;
import dev.slicer.codec.FrameHeader;
import dev.slicer.codec.SizeBound;
import dev.slicer.codec.TensorShape;
import dev.slicer.codec.TestTensors;
import dev.slicer.codec.TestTensors.Kind;
import dev.slicer.codec.bits.ByteIo;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** ECSQ with a byte budget: never above it, exactly it after padding, at most 2% of padding when the data allows. */
class ByteBudgetTest {

    record Case(int rows, int cols, Kind kind, long seed, double bits, boolean predict) {}

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(
                        Arbitraries.integers().between(1, 40),
                        Arbitraries.integers().between(1, 400),
                        // not TIES: with a few distinct values the size jumps up and down with the step, and the
                        // smallest step that fits need not be within 2% of the budget
                        Arbitraries.of(Kind.GAUSSIAN, Kind.OUTLIER_CHANNELS, Kind.HEAVY_TAILED, Kind.RELU),
                        Arbitraries.longs(),
                        Arbitraries.doubles().between(0.5, 12).ofScale(2),
                        Arbitraries.of(true, false))
                .as(Case::new);
    }

    /**
     * Regression: seed of a run where the step search crept below the coarsest step and refused a budget the coarsest
     * step fits ([20, 28] at 1 bit: 70 B budget, 78 B up to 32 x RMS, 41 B at 64 x RMS).
     */
    @Property(tries = 1000, seed = "1345708909239735694")
    void theSeedThatFoundTheCreepingSearchFitsItsBudget(@ForAll("cases") Case c) {
        framesAreExactlyTheBudgetAndFillAtLeast98PercentWhenTheDataAllows(c);
    }

    @Property(tries = 120)
    void framesAreExactlyTheBudgetAndFillAtLeast98PercentWhenTheDataAllows(@ForAll("cases") Case c) {
        TensorShape shape = TensorShape.of(c.rows(), c.cols());
        float[] x = TestTensors.make(c.kind(), c.rows(), c.cols(), c.seed());
        CodecSettings s = CodecSettings.ecsq()
                .bitsPerElement(c.bits())
                .predict(c.predict())
                .build();
        long budget = s.budgetBytes(shape.elementCount());
        assertThat(SizeBound.maxFrameBytes(shape, s)).isEqualTo(budget);
        byte[] frame = new byte[(int) budget];
        int n;
        try {
            n = FrameEncoder.create().encode(x, 0, shape, s, frame, 0);
        } catch (ByteBudgetException tooSmall) {
            // only when even the coarsest step does not fit
            CodecSettings coarsest = CodecSettings.ecsq()
                    .step(CodecSettings.MAX_STEP)
                    .predict(c.predict())
                    .build();
            byte[] big = new byte[(int) SizeBound.maxFrameBytes(shape, coarsest)];
            assertThat(FrameEncoder.create().encode(x, 0, shape, coarsest, big, 0))
                    .isGreaterThan((int) budget);
            return;
        }
        assertThat(n).isEqualTo(budget);
        float[] y = new float[x.length];
        FrameHeader h = FrameDecoder.create(DecodeLimits.defaults()).decode(frame, 0, n, y, 0);
        assertThat(h.settings()).isEqualTo(s);

        int padding = padding(frame, h.headerBytes());
        if (padding > budget / 50 && budget >= 256) {
            // the data does not allow a fuller frame: no step on a fine grid lands within 2% of the budget (frames
            // under 256 bytes are left out: there one byte is 0.4% and the size is not monotone in the step, so
            // the smallest step that fits can leave more than 2% while a coarser one fills the budget)
            FrameEncoder probe = FrameEncoder.create();
            for (int i = 0; i <= 300; i++) {
                double step =
                        CodecSettings.MIN_STEP * Math.pow(CodecSettings.MAX_STEP / CodecSettings.MIN_STEP, i / 300.0);
                CodecSettings fixed =
                        CodecSettings.ecsq().step(step).predict(c.predict()).build();
                byte[] f = new byte[(int) SizeBound.maxFrameBytes(shape, fixed)];
                int m = probe.encode(x, 0, shape, fixed, f, 0) + headerDifference(shape, s, fixed);
                assertThat(m >= budget - budget / 50 && m <= budget)
                        .as(
                                "step %s gives %d bytes, within 2%% of %d, but the budget frame has %d bytes of padding",
                                step, m, budget, padding)
                        .isFalse();
            }
        }
    }

    /** Header bytes of the budget setting minus those of the fixed-step one (the knobs differ in size). */
    private static int headerDifference(TensorShape shape, CodecSettings budget, CodecSettings fixed) {
        return dev.slicer.codec.frame.FrameFormat.headerBytes(shape, budget)
                - dev.slicer.codec.frame.FrameFormat.headerBytes(shape, fixed);
    }

    @Property(tries = 40)
    void fewDistinctValuesStillNeverExceedTheBudget(@ForAll long seed, @ForAll boolean predict) {
        TensorShape shape = TensorShape.of(23, 17);
        float[] x = TestTensors.make(Kind.TIES, 23, 17, seed);
        CodecSettings s =
                CodecSettings.ecsq().bitsPerElement(6).predict(predict).build();
        byte[] frame = new byte[(int) s.budgetBytes(shape.elementCount())];
        assertThat(FrameEncoder.create().encode(x, 0, shape, s, frame, 0)).isEqualTo(frame.length);
    }

    @Test
    void minilmLikeTensorsFillTheirBudget() {
        TensorShape shape = TensorShape.of(16, 384);
        for (double bits : new double[] {1, 2, 3, 4, 6, 8}) {
            float[] x = TestTensors.make(Kind.OUTLIER_CHANNELS, 16, 384, (long) bits);
            CodecSettings s = CodecSettings.ecsq().bitsPerElement(bits).build();
            byte[] frame = new byte[(int) s.budgetBytes(shape.elementCount())];
            int n = FrameEncoder.create().encode(x, 0, shape, s, frame, 0);
            assertThat(n).isEqualTo(frame.length);
            int header = FrameDecoder.create(DecodeLimits.defaults())
                    .readHeader(frame, 0, n)
                    .headerBytes();
            assertThat(padding(frame, header)).as("padding at %s bits", bits).isLessThanOrEqualTo(n / 50);
        }
    }

    @Test
    void theAllowanceHoldsTheLargestHeaderWithItsCrc() {
        TensorShape shape = TensorShape.of(2, 3, 5, 7, 11, 13, 17, 19);
        CodecSettings s = CodecSettings.ecsq()
                .bitsPerElement(Math.nextDown(CodecSettings.MAX_BITS))
                .predict(true)
                .build();
        assertThat(dev.slicer.codec.frame.FrameFormat.headerBytes(shape, s)
                        + dev.slicer.codec.frame.FrameFormat.CRC_BYTES)
                .isLessThan(CodecSettings.FRAME_ALLOWANCE_BYTES);
    }

    @Test
    void tinyTensorsAtTheLowestRateStillFitTheirBudget() {
        for (int t : new int[] {1, 16, 64}) {
            TensorShape shape = TensorShape.of(1, t);
            float[] x = TestTensors.make(Kind.GAUSSIAN, 1, t, t);
            CodecSettings s =
                    CodecSettings.ecsq().bitsPerElement(CodecSettings.MIN_BITS).build();
            byte[] frame = FrameEncoder.create().encode(x, shape, s);
            assertThat(frame.length)
                    .isEqualTo(CodecSettings.FRAME_ALLOWANCE_BYTES + (int) (CodecSettings.MIN_BITS * t / 8));
            assertThat(FrameDecoder.create(DecodeLimits.defaults())
                            .decode(frame, 0, frame.length, new float[t], 0)
                            .settings())
                    .isEqualTo(s);
        }
    }

    @Test
    void theRateIsPerElementAndTheAllowancePerFrame() {
        CodecSettings s = CodecSettings.ecsq().bitsPerElement(3).build();
        assertThat(s.budgetBytes(4 * 384)).isEqualTo(576 + CodecSettings.FRAME_ALLOWANCE_BYTES);
        assertThat(s.budgetBytes(1)).isEqualTo(CodecSettings.FRAME_ALLOWANCE_BYTES);
    }

    /** Padding bytes of an ECSQ frame whose payload starts at {@code payloadAt} (0 when it is not padded). */
    static int padding(byte[] frame, int payloadAt) {
        if ((frame[payloadAt + 4] & EcsqPayloadCodec.FLAG_PADDED) == 0) {
            return 0;
        }
        ByteIo.Reader in = new ByteIo.Reader(frame, payloadAt + 5, frame.length - payloadAt - 5, 0);
        in.take(in.varintUpTo(frame.length, "escapes"), "escapes");
        return in.varintUpTo(frame.length, "padding");
    }
}
