package dev.slicer.codec.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.slicer.codec.DecodeLimits;
import dev.slicer.codec.FrameDecoder;
import dev.slicer.codec.MalformedFrameException;

/**
 * Fuzzes {@link FrameDecoder} on raw frames: any input must decode or raise a {@link MalformedFrameException};
 * anything else (IndexOutOfBounds, NegativeArraySize, OutOfMemoryError, a hang, a non-finite lossy value) is a
 * finding. Each input is tried as is and with its trailing CRC32C recomputed, so the fuzzer also reaches the payload
 * parsers behind the checksum, under small limits and under the defaults (where the output is sized from the
 * checked header). Regression inputs live in {@code FrameDecoderFuzzTestInputs/decode/} and replay in every
 * {@code mvn test}; see the module README for fuzzing.
 */
public class FrameDecoderFuzzTest {
    private static final FrameDecoder SMALL = FrameDecoder.create(new DecodeLimits(1 << 16, 1 << 20));
    private static final FrameDecoder DEFAULTS = FrameDecoder.create(DecodeLimits.defaults());

    @FuzzTest(maxDuration = FuzzFrames.CI_BUDGET)
    void decode(byte[] data) {
        fuzzerTestOneInput(data);
    }

    public static void fuzzerTestOneInput(byte[] data) {
        tryDecode(data);
        if (data.length >= 8) {
            byte[] fixed = data.clone();
            FuzzFrames.withCrc(fixed);
            tryDecode(fixed);
        }
    }

    private static void tryDecode(byte[] data) {
        for (FrameDecoder d : new FrameDecoder[] {SMALL, DEFAULTS}) {
            FuzzFrames.decode(d, data, false);
            FuzzFrames.decode(d, data, true);
        }
    }
}
