package dev.slicer.codec.frame;

import dev.slicer.codec.CodecMode;
import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.DType;
import dev.slicer.codec.DecodeLimits;
import dev.slicer.codec.FrameLimitExceededException;
import dev.slicer.codec.MalformedFrameException;
import dev.slicer.codec.TensorShape;
import dev.slicer.codec.bits.ByteIo;
import java.util.ArrayList;
import java.util.List;

/**
 * The common frame envelope (byte layout in {@code codec/FORMAT.md}): magic, version, flags, dtype, mode, rank and
 * dims, mode knobs, payload length, payload, CRC32C. Static helpers; the payload belongs to a {@link PayloadCodec}.
 */
public final class FrameFormat {
    /** Enum constants by ordinal, without the array copy {@code values()} makes on every call. */
    private static final DType[] DTYPES = DType.values();

    private static final CodecMode[] MODES = CodecMode.values();

    /** "SLCF" read as a little-endian int. */
    public static final int MAGIC = 0x46434C53;

    /** The version encoders write: 2 added the Huffman symbol-stream coding ({@code SymbolStream.HUFF8}). */
    public static final int VERSION = 2;
    /** The oldest version decoders read: version 1 frames are version 2 frames without Huffman streams. */
    public static final int MIN_VERSION = 1;

    public static final int FLAG_ENTROPY = 1;
    public static final int CRC_BYTES = 4;
    /** Smallest possible frame: fixed fields, one dim, payload length, CRC. */
    public static final int MIN_FRAME_BYTES = 9 + 4 + 4 + CRC_BYTES;

    private static final int KNOB_ZERO = 0;
    private static final int KNOB_DECIMAL = 1;
    private static final int KNOB_RAW = 2;
    private static final double DECIMAL = 10000.0;

    private FrameFormat() {}

    /** Fields of a parsed header. */
    public record Parsed(
            int version, DType dtype, TensorShape shape, CodecSettings settings, int headerBytes, int payloadBytes) {}

    private static int knobSize(double v) {
        if (Double.doubleToRawLongBits(v) == 0) {
            return 1;
        }
        long m = Math.round(v * DECIMAL);
        if (m >= 0 && m / DECIMAL == v) {
            return 1 + ByteIo.varintSize(m);
        }
        return 9;
    }

    private static int putKnob(byte[] b, int p, double v) {
        if (Double.doubleToRawLongBits(v) == 0) {
            b[p] = KNOB_ZERO;
            return 1;
        }
        long m = Math.round(v * DECIMAL);
        if (m >= 0 && m / DECIMAL == v) {
            b[p] = KNOB_DECIMAL;
            return 1 + ByteIo.putVarint(b, p + 1, m);
        }
        b[p] = KNOB_RAW;
        ByteIo.putLong(b, p + 1, Double.doubleToRawLongBits(v));
        return 9;
    }

    private static double getKnob(ByteIo.Reader in, String what) {
        long at = in.offset();
        int tag = in.u8(what);
        return switch (tag) {
            case KNOB_ZERO -> 0.0;
            case KNOB_DECIMAL -> in.varint(what) / DECIMAL;
            case KNOB_RAW -> in.f64(what);
            default -> throw new MalformedFrameException(at, "bad knob tag " + tag + " for " + what);
        };
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    /** Exact header size (everything before the payload). */
    public static int headerBytes(TensorShape shape, CodecSettings s) {
        int n = 9 + 4 * shape.rank();
        if (s.mode() == CodecMode.ECSQ) {
            n += knobSize(s.step()) + knobSize(s.bitsPerElement()) + 1;
        } else if (s.mode() != CodecMode.LOSSLESS) {
            n += knobSize(s.sparsity())
                    + 2
                    + knobSize(s.lambda())
                    + 1
                    + knobSize(s.delta())
                    + 1
                    + s.fixedBits().size()
                    + knobSize(s.outlierFraction())
                    + ByteIo.varintSize(zigzag(s.seed()));
        }
        return n + 4;
    }

    /** Writes the header with a zero payload length; returns its size. */
    public static int writeHeader(byte[] b, int off, DType dtype, TensorShape shape, CodecSettings s) {
        ByteIo.putInt(b, off, MAGIC);
        b[off + 4] = VERSION;
        b[off + 5] = (byte) (s.entropy() ? FLAG_ENTROPY : 0);
        b[off + 6] = (byte) dtype.ordinal();
        b[off + 7] = (byte) s.mode().ordinal();
        b[off + 8] = (byte) shape.rank();
        int p = off + 9;
        for (int i = 0; i < shape.rank(); i++) {
            ByteIo.putInt(b, p, shape.dim(i));
            p += 4;
        }
        if (s.mode() == CodecMode.ECSQ) {
            p += putKnob(b, p, s.step());
            p += putKnob(b, p, s.bitsPerElement());
            b[p++] = (byte) (s.predict() ? 1 : 0);
        } else if (s.mode() != CodecMode.LOSSLESS) {
            p += putKnob(b, p, s.sparsity());
            b[p++] = (byte) s.blocksPos();
            b[p++] = (byte) s.blocksNeg();
            p += putKnob(b, p, s.lambda());
            b[p++] = (byte) s.qbit();
            p += putKnob(b, p, s.delta());
            b[p++] = (byte) s.fixedBits().size();
            for (int q : s.fixedBits()) {
                b[p++] = (byte) q;
            }
            p += putKnob(b, p, s.outlierFraction());
            p += ByteIo.putVarint(b, p, zigzag(s.seed()));
        }
        ByteIo.putInt(b, p, 0);
        return p + 4 - off;
    }

    /** Patches the payload length into a header written at {@code off}. */
    public static void setPayloadLength(byte[] b, int off, int headerBytes, int payloadBytes) {
        ByteIo.putInt(b, off + headerBytes - 4, payloadBytes);
    }

    /**
     * Parses and validates the header of the frame at {@code src[off, off+len)}: every declared size is checked
     * against {@code limits} and against {@code len} before anything is allocated. Does not check the CRC.
     */
    public static Parsed parse(byte[] src, int off, int len, DecodeLimits limits) {
        ByteIo.Reader in = new ByteIo.Reader(src, off, len, -off);
        if (!(len >= MIN_FRAME_BYTES)) {
            throw new MalformedFrameException(0, "frame too short: " + len + " bytes");
        }
        int magic = in.i32("magic");
        if (!(magic == MAGIC)) {
            throw new MalformedFrameException(0, String.format("bad magic %08x", magic));
        }
        int version = in.u8("version");
        if (!(version >= MIN_VERSION && version <= VERSION)) {
            throw new MalformedFrameException(4, "unsupported frame version " + version);
        }
        int flags = in.u8("flags");
        if (!((flags & ~FLAG_ENTROPY) == 0)) {
            throw new MalformedFrameException(5, "unknown flags " + flags);
        }
        int dt = in.u8("dtype");
        if (!(dt < DTYPES.length)) {
            throw new MalformedFrameException(6, "unknown dtype " + dt);
        }
        int md = in.u8("mode");
        if (!(md < MODES.length)) {
            throw new MalformedFrameException(7, "unknown mode " + md);
        }
        int rank = in.u8("rank");
        if (!(rank >= 1 && rank <= TensorShape.MAX_RANK)) {
            throw new MalformedFrameException(8, "bad rank " + rank);
        }
        int[] dims = new int[rank];
        long elements = 1;
        for (int i = 0; i < rank; i++) {
            long at = in.offset();
            int d = in.i32("dimension");
            if (!(d >= 0)) {
                throw new MalformedFrameException(at, "negative dimension " + d);
            }
            dims[i] = d;
            if (elements != 0) {
                elements = d == 0 ? 0 : (elements > Long.MAX_VALUE / d ? Long.MAX_VALUE : elements * d);
            }
        }
        for (int d : dims) {
            if (d == 0) {
                elements = 0;
            }
        }
        if (elements > limits.maxElements()) {
            throw new FrameLimitExceededException(9, "element count", elements, limits.maxElements());
        }
        if (!(elements <= Integer.MAX_VALUE - 8)) {
            throw new MalformedFrameException(9, "tensor too large: " + elements);
        }
        TensorShape shape;
        try {
            shape = TensorShape.of(dims);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new MalformedFrameException(9, "invalid shape: " + e.getMessage());
        }
        CodecMode mode = MODES[md];
        boolean entropy = (flags & FLAG_ENTROPY) != 0;
        CodecSettings settings;
        if (mode == CodecMode.LOSSLESS) {
            settings = CodecSettings.lossless().withEntropy(entropy);
        } else if (mode == CodecMode.ECSQ) {
            long at = in.offset();
            double step = getKnob(in, "step");
            double bits = getKnob(in, "bits per element");
            int predict = in.u8("predict");
            if (!(predict <= 1 && entropy)) {
                throw new MalformedFrameException(at, "invalid ECSQ knobs: predict " + predict + ", flags " + flags);
            }
            try {
                settings = new CodecSettings(
                        mode, 0, 1, 1, 0, CodecSettings.ECSQ_QBIT, 0, List.of(), 0, true, 0, step, bits, predict == 1);
            } catch (IllegalArgumentException e) {
                throw new MalformedFrameException(at, "invalid knobs: " + e.getMessage());
            }
        } else {
            long at = in.offset();
            double sparsity = getKnob(in, "sparsity");
            int mPos = in.u8("M+");
            int mNeg = in.u8("M-");
            double lambda = getKnob(in, "lambda");
            int qbit = in.u8("qbit");
            double delta = getKnob(in, "delta");
            int nFixed = in.u8("fixed bit count");
            List<Integer> fixed = new ArrayList<>(nFixed);
            for (int i = 0; i < nFixed; i++) {
                fixed.add(in.u8("fixed bits"));
            }
            double outliers = getKnob(in, "outlier fraction");
            long z = in.varint64("seed");
            long seed = (z >>> 1) ^ -(z & 1);
            try {
                settings = new CodecSettings(
                        mode, sparsity, mPos, mNeg, lambda, qbit, delta, fixed, outliers, entropy, seed, 0, 0, false);
            } catch (IllegalArgumentException e) {
                throw new MalformedFrameException(at, "invalid knobs: " + e.getMessage());
            }
        }
        long payloadAt = in.offset();
        long payload = in.i32("payload length") & 0xFFFFFFFFL;
        int header = in.position() - off;
        long frame = header + payload + CRC_BYTES;
        if (frame > limits.maxFrameBytes()) {
            throw new FrameLimitExceededException(payloadAt, "frame bytes", frame, limits.maxFrameBytes());
        }
        if (!(frame <= len)) {
            throw new MalformedFrameException(payloadAt, "frame truncated: declares " + frame + " bytes, have " + len);
        }
        return new Parsed(version, DTYPES[dt], shape, settings, header, (int) payload);
    }
}
