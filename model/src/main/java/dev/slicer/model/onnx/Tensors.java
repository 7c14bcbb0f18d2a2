package dev.slicer.model.onnx;

import com.google.protobuf.ByteString;
import dev.slicer.model.onnx.proto.Onnx.TensorProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Conversions between {@link TensorProto} and Java arrays (little-endian raw data). */
public final class Tensors {
    private Tensors() {}

    public static long elementCount(TensorProto t) {
        long n = 1;
        for (long d : t.getDimsList()) {
            n *= d;
        }
        return n;
    }

    /** Bytes the tensor's values occupy (independent of how they are stored in the proto). */
    public static long byteSize(TensorProto t) {
        return DataTypes.bytes(t.getDataType(), elementCount(t));
    }

    public static long[] dims(TensorProto t) {
        long[] d = new long[t.getDimsCount()];
        for (int i = 0; i < d.length; i++) {
            d[i] = t.getDims(i);
        }
        return d;
    }

    public static TensorProto floats(String name, long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return raw(name, DataType.FLOAT_VALUE, dims, b.array());
    }

    public static TensorProto longs(String name, long[] dims, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return raw(name, DataType.INT64_VALUE, dims, b.array());
    }

    public static TensorProto bytes(String name, int dataType, long[] dims, byte[] values) {
        return raw(name, dataType, dims, values);
    }

    public static TensorProto raw(String name, int dataType, long[] dims, byte[] raw) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(dataType);
        for (long d : dims) {
            b.addDims(d);
        }
        return b.setRawData(ByteString.copyFrom(raw)).build();
    }

    /** Values of a float32 tensor. */
    public static float[] toFloats(TensorProto t) {
        if (t.getDataType() != DataType.FLOAT_VALUE) {
            throw new IllegalArgumentException(
                    "tensor '" + t.getName() + "' is " + DataTypes.name(t.getDataType()) + ", not float32");
        }
        int n = Math.toIntExact(elementCount(t));
        float[] out = new float[n];
        if (!t.getRawData().isEmpty()) {
            t.getRawData()
                    .asReadOnlyByteBuffer()
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .get(out);
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = t.getFloatData(i);
            }
        }
        return out;
    }

    /** Values of an integer tensor (int64, int32, int8, uint8, bool) widened to long. */
    public static long[] toLongs(TensorProto t) {
        int n = Math.toIntExact(elementCount(t));
        long[] out = new long[n];
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        boolean hasRaw = !t.getRawData().isEmpty();
        switch (t.getDataType()) {
            case DataType.INT64_VALUE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = hasRaw ? raw.getLong(i * 8) : t.getInt64Data(i);
                }
            }
            case DataType.INT32_VALUE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = hasRaw ? raw.getInt(i * 4) : t.getInt32Data(i);
                }
            }
            case DataType.INT8_VALUE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = hasRaw ? raw.get(i) : t.getInt32Data(i);
                }
            }
            case DataType.UINT8_VALUE, DataType.BOOL_VALUE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = hasRaw ? (raw.get(i) & 0xFF) : t.getInt32Data(i);
                }
            }
            default ->
                throw new IllegalArgumentException(
                        "tensor '" + t.getName() + "' is " + DataTypes.name(t.getDataType()) + ", not an integer type");
        }
        return out;
    }
}
