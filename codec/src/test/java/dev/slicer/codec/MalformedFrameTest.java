package dev.slicer.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.codec.bits.ByteIo;
import dev.slicer.codec.frame.FrameFormat;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Hostile and corrupted frames: every one raises a MalformedFrameException, never anything else. */
class MalformedFrameTest {
    private final FrameDecoder dec = FrameDecoder.create(new DecodeLimits(1 << 16, 1 << 24));
    private final float[] out = new float[1 << 16];

    static Stream<FrameSamples.Sample> samples() {
        return FrameSamples.all().stream();
    }

    private static void fixCrc(byte[] f) {
        CRC32C crc = new CRC32C();
        crc.update(f, 0, f.length - 4);
        ByteIo.putInt(f, f.length - 4, (int) crc.getValue());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void validSamplesDecode(FrameSamples.Sample s) {
        FrameHeader h = dec.decode(s.frame(), 0, s.frame().length, out, 0);
        assertThat(h.frameBytes()).isEqualTo(s.frame().length);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyTruncationIsRejected(FrameSamples.Sample s) {
        byte[] f = s.frame();
        for (int len = 0; len < f.length; len++) {
            int l = len;
            assertThatThrownBy(() -> dec.decode(f, 0, l, out, 0))
                    .as("%s truncated to %d", s.name(), len)
                    .isInstanceOf(MalformedFrameException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everySingleBitFlipIsRejected(FrameSamples.Sample s) {
        byte[] f = s.frame().clone();
        for (int bit = 0; bit < f.length * 8; bit++) {
            f[bit >>> 3] ^= (byte) (1 << (bit & 7));
            int b = bit;
            assertThatThrownBy(() -> dec.decode(f, 0, f.length, out, 0))
                    .as("%s bit %d", s.name(), b)
                    .isInstanceOf(MalformedFrameException.class);
            f[bit >>> 3] ^= (byte) (1 << (bit & 7));
        }
    }

    /** A forger who recomputes the CRC: the payload parsers must still only throw MalformedFrameException. */
    @ParameterizedTest
    @MethodSource("samples")
    void bitFlipsWithValidCrcNeverEscapeAsOtherExceptions(FrameSamples.Sample s) {
        byte[] f = s.frame().clone();
        for (int bit = 0; bit < (f.length - 4) * 8; bit++) {
            f[bit >>> 3] ^= (byte) (1 << (bit & 7));
            fixCrc(f);
            try {
                FrameHeader h = dec.decode(f, 0, f.length, out, 0);
                assertThat(h.frameBytes()).isLessThanOrEqualTo(f.length);
            } catch (MalformedFrameException expected) {
                // fine
            } catch (RuntimeException e) {
                throw new AssertionError(s.name() + " bit " + bit + ": " + e, e);
            }
            f[bit >>> 3] ^= (byte) (1 << (bit & 7));
        }
    }

    @Test
    void hostileShapeIsRejectedBeforeAllocation() {
        byte[] f = FrameSamples.all().get(0).frame().clone();
        // rank 2, dims 65536 x 32768 = 2^31 elements
        ByteIo.putInt(f, 9, 65536);
        ByteIo.putInt(f, 13, 32768);
        fixCrc(f);
        assertThatThrownBy(() -> dec.readHeader(f, 0, f.length)).isInstanceOf(FrameLimitExceededException.class);
        assertThatThrownBy(() -> dec.decode(f, 0, f.length, out, 0)).isInstanceOf(FrameLimitExceededException.class);
        FrameDecoder tight = FrameDecoder.create(new DecodeLimits(10, 1 << 20));
        byte[] g = FrameSamples.all().get(0).frame();
        assertThatThrownBy(() -> tight.decode(g, 0, g.length, out, 0)).isInstanceOf(FrameLimitExceededException.class);
    }

    @Test
    void hugeDeclaredPayloadIsRejected() {
        byte[] f = FrameSamples.all().get(0).frame().clone();
        int header = dec.readHeader(f, 0, f.length).headerBytes();
        ByteIo.putInt(f, header - 4, 0x7FFFFFF0);
        fixCrc(f);
        assertThatThrownBy(() -> dec.decode(f, 0, f.length, out, 0)).isInstanceOf(FrameLimitExceededException.class);
        FrameDecoder roomy = FrameDecoder.create(new DecodeLimits(1 << 20, Long.MAX_VALUE));
        assertThatThrownBy(() -> roomy.decode(f, 0, f.length, out, 0))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void garbageAndEmptyInputsAreRejected() {
        assertThatThrownBy(() -> dec.decode(new byte[0], 0, 0, out, 0)).isInstanceOf(MalformedFrameException.class);
        byte[] junk = new byte[100];
        Arrays.fill(junk, (byte) 0x5A);
        assertThatThrownBy(() -> dec.decode(junk, 0, junk.length, out, 0))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("magic");
        byte[] f = FrameSamples.all().get(0).frame().clone();
        f[4] = 9;
        assertThatThrownBy(() -> dec.readHeader(f, 0, f.length)).hasMessageContaining("version");
        assertThat(FrameFormat.MIN_FRAME_BYTES).isPositive();
    }

    @Test
    void corruptedPayloadWithoutCrcFixIsAChecksumMismatch() {
        byte[] f = FrameSamples.all().get(0).frame().clone();
        f[f.length - 6] ^= 0x10;
        assertThatThrownBy(() -> dec.decode(f, 0, f.length, out, 0)).isInstanceOf(ChecksumMismatchException.class);
    }
}
