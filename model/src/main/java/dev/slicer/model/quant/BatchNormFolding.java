package dev.slicer.model.quant;

import dev.slicer.model.onnx.Tensors;
import dev.slicer.model.onnx.proto.Onnx.GraphProto;
import dev.slicer.model.onnx.proto.Onnx.NodeProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Folds an inference {@code BatchNormalization} that directly follows a {@code Conv} into the
 * Conv's kernel and bias: {@code W' = W * s}, {@code B' = (B - mean) * s + beta} with
 * {@code s = gamma / sqrt(var + eps)} per output channel. The result equals the original up to float
 * rounding, and the four per-channel BN vectors (which would stay float) become one bias vector, so
 * the quantized kernel carries the scale; exporters such as paddle2onnx leave BN unfolded.
 */
final class BatchNormFolding {
    private BatchNormFolding() {}

    /** {@code g} with every foldable Conv -> BatchNormalization pair folded; the same instance when none is. */
    static GraphProto fold(GraphProto g) {
        Map<String, TensorProto> inits = new HashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            inits.put(t.getName(), t);
        }
        Map<String, Integer> uses = new HashMap<>();
        for (NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) {
                uses.merge(in, 1, Integer::sum);
            }
        }
        Set<String> outputs = new HashSet<>();
        g.getOutputList().forEach(o -> outputs.add(o.getName()));
        Map<String, NodeProto> producer = new HashMap<>();
        for (NodeProto n : g.getNodeList()) {
            n.getOutputList().forEach(o -> producer.put(o, n));
        }
        Map<NodeProto, NodeProto> folded = new HashMap<>(); // BN -> folded Conv
        Set<NodeProto> convs = new HashSet<>();
        Map<String, TensorProto> replaced = new HashMap<>();
        for (NodeProto bn : g.getNodeList()) {
            if (!bn.getOpType().equals("BatchNormalization")
                    || bn.getOutputCount() != 1
                    || WeightQuantizer.intAttrOf(bn, "spatial", 1) != 1) {
                continue;
            }
            NodeProto conv = producer.get(bn.getInput(0));
            if (conv == null
                    || !conv.getOpType().equals("Conv")
                    || conv.getInputCount() < 2
                    || uses.getOrDefault(bn.getInput(0), 0) != 1
                    || outputs.contains(bn.getInput(0))) {
                continue;
            }
            TensorProto w = inits.get(conv.getInput(1));
            TensorProto b =
                    conv.getInputCount() > 2 && !conv.getInput(2).isEmpty() ? inits.get(conv.getInput(2)) : null;
            boolean hasBias = conv.getInputCount() > 2 && !conv.getInput(2).isEmpty();
            TensorProto[] p = new TensorProto[4];
            boolean ok = w != null
                    && w.getDataType() == DataType.FLOAT_VALUE
                    && uses.get(w.getName()) == 1
                    && (!hasBias || (b != null && uses.get(b.getName()) == 1));
            for (int i = 0; ok && i < 4; i++) {
                p[i] = inits.get(bn.getInput(i + 1));
                ok = p[i] != null
                        && p[i].getDataType() == DataType.FLOAT_VALUE
                        && Tensors.elementCount(p[i]) == w.getDims(0);
            }
            if (!ok) {
                continue;
            }
            int channels = (int) w.getDims(0);
            float eps = WeightQuantizer.floatAttrOf(bn, "epsilon", 1e-5f);
            float[] gamma = Tensors.toFloats(p[0]);
            float[] beta = Tensors.toFloats(p[1]);
            float[] mean = Tensors.toFloats(p[2]);
            float[] var = Tensors.toFloats(p[3]);
            float[] kernel = Tensors.toFloats(w);
            float[] bias = b == null ? new float[channels] : Tensors.toFloats(b);
            int per = kernel.length / channels;
            for (int c = 0; c < channels; c++) {
                double s = gamma[c] / Math.sqrt(var[c] + (double) eps);
                for (int i = c * per; i < (c + 1) * per; i++) {
                    kernel[i] = (float) (kernel[i] * s);
                }
                bias[c] = (float) ((bias[c] - mean[c]) * s + beta[c]);
            }
            String wName = w.getName() + "_bnfolded";
            String bName = (hasBias ? conv.getInput(2) : w.getName()) + "_bnbias";
            replaced.put(w.getName(), Tensors.floats(wName, Tensors.dims(w), kernel));
            replaced.put(hasBias ? conv.getInput(2) : bName, Tensors.floats(bName, new long[] {channels}, bias));
            NodeProto.Builder c = conv.toBuilder()
                    .clearInput()
                    .clearOutput()
                    .addInput(conv.getInput(0))
                    .addInput(wName)
                    .addInput(bName)
                    .addOutput(bn.getOutput(0));
            folded.put(bn, c.build());
            convs.add(conv);
        }
        if (folded.isEmpty()) {
            return g;
        }
        GraphProto.Builder out = g.toBuilder().clearNode().clearInitializer();
        Set<String> dropped = new HashSet<>();
        for (NodeProto bn : folded.keySet()) {
            for (int i = 1; i < bn.getInputCount(); i++) {
                if (uses.get(bn.getInput(i)) == 1) {
                    dropped.add(bn.getInput(i));
                }
            }
        }
        for (TensorProto t : g.getInitializerList()) {
            TensorProto r = replaced.get(t.getName());
            if (r != null) {
                out.addInitializer(r);
            } else if (!dropped.contains(t.getName())) {
                out.addInitializer(t);
            }
        }
        replaced.forEach((k, v) -> {
            if (!inits.containsKey(k)) {
                out.addInitializer(v);
            }
        });
        Map<NodeProto, NodeProto> byConv = new HashMap<>();
        folded.forEach((bn, c) -> byConv.put(producer.get(bn.getInput(0)), c));
        for (NodeProto n : g.getNodeList()) {
            if (convs.contains(n)) {
                out.addNode(byConv.get(n));
            } else if (!folded.containsKey(n)) {
                out.addNode(n);
            }
        }
        return out.build();
    }
}
