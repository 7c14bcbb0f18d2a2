package dev.slicer.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.bench.baseline.Fp16Cast;
import dev.slicer.bench.data.SyntheticTensors;
import dev.slicer.bench.data.TensorSet;
import dev.slicer.bench.method.MethodSpec;
import dev.slicer.bench.method.Methods;
import dev.slicer.bench.metrics.Quality;
import dev.slicer.codec.CodecSettings;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateDistortionTest {

    private static final TensorSet SET = SyntheticTensors.heavyTailed(3, 3, 8, 48);

    @Test
    void losslessMethodsMeasureCosineOne() {
        for (String id : new String[] {"zstd1-fp32", "lz4-fp32", "airzstd-fp32", "slicer-lossless"}) {
            Quality q = RateDistortion.measure(Methods.parse(id), SET);
            assertThat(q.cosine()).as(id).isEqualTo(1.0);
            assertThat(q.relativeMse()).as(id).isEqualTo(0.0);
            assertThat(q.elements()).isEqualTo(SET.totalElements());
        }
    }

    @Test
    void int8CountsItsHeaderInTheBits() {
        Quality q = RateDistortion.measure(Methods.parse("int8"), SET);
        // 3 tensors of 384 elements: 384 + 8 bytes each
        assertThat(q.bytes()).isEqualTo(3 * (384 + 8));
        assertThat(q.bitsPerElement()).isEqualTo(3 * (384 + 8) * 8.0 / (3 * 384));
        assertThat(q.cosine()).isGreaterThan(0.99).isLessThan(1.0);
    }

    @Test
    void slicerTopKRoundTripsThroughTheBenchAdapter() {
        Quality q = RateDistortion.measure(Methods.slicer(Methods.REFERENCE), SET);
        assertThat(q.cosine()).isGreaterThan(0.5).isLessThan(1.0);
        assertThat(q.bitsPerElement()).isGreaterThan(0.0).isLessThan(32.0);
    }

    @Test
    void aLossyMethodDeclaredLosslessIsCaught() {
        MethodSpec wrong = new MethodSpec("fp16", "fp16", "fp16", true, Optional.empty(), Fp16Cast::new);
        assertThatThrownBy(() -> RateDistortion.measure(wrong, SET))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("declared lossless");
        assertThat(Methods.slicer(CodecSettings.lossless()).lossless()).isTrue();
    }
}
