package dev.slicer.model.split;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;

/** ONNX Runtime session helpers. */
public final class Ort {
    private Ort() {}

    /**
     * A CPU session on a serialized model; {@code optimized} enables all graph optimizations,
     * otherwise only basic ones (keeps every intermediate tensor observable).
     */
    public static OrtSession session(byte[] model, boolean optimized) throws OrtException {
        return session(model, optimized, opts -> {});
    }

    /** Adds to the session options before the session is created (e.g. an execution provider such as CUDA). */
    @FunctionalInterface
    public interface OptionsCustomizer {
        void apply(OrtSession.SessionOptions options) throws OrtException;
    }

    /** As {@link #session(byte[], boolean)}, with {@code customizer} applied to the options last. */
    public static OrtSession session(byte[] model, boolean optimized, OptionsCustomizer customizer)
            throws OrtException {
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        try {
            opts.setOptimizationLevel(
                    optimized
                            ? OrtSession.SessionOptions.OptLevel.ALL_OPT
                            : OrtSession.SessionOptions.OptLevel.BASIC_OPT);
            opts.setIntraOpNumThreads(1);
            opts.setInterOpNumThreads(1);
            customizer.apply(opts);
            return OrtEnvironment.getEnvironment().createSession(model, opts);
        } finally {
            opts.close();
        }
    }

    static int onnxType(OnnxTensorType t) {
        return switch (t) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> DataType.FLOAT_VALUE;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> DataType.DOUBLE_VALUE;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> DataType.FLOAT16_VALUE;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> DataType.BFLOAT16_VALUE;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> DataType.INT8_VALUE;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> DataType.UINT8_VALUE;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> DataType.INT16_VALUE;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> DataType.UINT16_VALUE;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> DataType.INT32_VALUE;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> DataType.UINT32_VALUE;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> DataType.INT64_VALUE;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> DataType.UINT64_VALUE;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> DataType.BOOL_VALUE;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> DataType.STRING_VALUE;
            default -> DataType.UNDEFINED_VALUE;
        };
    }
}
