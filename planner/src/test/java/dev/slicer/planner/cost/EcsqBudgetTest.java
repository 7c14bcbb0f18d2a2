package dev.slicer.planner.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.codec.ByteBudgetException;
import dev.slicer.codec.DecodeLimits;
import dev.slicer.codec.FrameBodies;
import dev.slicer.codec.FrameEncoder;
import dev.slicer.codec.TensorShape;
import dev.slicer.codec.frame.FrameFormat;
import dev.slicer.planner.InvalidPlanInputException;
import dev.slicer.planner.model.DistortionTable;
import dev.slicer.planner.plan.PlanJson;
import dev.slicer.planner.search.KnobGrid;
import dev.slicer.planner.search.Theta;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** ECSQ byte budgets in the planner: exact sizes, which shapes they can encode, and tables that say why not. */
class EcsqBudgetTest {

    private static final double[] STANDARD_BITS = {12, 6, 4, 3, 2, 1.5, 1};

    @Test
    void theStandardGridPlansEcsqAtEveryBudgetLevel() {
        List<Theta> ecsq = KnobGrid.standard().thetas().stream()
                .filter(t -> t.mode() == dev.slicer.codec.CodecMode.ECSQ)
                .toList();
        assertThat(ecsq).extracting(Theta::bitsPerElement).containsExactly(12.0, 6.0, 4.0, 3.0, 2.0, 1.5, 1.0);
        assertThat(ecsq).allMatch(Theta::predict).noneMatch(Theta::hasRansTwin);
        assertThat(Theta.topK(0.5, 1, 1, 0, 8, 0.02, true).hasRansTwin()).isTrue();
        assertThat(Theta.lossless().hasRansTwin()).isTrue();
    }

    /**
     * A budget the size model calls encodable gives a frame of exactly the planned bytes on any data (Gaussian,
     * heavy-tailed, constant); one below the all-zero frame is refused with a ByteBudgetException.
     */
    @Property(tries = 1000)
    void encodableIffTheEncoderFitsTheBudgetAndThenExactly(
            @ForAll @IntRange(min = 1, max = 24) int rows,
            @ForAll @IntRange(min = 1, max = 96) int cols,
            @ForAll @IntRange(min = 0, max = 6) int level,
            @ForAll @IntRange(min = 0, max = 2) int kind,
            @ForAll long seed) {
        Theta theta = Theta.ecsq(STANDARD_BITS[level], true);
        TensorShape shape = TensorShape.of(rows, cols);
        float[] v = values(rows * cols, kind, new Random(seed));
        CodecSizeBound size = CodecSizeBound.INSTANCE;
        FrameEncoder enc = FrameEncoder.create();
        if (size.encodable(shape, theta)) {
            byte[] frame = enc.encode(v, shape, theta.toCodecSettings());
            assertThat((long) frame.length).isEqualTo(size.maxFrameBytes(shape, theta));
        } else {
            assertThat(size.maxFrameBytes(shape, theta)).isLessThan(size.minFrameBytes(shape, theta));
        }
        if (size.maxFrameBytes(shape, theta) < CodecSizeBound.zeroFrameBytes(shape, true)) {
            assertThatThrownBy(() -> enc.encode(v, shape, theta.toCodecSettings()))
                    .isInstanceOf(ByteBudgetException.class);
        }
    }

    /** The codec's per-frame allowance pays the header and tables: one token at 1 bit per element encodes exactly. */
    @Test
    void oneTokenFramesAreEncodableAtEveryStandardBudget() {
        TensorShape token = TensorShape.of(1, 64);
        float[] v = values(64, 1, new Random(7));
        for (double bits : STANDARD_BITS) {
            Theta theta = Theta.ecsq(bits, true);
            assertThat(CodecSizeBound.INSTANCE.encodable(token, theta))
                    .as("%s bits", bits)
                    .isTrue();
            assertThat((long) FrameEncoder.create().encode(v, token, theta.toCodecSettings()).length)
                    .isEqualTo(CodecSizeBound.INSTANCE.maxFrameBytes(token, theta));
        }
        // other modes have no smallest frame above their bound
        assertThat(CodecSizeBound.INSTANCE.minFrameBytes(TensorShape.of(1, 1), Theta.lossless()))
                .isZero();
    }

    /** An AR step ships the frame's body: the token bound is the frame's less its header, and the body fits it. */
    @Test
    void aTokenCostsItsFramesBody() {
        TensorShape token = TensorShape.of(1, 64);
        float[] v = values(64, 1, new Random(9));
        for (Theta theta : List.of(Theta.ecsq(12, true), Theta.tsTabq(0.01, 8, 0.005, true), Theta.lossless())) {
            byte[] frame = FrameEncoder.create().encode(v, token, theta.toCodecSettings());
            int header = FrameFormat.headerBytes(token, theta.toCodecSettings());
            long bound = CodecSizeBound.INSTANCE.maxTokenBytes(token, theta);
            assertThat(bound).isEqualTo(CodecSizeBound.INSTANCE.maxFrameBytes(token, theta) - header);
            assertThat((long) FrameBodies.body(frame, 0, frame.length, DecodeLimits.defaults()).length)
                    .as(theta.id())
                    .isLessThanOrEqualTo(bound);
        }
        // ECSQ budgets are exact: 12 bits x 64 + the 96-byte allowance, less a 27-byte header
        assertThat(CodecSizeBound.INSTANCE.maxTokenBytes(token, Theta.ecsq(12, true)))
                .isEqualTo(192 - 27);
    }

    private static float[] values(int n, int kind, Random r) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (kind) {
                case 0 -> (float) r.nextGaussian();
                case 1 -> (float) (r.nextGaussian() * Math.exp(3 * r.nextGaussian())); // heavy tails, outliers
                default -> 2.5f;
            };
        }
        return v;
    }

    @Test
    void aCellWithoutAValueNeedsAReasonAndExclusionsSurviveJson() {
        String id = Theta.ecsq(1, true).id();
        assertThatThrownBy(() -> new DistortionTable("m", 1, Map.of(id, Arrays.asList(0.99, null))))
                .isInstanceOf(InvalidPlanInputException.class)
                .hasMessageContaining("neither measured nor excluded");
        assertThatThrownBy(
                        () -> new DistortionTable("m", 1, Map.of(id, List.of(0.99, 0.98)), Map.of(id, Map.of(1, "x"))))
                .isInstanceOf(InvalidPlanInputException.class)
                .hasMessageContaining("not excluded");
        DistortionTable t = new DistortionTable(
                "m", 1, Map.of(id, Arrays.asList(0.99, null)), Map.of(id, Map.of(1, "byte budget 8 B is below ...")));
        assertThat(t.lookup(Theta.ecsq(1, true), 1)).isNaN();
        assertThat(t.exclusion(Theta.ecsq(1, true), 1)).startsWith("byte budget");
        assertThat(t.exclusion(Theta.ecsq(1, true), 0)).isNull();
        assertThat(PlanJson.read(PlanJson.write(t, false), DistortionTable.class))
                .isEqualTo(t);
        assertThat(PlanJson.write(new DistortionTable("m", 1, Map.of(id, List.of(0.5))), false))
                .doesNotContain("excluded");
    }
}
