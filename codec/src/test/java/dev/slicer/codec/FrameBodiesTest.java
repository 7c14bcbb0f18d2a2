package dev.slicer.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.codec.TestTensors.Kind;
import dev.slicer.codec.bits.ByteIo;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** Header-less frames: a body restored under the header it was cut from decodes as the frame; under another, not. */
class FrameBodiesTest {
    static final TensorShape TOKEN = TensorShape.of(1, 1, 256);
    static final CodecSettings TABQ = CodecSettings.tsTabq()
            .outlierFraction(0.01)
            .qbit(8)
            .delta(0.005)
            .entropy(true)
            .build();
    static final DecodeLimits LIMITS = DecodeLimits.defaults();

    @Test
    void aBodyRestoredUnderItsHeaderIsTheFrame() {
        float[] x = TestTensors.make(Kind.OUTLIER_CHANNELS, 1, 256, 3);
        for (CodecSettings s : new CodecSettings[] {
            TABQ, CodecSettings.ecsq().build(), CodecSettings.lossless().withEntropy(true)
        }) {
            byte[] frame = FrameEncoder.create().encode(x, TOKEN, s);
            byte[] body = FrameBodies.body(frame, 0, frame.length, LIMITS);
            FrameHeader h = FrameDecoder.create().readHeader(frame, 0, frame.length);
            assertThat(body).hasSize(frame.length - h.headerBytes());
            byte[] restored = FrameBodies.frame(DType.FP32, TOKEN, h.settings(), body, 0, body.length, LIMITS);
            assertThat(restored).as("%s", s.mode()).isEqualTo(frame);
        }
    }

    @Test
    void aBodyRestoredUnderAnotherHeaderFailsItsChecksum() {
        float[] x = TestTensors.make(Kind.OUTLIER_CHANNELS, 1, 256, 4);
        byte[] frame = FrameEncoder.create().encode(x, TOKEN, TABQ);
        byte[] body = FrameBodies.body(frame, 0, frame.length, LIMITS);
        CodecSettings otherDelta = TABQ.toBuilder().delta(0.02).build();
        for (byte[] wrong : new byte[][] {
            FrameBodies.frame(DType.FP32, TOKEN, otherDelta, body, 0, body.length, LIMITS),
            FrameBodies.frame(DType.FP16, TOKEN, TABQ, body, 0, body.length, LIMITS),
            FrameBodies.frame(DType.FP32, TensorShape.of(1, 2, 128), TABQ, body, 0, body.length, LIMITS)
        }) {
            assertThatThrownBy(() -> FrameDecoder.create().decode(wrong)).isInstanceOf(ChecksumMismatchException.class);
        }
    }

    @Test
    void hostileBodiesAreRefusedBeforeAllocation() {
        assertThatThrownBy(() -> FrameBodies.frame(DType.FP32, TOKEN, TABQ, new byte[3], 0, 3, LIMITS))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("too short");
        DecodeLimits small = new DecodeLimits(1 << 20, 64);
        assertThatThrownBy(() -> FrameBodies.frame(DType.FP32, TOKEN, TABQ, new byte[64], 0, 64, small))
                .isInstanceOf(FrameLimitExceededException.class);
        DecodeLimits few = new DecodeLimits(100, 1 << 20);
        assertThatThrownBy(() -> FrameBodies.frame(DType.FP32, TOKEN, TABQ, new byte[64], 0, 64, few))
                .isInstanceOf(FrameLimitExceededException.class);
        // a body of the right length but random bytes: the checksum, not a crash
        byte[] junk = new byte[120];
        new Random(5).nextBytes(junk);
        byte[] restored = FrameBodies.frame(DType.FP32, TOKEN, TABQ, junk, 0, junk.length, LIMITS);
        assertThatThrownBy(() -> FrameDecoder.create().decode(restored)).isInstanceOf(MalformedFrameException.class);
        // a body cut from something that is no frame
        assertThatThrownBy(() -> FrameBodies.body(junk, 0, junk.length, LIMITS))
                .isInstanceOf(MalformedFrameException.class);
    }

    @Test
    void mangledBodiesWithARepairedChecksumAreRefusedByTheTypedErrorsOnly() {
        float[] x = TestTensors.make(Kind.OUTLIER_CHANNELS, 1, 256, 6);
        byte[] frame = FrameEncoder.create().encode(x, TOKEN, TABQ);
        byte[] body = FrameBodies.body(frame, 0, frame.length, LIMITS);
        Random r = new Random(8);
        FrameDecoder decoder = FrameDecoder.create();
        int refused = 0;
        for (int i = 0; i < 3000; i++) {
            // cut or grow the payload, flip bytes, then fix the CRC so that the payload parser meets the damage
            int len = Math.max(4, body.length + r.nextInt(41) - 20);
            byte[] b = Arrays.copyOf(body, len);
            for (int k = 1 + r.nextInt(4); k > 0; k--) {
                b[r.nextInt(len - 4)] ^= (byte) (1 + r.nextInt(255));
            }
            byte[] f = FrameBodies.frame(DType.FP32, TOKEN, TABQ, b, 0, b.length, LIMITS);
            CRC32C crc = new CRC32C();
            crc.update(f, 0, f.length - 4);
            ByteIo.putInt(f, f.length - 4, (int) crc.getValue());
            try {
                float[] y = new float[256];
                decoder.decode(f, 0, f.length, y, 0);
                for (float v : y) {
                    assertThat(Float.isFinite(v)).isTrue();
                }
            } catch (MalformedFrameException e) {
                refused++;
            }
        }
        assertThat(refused).as("most mangled payloads are refused").isGreaterThan(1000);
    }
}
