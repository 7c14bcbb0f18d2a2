package dev.slicer.edge.oip;

import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;

/** Open Inference Protocol datatype names for ONNX element types. */
final class OipDatatypes {
    private OipDatatypes() {}

    static String name(int onnxType) {
        return switch (onnxType) {
            case DataType.FLOAT_VALUE -> "FP32";
            case DataType.DOUBLE_VALUE -> "FP64";
            case DataType.FLOAT16_VALUE -> "FP16";
            case DataType.INT64_VALUE -> "INT64";
            case DataType.INT32_VALUE -> "INT32";
            case DataType.INT16_VALUE -> "INT16";
            case DataType.INT8_VALUE -> "INT8";
            case DataType.UINT8_VALUE -> "UINT8";
            case DataType.BOOL_VALUE -> "BOOL";
            case DataType.STRING_VALUE -> "BYTES";
            default -> "UNKNOWN";
        };
    }
}
