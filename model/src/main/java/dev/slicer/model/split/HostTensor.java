package dev.slicer.model.split;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.slicer.model.ModelException;
import dev.slicer.model.onnx.DataTypes;
import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor held in Java arrays: ONNX element type, shape and row-major values ({@code float[]} for
 * float32, {@code long[]} for int64, {@code int[]} for int32, {@code byte[]} for bool/int8/uint8).
 */
public record HostTensor(int dataType, long[] shape, Object data) {
    public HostTensor {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        long n = elementCount(shape);
        int len = java.lang.reflect.Array.getLength(data);
        if (len != n) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + len);
        }
        shape = shape.clone();
    }

    public static HostTensor ofFloats(long[] shape, float[] values) {
        return new HostTensor(DataType.FLOAT_VALUE, shape, values);
    }

    public static HostTensor ofLongs(long[] shape, long[] values) {
        return new HostTensor(DataType.INT64_VALUE, shape, values);
    }

    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public long elementCount() {
        return elementCount(shape);
    }

    public long byteSize() {
        return DataTypes.bytes(dataType, elementCount());
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public boolean isFloat() {
        return data instanceof float[];
    }

    /** The float32 values (the array itself, not a copy). */
    public float[] floats() {
        if (data instanceof float[] f) {
            return f;
        }
        throw new IllegalStateException("tensor is " + DataTypes.name(dataType) + ", not float32");
    }

    /** The int64 values (the array itself, not a copy). */
    public long[] longs() {
        if (data instanceof long[] l) {
            return l;
        }
        throw new IllegalStateException("tensor is " + DataTypes.name(dataType) + ", not int64");
    }

    /** Values widened to double, for comparisons. */
    public double value(int i) {
        if (data instanceof float[] f) {
            return f[i];
        } else if (data instanceof long[] l) {
            return l[i];
        } else if (data instanceof int[] a) {
            return a[i];
        } else {
            byte b = ((byte[]) data)[i];
            return dataType == DataType.INT8_VALUE ? b : (b & 0xFF);
        }
    }

    public OnnxTensor toOnnx(OrtEnvironment env) throws OrtException {
        if (data instanceof float[] f) {
            return OnnxTensor.createTensor(env, FloatBuffer.wrap(f), shape);
        } else if (data instanceof long[] l) {
            return OnnxTensor.createTensor(env, LongBuffer.wrap(l), shape);
        } else if (data instanceof int[] a) {
            return OnnxTensor.createTensor(env, IntBuffer.wrap(a), shape);
        } else {
            byte[] b = (byte[]) data;
            ByteBuffer buf = ByteBuffer.allocateDirect(b.length);
            buf.put(b).flip();
            OnnxJavaType t =
                    switch (dataType) {
                        case DataType.BOOL_VALUE -> OnnxJavaType.BOOL;
                        case DataType.INT8_VALUE -> OnnxJavaType.INT8;
                        default -> OnnxJavaType.UINT8;
                    };
            return OnnxTensor.createTensor(env, buf, shape, t);
        }
    }

    public static HostTensor fromOnnx(OnnxTensor t) {
        long[] shape = t.getInfo().getShape();
        int n = Math.toIntExact(elementCount(shape));
        return switch (t.getInfo().type) {
            case FLOAT -> {
                float[] v = new float[n];
                t.getFloatBuffer().get(v);
                yield ofFloats(shape, v);
            }
            case INT64 -> {
                long[] v = new long[n];
                t.getLongBuffer().get(v);
                yield ofLongs(shape, v);
            }
            case INT32 -> {
                int[] v = new int[n];
                t.getIntBuffer().get(v);
                yield new HostTensor(DataType.INT32_VALUE, shape, v);
            }
            case BOOL, INT8, UINT8 -> {
                byte[] v = new byte[n];
                t.getByteBuffer().get(v);
                int dt =
                        switch (t.getInfo().type) {
                            case BOOL -> DataType.BOOL_VALUE;
                            case INT8 -> DataType.INT8_VALUE;
                            default -> DataType.UINT8_VALUE;
                        };
                yield new HostTensor(dt, shape, v);
            }
            default -> throw new ModelException("unsupported tensor element type " + t.getInfo().type);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostTensor h
                && h.dataType == dataType
                && Arrays.equals(h.shape, shape)
                && Objects.deepEquals(h.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + dataType;
    }

    @Override
    public String toString() {
        return DataTypes.name(dataType) + Arrays.toString(shape);
    }
}
