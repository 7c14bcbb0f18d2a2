package dev.slicer.codec.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.slicer.codec.CodecException;
import dev.slicer.codec.CodecMode;
import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.DecodeLimits;
import dev.slicer.codec.FrameDecoder;
import dev.slicer.codec.FrameEncoder;
import dev.slicer.codec.NonFiniteInputException;
import dev.slicer.codec.SizeBound;
import dev.slicer.codec.TensorShape;

/**
 * Fuzzes {@link FrameEncoder} with hostile shapes (zero-element shapes with huge dimensions included, at most 4096
 * elements otherwise), knobs and values (NaN, infinities, extremes): it must either raise a {@link CodecException}
 * ({@link NonFiniteInputException} for non-finite lossy input, or a row range no bit width can hold) or write a
 * frame within {@link SizeBound} that decodes, bit-exactly for LOSSLESS and to finite values otherwise.
 */
public class EncoderFuzzTest {
    private static final FrameEncoder ENCODER = FrameEncoder.create();
    private static final FrameDecoder DECODER = FrameDecoder.create(DecodeLimits.defaults());

    @FuzzTest(maxDuration = FuzzFrames.CI_BUDGET)
    void encode(FuzzedDataProvider data) {
        fuzzerTestOneInput(data);
    }

    public static void fuzzerTestOneInput(FuzzedDataProvider d) {
        CodecMode mode = CodecMode.values()[d.consumeInt(0, CodecMode.values().length - 1)];
        CodecSettings s = FuzzFrames.settings(mode, d);
        TensorShape shape = FuzzFrames.shape(d);
        if (shape == null || shape.elementCount() > 4096) {
            return;
        }
        float[] x = new float[shape.elementCount()];
        for (int i = 0; i < x.length; i++) {
            x[i] = d.consumeFloat();
        }
        long bound = SizeBound.maxFrameBytes(shape, s);
        byte[] frame = new byte[(int) bound];
        int n;
        try {
            n = ENCODER.encode(x, 0, shape, s, frame, 0);
        } catch (CodecException refused) {
            return;
        }
        float[] y = new float[x.length];
        DECODER.decode(frame, 0, n, y, 0);
        for (int i = 0; i < x.length; i++) {
            boolean ok = mode == CodecMode.LOSSLESS
                    ? Float.floatToRawIntBits(x[i]) == Float.floatToRawIntBits(y[i])
                    : Float.isFinite(y[i]);
            if (!ok) {
                throw new AssertionError(s.label() + " " + shape + ": element " + i + " " + x[i] + " -> " + y[i]);
            }
        }
    }
}
