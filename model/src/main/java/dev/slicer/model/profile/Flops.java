package dev.slicer.model.profile;

import dev.slicer.model.onnx.Tensors;
import dev.slicer.model.onnx.proto.Onnx.AttributeProto;
import dev.slicer.model.onnx.proto.Onnx.NodeProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.model.split.TensorInfo;
import java.util.List;

/**
 * Floating-point operations of the compute-heavy nodes (a multiply-add counts 2): MatMul, Gemm,
 * Conv, MatMulNBits, MatMulInteger, and the fused Attention/MultiHeadAttention contrib ops, from the
 * shapes observed at the reference sizes. Element-wise ops are ignored.
 */
public final class Flops {
    private Flops() {}

    public static double of(SplittableModel m, int position) {
        NodeProto n = m.graph().node(position);
        List<String> ins = n.getInputList();
        long[] out = shape(m, n.getOutputCount() > 0 ? n.getOutput(0) : "");
        if (out == null) {
            return 0;
        }
        double outCount = count(out);
        switch (n.getOpType()) {
            case "MatMul", "MatMulInteger", "QLinearMatMul" -> {
                long[] a = shape(m, ins.get(0));
                if (a == null || a.length == 0) {
                    return 0;
                }
                return 2.0 * outCount * a[a.length - 1];
            }
            case "MatMulNBits" -> {
                return 2.0 * outCount * attr(n, "K", 0);
            }
            case "Gemm" -> {
                long[] a = shape(m, ins.get(0));
                if (a == null || a.length != 2) {
                    return 0;
                }
                long k = attr(n, "transA", 0) == 1 ? a[0] : a[1];
                return 2.0 * outCount * k;
            }
            case "Conv", "ConvInteger", "QLinearConv" -> {
                long[] w = shape(m, ins.get(n.getOpType().equals("QLinearConv") ? 3 : 1));
                if (w == null || w.length < 2) {
                    return 0;
                }
                long per = 1;
                for (int i = 1; i < w.length; i++) {
                    per *= w[i];
                }
                return 2.0 * outCount * per;
            }
            case "Attention", "MultiHeadAttention" -> {
                long[] q = shape(m, ins.get(0));
                if (q == null || q.length != 3) {
                    return 0;
                }
                double b = q[0];
                double s = q[1];
                double h = out[out.length - 1];
                double proj = n.getOpType().equals("Attention") ? 2.0 * b * s * q[2] * 3 * h : 0;
                return proj + 4.0 * b * s * s * h;
            }
            default -> {
                return 0;
            }
        }
    }

    private static long[] shape(SplittableModel m, String tensor) {
        TensorInfo ti = m.tensorInfo(tensor);
        if (ti != null) {
            return ti.referenceShape();
        }
        TensorProto init = m.graph().initializers().get(tensor);
        return init == null ? null : Tensors.dims(init);
    }

    private static long attr(NodeProto n, String name, long dflt) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return dflt;
    }

    private static double count(long[] s) {
        double c = 1;
        for (long d : s) {
            c *= d;
        }
        return c;
    }
}
