package dev.slicer.codec.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.slicer.codec.CodecException;
import dev.slicer.codec.CodecMode;
import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.DType;
import dev.slicer.codec.DecodeLimits;
import dev.slicer.codec.FrameDecoder;
import dev.slicer.codec.FrameEncoder;
import dev.slicer.codec.FrameHeader;
import dev.slicer.codec.MalformedFrameException;
import dev.slicer.codec.SizeBound;
import dev.slicer.codec.TensorShape;
import dev.slicer.codec.bits.ByteIo;
import dev.slicer.codec.frame.FrameFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * What the fuzz targets share: limits, shapes and knobs drawn from the fuzzer's bytes over their whole range
 * (zero-element shapes with huge dimensions included), frames built around a fuzzed payload with a valid header
 * and CRC, and the decoder's contract (a {@link MalformedFrameException} or a tensor of finite values for the lossy
 * modes; anything else is a finding).
 */
final class FuzzFrames {
    /** Fuzzing time of each target in {@code mvn verify} (five decoder targets and the encoder's: 120 s). */
    static final String CI_BUDGET = "20s";

    private static final FrameEncoder ENCODER = FrameEncoder.create();
    private static float[] out = new float[0];
    private static short[] half = new short[0];

    private FuzzFrames() {}

    /** Limits anywhere from one element up to the defaults (64 Mi elements, 512 MiB). */
    static DecodeLimits limits(FuzzedDataProvider d) {
        DecodeLimits max = DecodeLimits.defaults();
        return new DecodeLimits(
                d.consumeLong(1, max.maxElements()), d.consumeLong(FrameFormat.MIN_FRAME_BYTES, max.maxFrameBytes()));
    }

    /** A dimension: zero, one, small, large, the 0x7E000010, or anything. */
    static int dim(FuzzedDataProvider d) {
        return switch (d.consumeInt(0, 5)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> d.consumeInt(2, 64);
            case 3 -> d.consumeInt(65, 1 << 20);
            case 4 -> 0x7E000010;
            default -> d.consumeInt(0, Integer.MAX_VALUE);
        };
    }

    /** A shape of rank 1..4, or null when its element count does not fit one frame. */
    static TensorShape shape(FuzzedDataProvider d) {
        int[] dims = new int[d.consumeInt(1, 4)];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = dim(d);
        }
        try {
            return TensorShape.of(dims);
        } catch (IllegalArgumentException tooLarge) {
            return null;
        }
    }

    /** Valid knobs of {@code mode} over their whole ranges. */
    static CodecSettings settings(CodecMode mode, FuzzedDataProvider d) {
        boolean entropy = d.consumeBoolean();
        int qbit = d.consumeInt(1, CodecSettings.MAX_QBIT);
        double delta = d.consumeInt(0, 2000) / 10000.0;
        return switch (mode) {
            case LOSSLESS -> CodecSettings.lossless().withEntropy(entropy);
            case ECSQ ->
                d.consumeBoolean()
                        ? CodecSettings.ecsq()
                                .step(CodecSettings.MIN_STEP
                                        + d.consumeInt(0, 1 << 20)
                                                / (double) (1 << 20)
                                                * (CodecSettings.MAX_STEP - CodecSettings.MIN_STEP))
                                .predict(entropy)
                                .build()
                        : CodecSettings.ecsq()
                                .bitsPerElement(CodecSettings.MIN_BITS
                                        + d.consumeInt(0, 1 << 20)
                                                / (double) (1 << 20)
                                                * (CodecSettings.MAX_BITS - CodecSettings.MIN_BITS))
                                .predict(entropy)
                                .build();
            case TS_TABQ ->
                CodecSettings.tsTabq()
                        .outlierFraction(d.consumeInt(0, 5000) / 10000.0)
                        .qbit(qbit)
                        .delta(delta)
                        .entropy(entropy)
                        .build();
            case TOPK -> {
                List<Integer> fixed = new ArrayList<>();
                for (int i = d.consumeInt(0, 3); i > 0; i--) {
                    fixed.add(d.consumeInt(1, CodecSettings.MAX_QBIT));
                }
                yield new CodecSettings(
                        CodecMode.TOPK,
                        d.consumeInt(0, 9999) / 10000.0,
                        d.consumeInt(1, CodecSettings.MAX_BLOCKS),
                        d.consumeInt(1, CodecSettings.MAX_BLOCKS),
                        d.consumeInt(0, 9999) / 10000.0,
                        qbit,
                        delta,
                        fixed,
                        0,
                        entropy,
                        d.consumeLong(),
                        0,
                        0,
                        false);
            }
        };
    }

    /** A frame with a valid header and CRC around {@code payload}. */
    static byte[] frame(DType dtype, TensorShape shape, CodecSettings s, byte[] payload) {
        int header = FrameFormat.headerBytes(shape, s);
        byte[] f = new byte[header + payload.length + FrameFormat.CRC_BYTES];
        FrameFormat.writeHeader(f, 0, dtype, shape, s);
        FrameFormat.setPayloadLength(f, 0, header, payload.length);
        System.arraycopy(payload, 0, f, header, payload.length);
        withCrc(f);
        return f;
    }

    /** Recomputes the trailing CRC32C in place. */
    static void withCrc(byte[] f) {
        CRC32C crc = new CRC32C();
        crc.update(f, 0, f.length - FrameFormat.CRC_BYTES);
        ByteIo.putInt(f, f.length - FrameFormat.CRC_BYTES, (int) crc.getValue());
    }

    /**
     * One decode run of {@code mode} under fuzzed limits: either a frame around a fuzzed payload (any shape and
     * knobs), or a real frame of a small fuzzed tensor with a few payload bytes changed and the CRC recomputed,
     * which reaches the parsers' deeper checks.
     */
    static void decodeMode(CodecMode mode, FuzzedDataProvider d) {
        DecodeLimits limits = limits(d);
        byte[] frame = d.consumeBoolean() ? mutatedFrame(mode, d) : fuzzedPayloadFrame(mode, d);
        if (frame != null) {
            decode(FrameDecoder.create(limits), frame, d.consumeBoolean());
        }
    }

    private static byte[] fuzzedPayloadFrame(CodecMode mode, FuzzedDataProvider d) {
        TensorShape shape = shape(d);
        if (shape == null) {
            return null;
        }
        CodecSettings s = settings(mode, d);
        DType dtype = DType.values()[d.consumeInt(0, DType.values().length - 1)];
        return frame(dtype, shape, s, d.consumeRemainingAsBytes());
    }

    private static byte[] mutatedFrame(CodecMode mode, FuzzedDataProvider d) {
        TensorShape shape = TensorShape.of(d.consumeInt(1, 48), d.consumeInt(1, 48));
        CodecSettings s = settings(mode, d);
        float[] x = new float[shape.elementCount()];
        float wide = Math.scalb(1f, d.consumeInt(-30, 30));
        for (int i = 0; i < x.length; i++) {
            x[i] = d.consumeBoolean() ? d.consumeRegularFloat() : d.consumeInt(-64, 64) * wide;
        }
        byte[] buf = new byte[(int) SizeBound.maxFrameBytes(shape, s)];
        int n;
        try {
            n = ENCODER.encode(x, 0, shape, s, buf, 0);
        } catch (CodecException refused) {
            return null;
        }
        int header = FrameFormat.headerBytes(shape, s);
        int payload = n - header - FrameFormat.CRC_BYTES;
        for (int j = d.consumeInt(0, 4); j > 0 && payload > 0; j--) {
            buf[header + d.consumeInt(0, payload - 1)] ^= d.consumeByte();
        }
        byte[] f = Arrays.copyOf(buf, n);
        withCrc(f);
        return f;
    }

    /**
     * Decodes {@code frame} into an output sized from its checked header; a rejection must be a
     * {@link MalformedFrameException}, and a decoded lossy tensor must be finite.
     */
    static void decode(FrameDecoder decoder, byte[] frame, boolean toHalf) {
        FrameHeader h;
        try {
            h = decoder.readHeader(frame, 0, frame.length);
        } catch (MalformedFrameException rejected) {
            return;
        }
        int t = h.elementCount();
        try {
            if (toHalf) {
                if (half.length < t) {
                    half = new short[t];
                }
                decoder.decodeToHalf(frame, 0, frame.length, DType.BF16, half, 0);
                return;
            }
            if (out.length < t) {
                out = new float[t];
            }
            decoder.decode(frame, 0, frame.length, out, 0);
        } catch (MalformedFrameException rejected) {
            return;
        }
        if (h.mode() != CodecMode.LOSSLESS) {
            for (int i = 0; i < t; i++) {
                if (!Float.isFinite(out[i])) {
                    throw new AssertionError(h.mode() + " frame decoded to " + out[i] + " at element " + i);
                }
            }
        }
    }
}
