package dev.slicer.model.onnx;

import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;

/** Sizes and names of ONNX element types. */
public final class DataTypes {
    private DataTypes() {}

    /** Bytes per element; 4-bit types report 1 (callers round up element counts themselves). */
    public static int byteSize(int dataType) {
        return switch (dataType) {
            case DataType.FLOAT_VALUE, DataType.INT32_VALUE, DataType.UINT32_VALUE -> 4;
            case DataType.DOUBLE_VALUE, DataType.INT64_VALUE, DataType.UINT64_VALUE, DataType.COMPLEX64_VALUE -> 8;
            case DataType.COMPLEX128_VALUE -> 16;
            case DataType.FLOAT16_VALUE, DataType.BFLOAT16_VALUE, DataType.INT16_VALUE, DataType.UINT16_VALUE -> 2;
            default -> 1;
        };
    }

    /** Bytes of {@code elements} values of this type (4-bit types packed two per byte). */
    public static long bytes(int dataType, long elements) {
        if (dataType == DataType.INT4_VALUE
                || dataType == DataType.UINT4_VALUE
                || dataType == DataType.FLOAT4E2M1_VALUE) {
            return (elements + 1) / 2;
        }
        return elements * byteSize(dataType);
    }

    /** Lower-case short name, e.g. {@code float32}, {@code int64}. */
    public static String name(int dataType) {
        return switch (dataType) {
            case DataType.FLOAT_VALUE -> "float32";
            case DataType.DOUBLE_VALUE -> "float64";
            case DataType.FLOAT16_VALUE -> "float16";
            case DataType.BFLOAT16_VALUE -> "bfloat16";
            case DataType.INT8_VALUE -> "int8";
            case DataType.UINT8_VALUE -> "uint8";
            case DataType.INT16_VALUE -> "int16";
            case DataType.UINT16_VALUE -> "uint16";
            case DataType.INT32_VALUE -> "int32";
            case DataType.UINT32_VALUE -> "uint32";
            case DataType.INT64_VALUE -> "int64";
            case DataType.UINT64_VALUE -> "uint64";
            case DataType.BOOL_VALUE -> "bool";
            case DataType.STRING_VALUE -> "string";
            case DataType.INT4_VALUE -> "int4";
            case DataType.UINT4_VALUE -> "uint4";
            default -> {
                DataType t = DataType.forNumber(dataType);
                yield t == null ? "type" + dataType : t.name().toLowerCase(java.util.Locale.ROOT);
            }
        };
    }

    public static boolean isFloat(int dataType) {
        return dataType == DataType.FLOAT_VALUE
                || dataType == DataType.FLOAT16_VALUE
                || dataType == DataType.BFLOAT16_VALUE
                || dataType == DataType.DOUBLE_VALUE;
    }
}
