package dev.slicer.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.codec.TestTensors.Kind;
import org.junit.jupiter.api.Test;

class ConvenienceApiTest {

    @Test
    void encodeAndDecodeWholeArrays() {
        TensorShape shape = TensorShape.of(8, 32);
        float[] x = TestTensors.make(Kind.OUTLIER_CHANNELS, 8, 32, 5);
        for (CodecSettings s : new CodecSettings[] {
            CodecSettings.ecsq().build(),
            CodecSettings.ecsq().bitsPerElement(4).build(),
            CodecSettings.topK()
                    .sparsity(0.5)
                    .blocks(2, 2)
                    .delta(0.01)
                    .entropy(true)
                    .build(),
            CodecSettings.lossless()
        }) {
            byte[] frame = FrameEncoder.create().encode(x, shape, s);
            assertThat(frame.length).isLessThanOrEqualTo((int) SizeBound.maxFrameBytes(shape, s));
            float[] y = FrameDecoder.create().decode(frame);
            assertThat(y).hasSize(x.length);
        }
        assertThatThrownBy(() -> FrameEncoder.create().encode(new float[3], shape, CodecSettings.lossless()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBuilderNamesEveryKnob() {
        CodecSettings s = CodecSettings.topK()
                .sparsity(0.75)
                .blocks(3, 2)
                .lambda(0.1)
                .qbit(6)
                .delta(0.01)
                .entropy(true)
                .seed(7)
                .build();
        assertThat(s.sparsity()).isEqualTo(0.75);
        assertThat(s.blocksPos()).isEqualTo(3);
        assertThat(s.blocksNeg()).isEqualTo(2);
        assertThat(s.delta()).isEqualTo(0.01);
        assertThat(s.toBuilder().build()).isEqualTo(s);
        assertThatThrownBy(() -> CodecSettings.ecsq().step(0.5).predict(true).build().toBuilder()
                        .qbit(4)
                        .build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
