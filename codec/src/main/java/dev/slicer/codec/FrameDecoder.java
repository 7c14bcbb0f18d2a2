package dev.slicer.codec;

import dev.slicer.codec.bits.ByteIo;
import dev.slicer.codec.ecsq.EcsqPayloadCodec;
import dev.slicer.codec.frame.FrameFormat;
import dev.slicer.codec.frame.LosslessPayloadCodec;
import dev.slicer.codec.frame.PayloadCodec;
import dev.slicer.codec.frame.PayloadCodecs;
import dev.slicer.codec.frame.TopKPayloadCodec;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Decodes frames into caller-provided arrays. Every declared size is checked against the {@link DecodeLimits}
 * before anything is allocated; the CRC32C is verified before the payload is parsed; every inconsistency raises a
 * {@link MalformedFrameException} (or its subclasses {@link ChecksumMismatchException} and
 * {@link FrameLimitExceededException}). Reusable, not thread-safe: keep one per thread.
 */
public final class FrameDecoder {
    private final DecodeLimits limits;
    private final LosslessPayloadCodec lossless = new LosslessPayloadCodec();
    private final TopKPayloadCodec topk = new TopKPayloadCodec();
    private PayloadCodec tabq;
    /** Widened-output scratch (floats) kept after a rejected frame; more is dropped. */
    private static final int SCRATCH_KEEP = 1 << 16;

    private final EcsqPayloadCodec ecsq = new EcsqPayloadCodec();
    private final CRC32C crc = new CRC32C();
    private float[] widened = new float[0];

    private FrameDecoder(DecodeLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public static FrameDecoder create(DecodeLimits limits) {
        return new FrameDecoder(limits);
    }

    /** A decoder with {@link DecodeLimits#defaults()}. */
    public static FrameDecoder create() {
        return new FrameDecoder(DecodeLimits.defaults());
    }

    /** Convenience: decodes a whole frame into a new array of its element count (checked against the limits first). */
    public float[] decode(byte[] frame) {
        FrameHeader h = readHeader(frame, 0, frame.length);
        float[] out = new float[h.elementCount()];
        decode(frame, 0, frame.length, out, 0);
        return out;
    }

    public DecodeLimits limits() {
        return limits;
    }

    TopKPayloadCodec topk() {
        return topk;
    }

    private PayloadCodec tabq() {
        if (tabq == null) {
            tabq = PayloadCodecs.create(CodecMode.TS_TABQ);
        }
        return tabq;
    }

    /** Parses and validates the header of the frame at {@code src[off, off+len)} (the CRC is checked by decode). */
    public FrameHeader readHeader(byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        FrameFormat.Parsed p = FrameFormat.parse(src, off, len, limits);
        return new FrameHeader(
                p.version(),
                p.dtype(),
                p.shape(),
                p.settings(),
                p.headerBytes() + p.payloadBytes() + FrameFormat.CRC_BYTES,
                p.headerBytes(),
                p.payloadBytes());
    }

    private FrameHeader checked(byte[] src, int off, int len, int dstLen, int dstOff) {
        FrameHeader h = readHeader(src, off, len);
        int t = h.elementCount();
        if (dstOff < 0 || dstOff > dstLen || dstLen - dstOff < t) {
            throw new BufferTooSmallException(t, Math.max(0, dstLen - dstOff));
        }
        int body = h.frameBytes() - FrameFormat.CRC_BYTES;
        crc.reset();
        crc.update(src, off, body);
        int actual = (int) crc.getValue();
        int expected = ByteIo.getInt(src, off + body);
        if (actual != expected) {
            throw new ChecksumMismatchException(body, expected, actual);
        }
        return h;
    }

    /** Decodes into {@code header.elementCount()} floats at {@code dst[dstOff..]}; returns the header. */
    public FrameHeader decode(byte[] src, int off, int len, float[] dst, int dstOff) {
        FrameHeader h = checked(src, off, len, dst.length, dstOff);
        payload(h, src, off + h.headerBytes(), dst, dstOff);
        return h;
    }

    /** Decodes the payload of a checked frame; after a rejection, scratch beyond a small size is dropped. */
    private void payload(FrameHeader h, byte[] src, int p, float[] dst, int dstOff) {
        int pl = h.payloadBytes();
        PayloadCodec codec =
                switch (h.mode()) {
                    case LOSSLESS -> lossless;
                    case TOPK -> topk;
                    case TS_TABQ -> tabq();
                    case ECSQ -> ecsq;
                };
        try {
            if (h.mode() == CodecMode.LOSSLESS) {
                lossless.decode(src, p, pl, h.elementCount(), h.dtype(), dst, dstOff);
            } else {
                codec.decode(src, p, pl, h.shape(), h.settings(), dst, dstOff);
            }
        } catch (MalformedFrameException e) {
            codec.releaseScratch();
            if (widened.length > SCRATCH_KEEP) {
                widened = new float[0];
            }
            throw e;
        }
    }

    /** Decodes into IEEE fp16 bit patterns. */
    public FrameHeader decodeToHalf(byte[] src, int off, int len, short[] dst, int dstOff) {
        return decodeToHalf(src, off, len, DType.FP16, dst, dstOff);
    }

    /**
     * Decodes into 16-bit patterns of {@code out} (FP16 or BF16); a LOSSLESS frame of the same dtype is copied
     * bit-exactly.
     */
    public FrameHeader decodeToHalf(byte[] src, int off, int len, DType out, short[] dst, int dstOff) {
        if (out == DType.FP32) {
            throw new IllegalArgumentException("decodeToHalf produces FP16 or BF16");
        }
        FrameHeader h = checked(src, off, len, dst.length, dstOff);
        int t = h.elementCount();
        int p = off + h.headerBytes();
        if (h.mode() == CodecMode.LOSSLESS) {
            try {
                lossless.decodeHalf(src, p, h.payloadBytes(), t, h.dtype(), out, dst, dstOff);
            } catch (MalformedFrameException e) {
                lossless.releaseScratch();
                throw e;
            }
            return h;
        }
        if (widened.length < t) {
            widened = new float[t];
        }
        float[] w = widened;
        payload(h, src, p, w, 0);
        for (int i = 0; i < t; i++) {
            dst[dstOff + i] = HalfFloats.fromFloat(out, w[i]);
        }
        return h;
    }
}
