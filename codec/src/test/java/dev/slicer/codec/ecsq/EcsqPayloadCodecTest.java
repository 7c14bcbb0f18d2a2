package dev.slicer.codec.ecsq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.DecodeLimits;
import dev.slicer.codec.FrameDecoder;
import dev.slicer.codec.FrameEncoder;
import dev.slicer.codec.MalformedFrameException;
import dev.slicer.codec.SizeBound;
import dev.slicer.codec.TensorShape;
import dev.slicer.codec.TestTensors;
import dev.slicer.codec.TestTensors.Kind;
import dev.slicer.codec.bits.ByteIo;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class EcsqPayloadCodecTest {
    private final FrameEncoder enc = FrameEncoder.create();
    private final FrameDecoder dec = FrameDecoder.create(DecodeLimits.defaults());

    private byte[] encode(float[] x, TensorShape shape, CodecSettings s) {
        byte[] buf = new byte[(int) SizeBound.maxFrameBytes(shape, s)];
        int n = enc.encode(x, 0, shape, s, buf, 0);
        return Arrays.copyOf(buf, n);
    }

    private static void fixCrc(byte[] f) {
        CRC32C crc = new CRC32C();
        crc.update(f, 0, f.length - 4);
        ByteIo.putInt(f, f.length - 4, (int) crc.getValue());
    }

    @Test
    void predictionLowersTheRateOnChannelsWithOffsets() {
        TensorShape shape = TensorShape.of(32, 128);
        float[] x = TestTensors.make(Kind.OUTLIER_CHANNELS, 32, 128, 7);
        int plain =
                encode(x, shape, CodecSettings.ecsq().step(0.49).predict(false).build()).length;
        int predicted =
                encode(x, shape, CodecSettings.ecsq().step(0.49).predict(true).build()).length;
        assertThat(predicted).isLessThan(plain);
    }

    @Test
    void zeroElementsAndAllZerosRoundTrip() {
        for (TensorShape shape : new TensorShape[] {TensorShape.of(0, Integer.MAX_VALUE), TensorShape.of(5, 7)}) {
            float[] x = new float[shape.elementCount()];
            byte[] f = encode(
                    x, shape, CodecSettings.ecsq().step(0.5).predict(true).build());
            float[] y = new float[x.length];
            Arrays.fill(y, 1f);
            dec.decode(f, 0, f.length, y, 0);
            for (float v : y) {
                assertThat(v).isZero();
            }
        }
    }

    @Test
    void valuesNearTheFloatRangeFallBackToNoPrediction() {
        TensorShape shape = TensorShape.of(40, 3);
        float[] x = new float[120];
        Arrays.fill(x, 3e38f);
        byte[] f =
                encode(x, shape, CodecSettings.ecsq().step(0.01).predict(true).build());
        float[] y = new float[120];
        dec.decode(f, 0, f.length, y, 0);
        for (float v : y) {
            assertThat(Float.isFinite(v)).isTrue();
            assertThat(Math.abs(v - 3e38f)).isLessThanOrEqualTo(0.01f * 3e38f);
        }
    }

    @Test
    void valuesNextToTheFloatMaximumStayFinite() {
        // the step is capped at 2^120; 3.4e38 / 2^120 rounds up to 256 codes, and 256 x 2^120 overflows
        float[] x = {Float.MAX_VALUE, -Float.MAX_VALUE, 3.4e38f, 1f};
        TensorShape shape = TensorShape.of(4);
        for (boolean predict : new boolean[] {true, false}) {
            byte[] f = encode(
                    x,
                    shape,
                    CodecSettings.ecsq()
                            .step(CodecSettings.MAX_STEP)
                            .predict(predict)
                            .build());
            float[] y = new float[4];
            dec.decode(f, 0, f.length, y, 0);
            for (float v : y) {
                assertThat(Float.isFinite(v)).isTrue();
            }
        }
    }

    @Test
    void hostilePayloadsAreTypedErrors() {
        TensorShape shape = TensorShape.of(6, 16);
        float[] x = TestTensors.make(Kind.GAUSSIAN, 6, 16, 1);
        byte[] good =
                encode(x, shape, CodecSettings.ecsq().step(0.002).predict(true).build());
        int p = dec.readHeader(good, 0, good.length).headerBytes();
        float[] y = new float[96];
        // step: zero, negative, NaN, infinite, above 2^120
        for (float bad : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY, 0x1p121f}) {
            byte[] f = good.clone();
            ByteIo.putInt(f, p, Float.floatToRawIntBits(bad));
            fixCrc(f);
            assertThatThrownBy(() -> dec.decode(f, 0, f.length, y, 0)).isInstanceOf(MalformedFrameException.class);
        }
        // unknown predictor
        byte[] f = good.clone();
        f[p + 4] = 2;
        fixCrc(f);
        assertThatThrownBy(() -> dec.decode(f, 0, f.length, y, 0)).isInstanceOf(MalformedFrameException.class);
        // a step so large that q * D overflows: the decoder refuses non-finite values
        byte[] g = good.clone();
        ByteIo.putInt(g, p, Float.floatToRawIntBits(0x1p120f));
        fixCrc(g);
        assertThatThrownBy(() -> dec.decode(g, 0, g.length, y, 0))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("not finite");
        // every truncation of the payload
        for (int cut = 1; cut < good.length - 4 - p; cut++) {
            byte[] t = truncatePayload(good, p, cut);
            assertThatThrownBy(() -> dec.decode(t, 0, t.length, y, 0)).isInstanceOf(MalformedFrameException.class);
        }
    }

    private static byte[] truncatePayload(byte[] frame, int payloadAt, int cut) {
        int len = frame.length - 4 - payloadAt;
        byte[] f = new byte[frame.length - cut];
        System.arraycopy(frame, 0, f, 0, payloadAt + len - cut);
        ByteIo.putInt(f, payloadAt - 4, len - cut);
        fixCrc(f);
        return f;
    }
}
