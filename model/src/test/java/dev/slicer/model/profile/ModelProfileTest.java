package dev.slicer.model.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.model.TestModels;
import dev.slicer.model.split.SplittableModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelProfileTest {
    @Test
    void resnetProfileIsMonotoneAndAddsUp() {
        SplittableModel m = TestModels.resnet();
        ModelProfile p = ModelProfiler.profile(m, new ModelProfiler.Options(true, 1, 3));
        assertThat(p.candidates()).hasSize(m.candidates().size());
        assertThat(p.totalParamBytes()).isEqualTo(m.graph().totalParameterBytes());
        long prevParams = -1;
        double prevFlops = -1;
        for (CandidateProfile c : p.candidates()) {
            assertThat(c.cumulativeParamBytes()).isGreaterThanOrEqualTo(prevParams);
            assertThat(c.cumulativeGflops()).isGreaterThanOrEqualTo(prevFlops);
            assertThat(c.cumulativeParamBytes() + c.backParamBytes()).isEqualTo(p.totalParamBytes());
            assertThat(c.cumulativeGflops()).isLessThanOrEqualTo(p.totalGflops());
            assertThat(c.frontLatencyMs()).isPositive();
            prevParams = c.cumulativeParamBytes();
            prevFlops = c.cumulativeGflops();
        }
        CandidateProfile l1 = p.candidates().stream()
                .filter(c -> c.name().equals("layer1.0"))
                .findFirst()
                .orElseThrow();
        assertThat(l1.shipped()).singleElement().satisfies(t -> {
            assertThat(t.dtype()).isEqualTo("float32");
            assertThat(t.shape()).containsExactly("batch", "16", "32", "32");
            assertThat(t.unit()).isEqualTo(ShippedTensor.UNIT_SAMPLE);
            assertThat(t.bytesPerUnit()).isEqualTo(16 * 32 * 32 * 4);
            assertThat(t.role()).isEqualTo(ShippedTensor.ROLE_ACTIVATION);
        });
        assertThat(l1.shippedBytesPerSample()).isEqualTo(16 * 32 * 32 * 4);
        // conv FLOPs of the stem: 2 * (16*32*32 outputs) * (3*3*3) MACs
        assertThat(p.candidates().get(0).cumulativeGflops()).isEqualTo(2.0 * 16 * 32 * 32 * 27 / 1e9);
    }

    @Test
    void llamaShipsPerTokenAndJsonRoundTrips() {
        ModelProfile p = ModelProfiler.profile(TestModels.llama(), ModelProfiler.Options.NO_LATENCY);
        assertThat(p.kvCache()).isTrue();
        CandidateProfile l2 = p.candidates().stream()
                .filter(c -> c.name().equals("model.layers.2"))
                .findFirst()
                .orElseThrow();
        ShippedTensor big = l2.shipped().get(0);
        assertThat(big.role()).isEqualTo(ShippedTensor.ROLE_ACTIVATION);
        assertThat(big.unit()).isEqualTo(ShippedTensor.UNIT_TOKEN);
        assertThat(big.bytesPerUnit()).isEqualTo(64 * 4);
        assertThat(l2.bigTensorBytesPerSample()).isEqualTo(64L * 4 * p.referenceSequence());
        assertThat(l2.shipped()).anySatisfy(t -> {
            assertThat(t.name()).isEqualTo("attention_mask");
            assertThat(t.role()).isEqualTo(ShippedTensor.ROLE_INPUT);
        });
        assertThat(l2.frontLatencyMs()).isEqualTo(-1);
        List<Double> flops =
                p.candidates().stream().map(CandidateProfile::cumulativeGflops).toList();
        assertThat(flops).isSorted();
        ModelProfile back = ModelProfile.fromJson(p.toJson());
        assertThat(back).isEqualTo(p);
    }
}
