package dev.slicer.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.slicer.protocol.v1.RawTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Raw tensors on the wire: ONNX element type, shape and row-major little-endian values, held in Java as {@code
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

    public static RawTensor encode(int onnxType, long[] shape, Object data) {
        int size = elementSize(onnxType);
        long n = elements(shape, Long.MAX_VALUE);
        if (java.lang.reflect.Array.getLength(data) != n) {
            throw new WireFormatException("shape " + Arrays.toString(shape) + " does not match the values given");
        }
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(n * size)).order(ByteOrder.LITTLE_ENDIAN);
        switch (onnxType) {
            case FLOAT -> buf.asFloatBuffer().put((float[]) data);
            case INT32 -> buf.asIntBuffer().put((int[]) data);
            case INT64 -> buf.asLongBuffer().put((long[]) data);
            default -> buf.put((byte[]) data);
        }
        RawTensor.Builder b = RawTensor.newBuilder().setOnnxType(onnxType);
        for (long d : shape) {
            b.addShape(d);
        }
        return b.setData(UnsafeByteOperations.unsafeWrap(buf.array())).build();
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
