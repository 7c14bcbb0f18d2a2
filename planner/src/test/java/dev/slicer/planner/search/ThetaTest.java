package dev.slicer.planner.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.codec.CodecMode;
import dev.slicer.codec.DType;
import dev.slicer.codec.TensorShape;
import dev.slicer.planner.InvalidPlanInputException;
import dev.slicer.planner.cost.CodecSizeBound;
import dev.slicer.planner.plan.PlanJson;
import org.junit.jupiter.api.Test;

class ThetaTest {
    @Test
    void losslessHalfRoundTripsThroughJsonAndPlainLosslessJsonIsUnchanged() throws Exception {
        String half = PlanJson.mapper().writeValueAsString(Theta.losslessHalf());
        Theta back = PlanJson.mapper().readValue(half, Theta.class);
        assertThat(back).isEqualTo(Theta.losslessHalf());
        assertThat(back.wireDtype()).isEqualTo(DType.FP16);
        assertThat(back.id()).isEqualTo("lossless/fp16");
        // plans written before the knob existed hash the same: the field is written only when set
        String plain = PlanJson.mapper().writeValueAsString(Theta.lossless());
        assertThat(plain).doesNotContain("half");
        assertThat(PlanJson.mapper().readValue(plain, Theta.class).wireDtype()).isEqualTo(DType.FP32);
    }

    @Test
    void theFp16CastGoesWithLosslessFramesOnly() {
        assertThatThrownBy(() -> new Theta(CodecMode.TOPK, 0.5, 1, 1, 0, 8, 0, 0, false, 0, false, true))
                .isInstanceOf(InvalidPlanInputException.class)
                .hasMessageContaining("lossless");
        assertThat(Theta.lossless().withEntropy(true).half()).isFalse();
        assertThat(Theta.losslessHalf().withEntropy(true).half()).isTrue();
    }

    @Test
    void theSizeBoundOfAnFp16FrameIsAboutHalfOfFp32() {
        TensorShape shape = TensorShape.of(16, 384);
        long fp32 = CodecSizeBound.INSTANCE.maxFrameBytes(shape, Theta.lossless());
        long fp16 = CodecSizeBound.INSTANCE.maxFrameBytes(shape, Theta.losslessHalf());
        assertThat(fp32).isGreaterThanOrEqualTo(4L * shape.elementCount());
        assertThat(fp16).isGreaterThanOrEqualTo(2L * shape.elementCount()).isLessThan(fp32 / 2 + 256);
    }
}
