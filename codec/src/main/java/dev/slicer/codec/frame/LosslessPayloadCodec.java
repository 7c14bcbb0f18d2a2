package dev.slicer.codec.frame;

import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.DType;
import dev.slicer.codec.HalfFloats;
import dev.slicer.codec.MalformedFrameException;
import dev.slicer.codec.TensorShape;
import dev.slicer.codec.bits.ByteIo;
import dev.slicer.codec.rans.RansCoder;

/**
 * LOSSLESS payload: the raw value bits, bit-exact (NaN payloads, -0.0, infinities). Layout: {@code u8 layout}; layout
 * {@code RAW} (0) is followed by {@code T * width} little-endian bytes; layout {@code PLANES} (1, entropy stage on and
 * smaller) by one {@link SymbolStream} byte block per plane (byte {@code j} of every value): {@code u8 coding (0
 * raw, 1 rANS), varint length, bytes}. Exponent planes of real activations compress well; mantissa planes go raw.
 */
public final class LosslessPayloadCodec implements PayloadCodec {
    static final int RAW = 0;
    static final int PLANES = 1;
    /** Scratch bytes kept after a rejected payload. */
    private static final int SCRATCH_KEEP = 1 << 18;

    private final SymbolStream stream = new SymbolStream(new RansCoder());
    private byte[] img = new byte[0];
    private byte[] plane = new byte[0];

    private static byte[] grow(byte[] a, int n) {
        return a.length >= n ? a : new byte[Math.max(n, a.length + (a.length >> 1))];
    }

    @Override
    public void releaseScratch() {
        if (img.length > SCRATCH_KEEP || plane.length > SCRATCH_KEEP) {
            img = new byte[0];
            plane = new byte[0];
        }
        stream.trimScratch(SCRATCH_KEEP);
    }

    /** Payload bound for {@code elements} values of {@code width} bytes. */
    public static long maxPayloadBytes(long elements, int width) {
        return 1 + elements * width;
    }

    @Override
    public long maxPayloadBytes(TensorShape shape, CodecSettings settings) {
        return maxPayloadBytes(shape.elementCount(), 4);
    }

    @Override
    public int encode(float[] src, int srcOff, TensorShape shape, CodecSettings s, byte[] dst, int dstOff) {
        int t = shape.elementCount();
        if (!s.entropy()) {
            dst[dstOff] = RAW;
            writeFloats(src, srcOff, t, dst, dstOff + 1);
            return 1 + 4 * t;
        }
        img = grow(img, 4 * t);
        writeFloats(src, srcOff, t, img, 0);
        return finish(t, 4, dst, dstOff);
    }

    /** Encodes 16-bit patterns (fp16 or bf16) bit-exactly. */
    public int encodeHalf(short[] src, int srcOff, int t, boolean entropy, byte[] dst, int dstOff) {
        if (!entropy) {
            dst[dstOff] = RAW;
            writeShorts(src, srcOff, t, dst, dstOff + 1);
            return 1 + 2 * t;
        }
        img = grow(img, 2 * t);
        writeShorts(src, srcOff, t, img, 0);
        return finish(t, 2, dst, dstOff);
    }

    private static void writeFloats(float[] src, int off, int t, byte[] dst, int p) {
        for (int i = 0; i < t; i++) {
            ByteIo.putInt(dst, p + 4 * i, Float.floatToRawIntBits(src[off + i]));
        }
    }

    private static void writeShorts(short[] src, int off, int t, byte[] dst, int p) {
        for (int i = 0; i < t; i++) {
            ByteIo.putShort(dst, p + 2 * i, src[off + i]);
        }
    }

    /** Chooses RAW or PLANES (one {@link SymbolStream} byte block per plane) for the image in {@code img}. */
    private int finish(int t, int w, byte[] dst, int dstOff) {
        plane = grow(plane, t);
        int p = dstOff + 1;
        long raw = (long) t * w;
        long total = 1;
        for (int j = 0; j < w; j++) {
            byte[] im = img;
            byte[] pl = plane;
            for (int i = 0; i < t; i++) {
                pl[i] = im[i * w + j];
            }
            total += stream.prepareByteBlock(pl, 0, t, true);
            if (total >= 1 + raw) {
                dst[dstOff] = RAW;
                System.arraycopy(img, 0, dst, dstOff + 1, (int) raw);
                return 1 + (int) raw;
            }
            p += stream.putByteBlock(dst, p);
        }
        dst[dstOff] = PLANES;
        return p - dstOff;
    }

    @Override
    public void decode(byte[] src, int off, int len, TensorShape shape, CodecSettings s, float[] dst, int dstOff) {
        decode(src, off, len, shape.elementCount(), DType.FP32, dst, dstOff);
    }

    /** Decodes a payload of {@code dtype} values into floats (halves widen exactly). */
    public void decode(byte[] src, int off, int len, int t, DType dtype, float[] dst, int dstOff) {
        int w = dtype.bytes();
        int p = image(src, off, len, t, w);
        byte[] b = p >= 0 ? src : img;
        int base = p >= 0 ? p : 0;
        if (w == 4) {
            for (int i = 0; i < t; i++) {
                dst[dstOff + i] = Float.intBitsToFloat(ByteIo.getInt(b, base + 4 * i));
            }
        } else {
            for (int i = 0; i < t; i++) {
                dst[dstOff + i] = HalfFloats.toFloat(dtype, ByteIo.getShort(b, base + 2 * i));
            }
        }
    }

    /** Decodes into 16-bit patterns of {@code out}: a raw copy when the frame holds {@code out} already. */
    public void decodeHalf(byte[] src, int off, int len, int t, DType dtype, DType out, short[] dst, int dstOff) {
        int w = dtype.bytes();
        int p = image(src, off, len, t, w);
        byte[] b = p >= 0 ? src : img;
        int base = p >= 0 ? p : 0;
        for (int i = 0; i < t; i++) {
            if (dtype == out) {
                dst[dstOff + i] = ByteIo.getShort(b, base + 2 * i);
            } else {
                float f = w == 4
                        ? Float.intBitsToFloat(ByteIo.getInt(b, base + 4 * i))
                        : HalfFloats.toFloat(dtype, ByteIo.getShort(b, base + 2 * i));
                dst[dstOff + i] = HalfFloats.fromFloat(out, f);
            }
        }
    }

    /** Returns the offset of a RAW image inside {@code src}, or -1 after rebuilding a PLANES image into img. */
    private int image(byte[] src, int off, int len, int t, int w) {
        ByteIo.Reader in = new ByteIo.Reader(src, off, len, 0);
        int layout = in.u8("lossless layout");
        long raw = (long) t * w;
        if (layout == RAW) {
            MalformedFrameException.verify(in.remaining() == raw, in.offset(), "raw payload length mismatch");
            return in.position();
        }
        if (!(layout == PLANES)) {
            throw new MalformedFrameException(off, "unknown lossless layout " + layout);
        }
        MalformedFrameException.verify(t > 0, in.offset(), "byte planes of an empty tensor");
        // every plane's block is checked against its bytes before the image is sized
        SymbolStream.Span[] spans = new SymbolStream.Span[w];
        for (int j = 0; j < w; j++) {
            spans[j] = stream.readBlock(in, t, 8);
        }
        MalformedFrameException.verify(in.remaining() == 0, in.offset(), "trailing bytes in lossless payload");
        img = grow(img, (int) raw);
        plane = grow(plane, t);
        for (int j = 0; j < w; j++) {
            stream.decodeBytes(src, spans[j], t, plane, 0);
            byte[] im = img;
            byte[] pl = plane;
            for (int i = 0; i < t; i++) {
                im[i * w + j] = pl[i];
            }
        }
        return -1;
    }
}
