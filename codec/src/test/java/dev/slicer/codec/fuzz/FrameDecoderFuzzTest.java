package dev.slicer.codec.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.slicer.codec.DecodeLimits;
import dev.slicer.codec.FrameDecoder;
import dev.slicer.codec.MalformedFrameException;
import dev.slicer.codec.bits.ByteIo;
import java.util.zip.CRC32C;

/**
 * Fuzzes {@link FrameDecoder}: any input must decode or raise a {@link MalformedFrameException}; anything else
 * (IndexOutOfBounds, NegativeArraySize, OutOfMemoryError, a hang) is a finding. Each input is tried as is and with
 * its trailing CRC32C recomputed, so the fuzzer also reaches the payload parsers behind the checksum. Regression
 * inputs live in {@code FrameDecoderFuzzTestInputs/decode/} and replay in every {@code mvn test}; see the module
 * README for fuzzing.
 */
class FrameDecoderFuzzTest {
    private static final DecodeLimits LIMITS = new DecodeLimits(1 << 16, 1 << 20);
    private final FrameDecoder decoder = FrameDecoder.create(LIMITS);
    private final float[] out = new float[1 << 16];
    private final short[] half = new short[1 << 16];

    @FuzzTest(maxDuration = "10m")
    void decode(byte[] data) {
        tryDecode(data);
        if (data.length >= 8) {
            byte[] fixed = data.clone();
            CRC32C crc = new CRC32C();
            crc.update(fixed, 0, fixed.length - 4);
            ByteIo.putInt(fixed, fixed.length - 4, (int) crc.getValue());
            tryDecode(fixed);
        }
    }

    private void tryDecode(byte[] data) {
        try {
            decoder.decode(data, 0, data.length, out, 0);
        } catch (MalformedFrameException expected) {
            // the only acceptable failure
        }
        try {
            decoder.decodeToHalf(data, 0, data.length, half, 0);
        } catch (MalformedFrameException expected) {
            // the only acceptable failure
        }
    }
}
