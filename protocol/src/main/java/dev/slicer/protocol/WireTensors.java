package dev.slicer.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import dev.slicer.protocol.v1.Packing;
import dev.slicer.protocol.v1.RawTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Raw tensors on the wire: ONNX element type, shape and row-major values (little-endian, or zigzag varints for small
 * integers), held in Java as {@code
 * float[]} (float32), {@code int[]} (int32), {@code long[]} (int64) or {@code byte[]} (uint8, int8, bool) - the same
 * triple as the model module's {@code HostTensor}. Both ends use these two methods, so the checks live once.
 */
public final class WireTensors {
    public static final int FLOAT = 1;
    public static final int UINT8 = 2;
    public static final int INT8 = 3;
    public static final int INT32 = 6;
    public static final int INT64 = 7;
    public static final int BOOL = 9;

    private WireTensors() {}

    /** A decoded raw tensor. */
    public record Values(int onnxType, long[] shape, Object data) {}

    /**
     * Encodes values as raw data: little-endian, or zigzag varints for int32 and int64 where those are fewer bytes
     * (small ids and masks).
     */
    public static RawTensor encode(int onnxType, long[] shape, Object data) {
        int size = elementSize(onnxType);
        long n = elements(shape, Long.MAX_VALUE);
        if (java.lang.reflect.Array.getLength(data) != n) {
            throw new WireFormatException("shape " + Arrays.toString(shape) + " does not match the values given");
        }
        RawTensor.Builder b = RawTensor.newBuilder().setOnnxType(onnxType);
        for (long d : shape) {
            b.addShape(d);
        }
        long varints = varintBytes(onnxType, data);
        if (varints < n * size) {
            return b.setPacking(Packing.PACKING_ZIGZAG_VARINT)
                    .setData(UnsafeByteOperations.unsafeWrap(varints(onnxType, data, (int) varints)))
                    .build();
        }
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(n * size)).order(ByteOrder.LITTLE_ENDIAN);
        switch (onnxType) {
            case FLOAT -> buf.asFloatBuffer().put((float[]) data);
            case INT32 -> buf.asIntBuffer().put((int[]) data);
            case INT64 -> buf.asLongBuffer().put((long[]) data);
            default -> buf.put((byte[]) data);
        }
        return b.setData(UnsafeByteOperations.unsafeWrap(buf.array())).build();
    }

    /** Bytes of the values as zigzag varints; {@code Long.MAX_VALUE} for types that are never packed so. */
    private static long varintBytes(int onnxType, Object data) {
        long total = 0;
        if (onnxType == INT64) {
            for (long v : (long[]) data) {
                total += CodedOutputStream.computeSInt64SizeNoTag(v);
            }
        } else if (onnxType == INT32) {
            for (int v : (int[]) data) {
                total += CodedOutputStream.computeSInt32SizeNoTag(v);
            }
        } else {
            return Long.MAX_VALUE;
        }
        return total;
    }

    private static byte[] varints(int onnxType, Object data, int bytes) {
        byte[] out = new byte[bytes];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        try {
            if (onnxType == INT64) {
                for (long v : (long[]) data) {
                    o.writeSInt64NoTag(v);
                }
            } else {
                for (int v : (int[]) data) {
                    o.writeSInt32NoTag(v);
                }
            }
            o.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new IllegalStateException("varint size computed wrong", e); // a bug, never input
        }
        return out;
    }

    /**
     * Decodes a raw tensor, rejecting unknown types, negative dimensions, more than {@code maxElements} elements and a
     * byte count that differs from what the shape needs, all before allocating.
     */
    public static Values decode(RawTensor t, long maxElements) {
        int size = elementSize(t.getOnnxType());
        long[] shape = t.getShapeList().stream().mapToLong(Long::longValue).toArray();
        long n = elements(shape, maxElements);
        ByteString bytes = t.getData();
        if (t.getPacking() == Packing.PACKING_ZIGZAG_VARINT) {
            return new Values(t.getOnnxType(), shape, fromVarints(t.getOnnxType(), (int) n, bytes));
        }
        if (t.getPacking() != Packing.PACKING_LITTLE_ENDIAN) {
            throw new WireFormatException("unknown packing " + t.getPackingValue());
        }
        if (bytes.size() != n * size) {
            throw new WireFormatException("tensor of shape " + Arrays.toString(shape) + " and type " + t.getOnnxType()
                    + " needs " + n * size + " bytes, got " + bytes.size());
        }
        ByteBuffer buf = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int count = (int) n;
        Object data =
                switch (t.getOnnxType()) {
                    case FLOAT -> {
                        float[] v = new float[count];
                        buf.asFloatBuffer().get(v);
                        yield v;
                    }
                    case INT32 -> {
                        int[] v = new int[count];
                        buf.asIntBuffer().get(v);
                        yield v;
                    }
                    case INT64 -> {
                        long[] v = new long[count];
                        buf.asLongBuffer().get(v);
                        yield v;
                    }
                    default -> {
                        byte[] v = new byte[count];
                        buf.get(v);
                        yield v;
                    }
                };
        return new Values(t.getOnnxType(), shape, data);
    }

    /**
     * Exactly {@code n} zigzag varints of int32 or int64 values. The byte count is checked against {@code n} (1 to 10
     * bytes a value) before allocating; a truncated or overlong varint, an int32 value out of range and bytes after
     * the last value are errors.
     */
    private static Object fromVarints(int onnxType, int n, ByteString bytes) {
        if (onnxType != INT32 && onnxType != INT64) {
            throw new WireFormatException("zigzag varints hold int32 or int64 values, not type " + onnxType);
        }
        if (bytes.size() < n || bytes.size() > 10L * n) {
            throw new WireFormatException(n + " varint values cannot take " + bytes.size() + " bytes (1 to 10 each)");
        }
        CodedInputStream in = bytes.newCodedInput();
        try {
            if (onnxType == INT64) {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = in.readSInt64();
                }
                requireEnd(in);
                return v;
            }
            int[] v = new int[n];
            for (int i = 0; i < n; i++) {
                long x = in.readSInt64();
                if (x != (int) x) {
                    throw new WireFormatException("int32 value " + i + " out of range: " + x);
                }
                v[i] = (int) x;
            }
            requireEnd(in);
            return v;
        } catch (IOException e) {
            throw new WireFormatException("malformed varint values: " + e.getMessage());
        }
    }

    private static void requireEnd(CodedInputStream in) throws IOException {
        if (!in.isAtEnd()) {
            throw new WireFormatException("bytes after the last varint value");
        }
    }

    /** Bytes per element of a supported ONNX type. */
    public static int elementSize(int onnxType) {
        return switch (onnxType) {
            case FLOAT, INT32 -> 4;
            case INT64 -> 8;
            case UINT8, INT8, BOOL -> 1;
            default -> throw new WireFormatException("unsupported tensor type " + onnxType);
        };
    }

    private static long elements(long[] shape, long max) {
        if (shape.length > 8) {
            throw new WireFormatException("tensor rank " + shape.length + " above 8");
        }
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new WireFormatException("negative dimension in " + Arrays.toString(shape));
            }
            // stays exact: both factors are at most max <= 2^62 before the check
            n = d == 0 ? 0 : n > max / d ? max + 1 : n * d;
        }
        if (n > max || n > Integer.MAX_VALUE - 8) {
            throw new WireFormatException(
                    "tensor of shape " + Arrays.toString(shape) + " exceeds the limit of " + max + " elements");
        }
        return n;
    }
}
