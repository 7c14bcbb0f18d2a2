package dev.slicer.model.quant;

import dev.slicer.model.ModelException;
import dev.slicer.model.UnsupportedOpException;
import dev.slicer.model.onnx.ConstantWeights;
import dev.slicer.model.onnx.Tensors;
import dev.slicer.model.onnx.proto.Onnx.AttributeProto;
import dev.slicer.model.onnx.proto.Onnx.GraphProto;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.NodeProto;
import dev.slicer.model.onnx.proto.Onnx.OperatorSetIdProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;
import dev.slicer.model.split.ModelGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weight-only quantization of a (front) model. Every float weight (a matrix or kernel of at least
 * {@link #MIN_MATRIX_ELEMENTS} values, or any initializer above {@link #MIN_ELEMENTS}) must be the
 * weight of a supported node:
 *
 * <ul>
 *   <li>MatMul {@code [K,N]} weights: 8 bits -> {@code DequantizeLinear} of an int8 tensor with
 *       symmetric per-output-channel scales; 4 bits -> {@code com.microsoft.MatMulNBits} with
 *       symmetric blocks of {@link #BLOCK_SIZE} along K;
 *   <li>Gemm {@code B} weights: as MatMul (4 bits only without transA, alpha = beta = 1);
 *   <li>Conv weights: int8 per output channel (both modes);
 *   <li>Gather on an embedding table (axis 0): int8 rows with one scale per row, gathered then
 *       rescaled, so the table is never dequantized as a whole (both modes).
 * </ul>
 *
 * Anything else holding a large float weight raises {@link UnsupportedOpException}.
 */
public final class WeightQuantizer {
    /** 1-D initializers up to this size stay float (biases, norms). */
    public static final long MIN_ELEMENTS = 4096;
    /** Matrices and kernels from this size on are quantized. */
    public static final long MIN_MATRIX_ELEMENTS = 256;
    /** Block length along K for 4-bit weights. */
    public static final int BLOCK_SIZE = 32;

    private WeightQuantizer() {}

    /** A quantized model and what changed; {@code notes} say where the requested form was not possible. */
    public record Result(
            ModelProto model, long paramBytesBefore, long paramBytesAfter, int quantizedWeights, List<String> notes) {
        public Result {
            notes = List.copyOf(notes);
        }

        public Result(ModelProto model, long paramBytesBefore, long paramBytesAfter, int quantizedWeights) {
            this(model, paramBytesBefore, paramBytesAfter, quantizedWeights, List.of());
        }
    }

    /** Lowest default-domain opset handled (DequantizeLinear exists from opset 10). */
    public static final long MIN_OPSET = 10;

    /**
     * Quantizes every float weight of {@code model}. Weights stored as Constant nodes count. Below
     * opset 13 (no per-axis DequantizeLinear) int8 weights are a per-tensor DequantizeLinear times
     * per-channel scales; Conv/ConvTranspose kernels stay int8 at {@code bits = 4} (int4 tensors need
     * opset 21), which {@link Result#notes()} says. A model with no weight to quantize is an error.
     */
    public static Result quantize(ModelProto model, int bits) {
        if (bits != 8 && bits != 4) {
            throw new IllegalArgumentException("bits must be 8 or 4, got " + bits);
        }
        model = ConstantWeights.promote(model);
        ModelGraph graph = new ModelGraph(model);
        GraphProto g = model.getGraph();
        long opset = g.getNodeCount() == 0 ? 0 : defaultOpset(model);
        if (opset < MIN_OPSET) {
            throw new ModelException(
                    "weight quantization needs ONNX opset >= " + MIN_OPSET + " (DequantizeLinear), model has " + opset);
        }
        List<String> notes = new ArrayList<>();
        Map<String, TensorProto> inits = graph.initializers();
        Map<String, String> form = new LinkedHashMap<>();
        Map<String, NodeProto> firstUser = new HashMap<>();
        for (NodeProto n : g.getNodeList()) {
            for (int i = 0; i < n.getInputCount(); i++) {
                TensorProto w = inits.get(n.getInput(i));
                if (w == null || w.getDataType() != DataType.FLOAT_VALUE || !isWeight(w)) {
                    continue;
                }
                String f = formOf(n, i, w, bits);
                String prev = form.putIfAbsent(w.getName(), f);
                firstUser.putIfAbsent(w.getName(), n);
                if (prev != null && !prev.equals(f)) {
                    throw new UnsupportedOpException(
                            n.getOpType(),
                            n.getName(),
                            "weight '" + w.getName() + "' is shared with "
                                    + firstUser.get(w.getName()).getName() + " in another role");
                }
                if (f.equals("nbits") && countUsers(g, w.getName()) > 1) {
                    throw new UnsupportedOpException(
                            n.getOpType(), n.getName(), "4-bit weight '" + w.getName() + "' is shared");
                }
            }
        }
        if (form.isEmpty()) {
            throw new dev.slicer.model.NothingToQuantizeException(
                    "nothing to quantize: the model has no float MatMul/Gemm/Conv/ConvTranspose weight"
                            + " or embedding table of at least " + MIN_MATRIX_ELEMENTS + " values ("
                            + graph.totalParameterBytes() + " parameter bytes"
                            + (g.getNodeList().stream()
                                            .anyMatch(n -> n.getOpType().endsWith("Integer")
                                                    || n.getOpType().startsWith("QLinear"))
                                    ? "; its weights are already integer"
                                    : "")
                            + ")");
        }
        if (bits == 4) {
            long convs = form.entrySet().stream()
                    .filter(e -> e.getValue().startsWith("dq")
                            && firstUser.get(e.getKey()).getOpType().startsWith("Conv"))
                    .count();
            if (convs > 0) {
                notes.add(
                        convs + " Conv/ConvTranspose kernels are int8, not int4: int4 tensors need opset 21, model has "
                                + opset);
            }
        }
        boolean perAxis = opset >= 13;
        if (!perAxis && form.values().stream().anyMatch(f -> f.startsWith("dq"))) {
            notes.add("opset " + opset + " has no per-axis DequantizeLinear: int8 weights are a per-tensor"
                    + " DequantizeLinear times per-channel scales");
        }
        GraphProto.Builder out = g.toBuilder().clearNode().clearInitializer();
        List<NodeProto> prologue = new ArrayList<>();
        List<NodeProto> body = new ArrayList<>();
        int count = 0;
        for (TensorProto t : g.getInitializerList()) {
            String f = form.get(t.getName());
            if (f == null) {
                out.addInitializer(t);
            } else if (f.startsWith("dq")) {
                int axis = Integer.parseInt(f.substring(3));
                Int8 q = int8PerAxis(Tensors.toFloats(t), Tensors.dims(t), axis);
                String base = t.getName();
                out.addInitializer(Tensors.bytes(base + "_quantized", DataType.INT8_VALUE, Tensors.dims(t), q.values));
                if (perAxis) {
                    out.addInitializer(Tensors.floats(base + "_scale", new long[] {q.scales.length}, q.scales));
                    out.addInitializer(Tensors.bytes(
                            base + "_zero_point",
                            DataType.INT8_VALUE,
                            new long[] {q.scales.length},
                            new byte[q.scales.length]));
                    prologue.add(NodeProto.newBuilder()
                            .setName(base + "/DequantizeLinear")
                            .setOpType("DequantizeLinear")
                            .addInput(base + "_quantized")
                            .addInput(base + "_scale")
                            .addInput(base + "_zero_point")
                            .addOutput(base)
                            .addAttribute(intAttr("axis", axis))
                            .build());
                } else {
                    // Per-tensor DequantizeLinear (scale 1) then the per-channel scales, shaped to broadcast along
                    // axis.
                    long[] scaleShape = new long[Tensors.dims(t).length];
                    java.util.Arrays.fill(scaleShape, 1);
                    scaleShape[axis] = q.scales.length;
                    out.addInitializer(Tensors.floats(base + "_unit_scale", new long[0], new float[] {1f}));
                    out.addInitializer(
                            Tensors.bytes(base + "_zero_point", DataType.INT8_VALUE, new long[0], new byte[1]));
                    out.addInitializer(Tensors.floats(base + "_scale", scaleShape, q.scales));
                    prologue.add(node(
                            base + "/DequantizeLinear",
                            "DequantizeLinear",
                            List.of(base + "_quantized", base + "_unit_scale", base + "_zero_point"),
                            base + "_dq"));
                    prologue.add(node(base + "/Scale", "Mul", List.of(base + "_dq", base + "_scale"), base));
                }
                count++;
            } else if (f.equals("embed")) {
                Int8 q = int8PerAxis(Tensors.toFloats(t), Tensors.dims(t), 0);
                out.addInitializer(
                        Tensors.bytes(t.getName() + "_quantized", DataType.INT8_VALUE, Tensors.dims(t), q.values));
                out.addInitializer(Tensors.floats(t.getName() + "_scale", new long[] {q.scales.length}, q.scales));
                count++;
            } else {
                count++;
            }
        }
        boolean usesNbits = false;
        for (NodeProto n : g.getNodeList()) {
            String f = n.getInputCount() > 1 ? form.get(n.getInput(1)) : null;
            String f0 = n.getInputCount() > 0 ? form.get(n.getInput(0)) : null;
            if ("embed".equals(f0) && n.getOpType().equals("Gather")) {
                body.addAll(embeddingGather(n, out, opset));
            } else if ("nbits".equals(f)) {
                body.addAll(matMulNBits(n, inits.get(n.getInput(1)), out));
                usesNbits = true;
            } else {
                body.add(n);
            }
        }
        out.addAllNode(prologue).addAllNode(body);
        ModelProto.Builder mb = model.toBuilder().setGraph(out);
        if (usesNbits
                && model.getOpsetImportList().stream()
                        .noneMatch(o -> o.getDomain().equals("com.microsoft"))) {
            mb.addOpsetImport(
                    OperatorSetIdProto.newBuilder().setDomain("com.microsoft").setVersion(1));
        }
        ModelProto q = mb.build();
        return new Result(q, graph.totalParameterBytes(), new ModelGraph(q).totalParameterBytes(), count, notes);
    }

    /** Matrices and kernels (rank >= 2) of at least {@link #MIN_MATRIX_ELEMENTS} values. */
    static boolean isWeight(TensorProto w) {
        long n = Tensors.elementCount(w);
        // 1-D tensors are biases, norms and scales (a classifier bias may exceed MIN_ELEMENTS): they stay float.
        return w.getDimsCount() >= 2 && (n > MIN_ELEMENTS || n >= MIN_MATRIX_ELEMENTS);
    }

    private static long defaultOpset(ModelProto m) {
        for (OperatorSetIdProto o : m.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                return o.getVersion();
            }
        }
        return 0;
    }

    private static int countUsers(GraphProto g, String name) {
        int c = 0;
        for (NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) {
                if (in.equals(name)) {
                    c++;
                }
            }
        }
        return c;
    }

    /** How input {@code i} (a large float weight) of {@code n} is quantized: dq:AXIS, nbits or embed. */
    private static String formOf(NodeProto n, int i, TensorProto w, int bits) {
        int rank = w.getDimsCount();
        switch (n.getOpType()) {
            case "MatMul" -> {
                if (i == 1 && rank == 2) {
                    return bits == 4 ? "nbits" : "dq:1";
                }
            }
            case "Gemm" -> {
                if (i == 1 && rank == 2) {
                    boolean transB = intAttrOf(n, "transB", 0) == 1;
                    if (bits == 4) {
                        if (intAttrOf(n, "transA", 0) != 0
                                || floatAttrOf(n, "alpha", 1f) != 1f
                                || floatAttrOf(n, "beta", 1f) != 1f) {
                            throw new UnsupportedOpException(
                                    "Gemm", n.getName(), "4-bit weights need transA=0, alpha=1, beta=1");
                        }
                        return "nbits";
                    }
                    return transB ? "dq:0" : "dq:1";
                }
            }
            case "Conv" -> {
                if (i == 1) {
                    return "dq:0";
                }
            }
            case "ConvTranspose" -> {
                // Kernel [C_in, C_out/group, k...]: output channels are axis 1 when there is one group.
                if (i == 1) {
                    return intAttrOf(n, "group", 1) == 1 ? "dq:1" : "dq:0";
                }
            }
            case "Gather" -> {
                if (i == 0 && rank == 2 && intAttrOf(n, "axis", 0) == 0) {
                    return "embed";
                }
            }
            default -> {}
        }
        throw new UnsupportedOpException(
                n.getOpType(),
                n.getName(),
                "the weight quantizer cannot handle its float input '" + w.getName() + "' ("
                        + Tensors.elementCount(w)
                        + " values); supported: MatMul/Gemm weights, Conv/ConvTranspose weights,"
                        + " Gather embedding tables");
    }

    private record Int8(byte[] values, float[] scales) {}

    /** Symmetric int8 with one scale per index along {@code axis} of a 2-D or 4-D tensor. */
    static Int8 int8PerAxis(float[] w, long[] dims, int axis) {
        int channels = (int) dims[axis];
        int inner = 1;
        for (int d = axis + 1; d < dims.length; d++) {
            inner *= (int) dims[d];
        }
        float[] max = new float[channels];
        for (int i = 0; i < w.length; i++) {
            int c = (i / inner) % channels;
            max[c] = Math.max(max[c], Math.abs(w[i]));
        }
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = max[c] > 0 ? max[c] / 127f : 1f;
        }
        byte[] q = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            int c = (i / inner) % channels;
            q[i] = (byte) Math.max(-127, Math.min(127, Math.round(w[i] / scales[c])));
        }
        return new Int8(q, scales);
    }

    private static List<NodeProto> embeddingGather(NodeProto n, GraphProto.Builder out, long opset) {
        String table = n.getInput(0);
        String ids = n.getInput(1);
        String o = n.getOutput(0);
        String p = n.getName().isEmpty() ? o : n.getName();
        String axes = p + "/axes_last";
        NodeProto unsqueeze;
        if (opset >= 13) {
            out.addInitializer(Tensors.longs(axes, new long[] {1}, new long[] {-1}));
            unsqueeze = node(p + "/UnsqueezeScale", "Unsqueeze", List.of(o + "_s", axes), o + "_s1");
        } else {
            // Before opset 13 the axes are an attribute (negative axes from opset 11, the lowest handled for tables).
            AttributeProto ax = AttributeProto.newBuilder()
                    .setName("axes")
                    .setType(AttributeProto.AttributeType.INTS)
                    .addInts(-1)
                    .build();
            unsqueeze = node(p + "/UnsqueezeScale", "Unsqueeze", List.of(o + "_s"), o + "_s1").toBuilder()
                    .addAttribute(ax)
                    .build();
        }
        return List.of(
                node(p + "/GatherQ", "Gather", List.of(table + "_quantized", ids), o + "_q"),
                node(p + "/GatherScale", "Gather", List.of(table + "_scale", ids), o + "_s"),
                NodeProto.newBuilder()
                        .setName(p + "/Cast")
                        .setOpType("Cast")
                        .addInput(o + "_q")
                        .addOutput(o + "_qf")
                        .addAttribute(intAttr("to", DataType.FLOAT_VALUE))
                        .build(),
                unsqueeze,
                node(p + "/Rescale", "Mul", List.of(o + "_qf", o + "_s1"), o));
    }

    /** Replaces MatMul(A, W[K,N]) or Gemm(A, B, C) by MatMulNBits (+ Add for the Gemm bias). */
    private static List<NodeProto> matMulNBits(NodeProto n, TensorProto w, GraphProto.Builder out) {
        boolean gemm = n.getOpType().equals("Gemm");
        boolean transB = gemm && intAttrOf(n, "transB", 0) == 1;
        long[] d = Tensors.dims(w);
        int k = (int) (transB ? d[1] : d[0]);
        int nOut = (int) (transB ? d[0] : d[1]);
        float[] v = Tensors.toFloats(w);
        int blocks = (k + BLOCK_SIZE - 1) / BLOCK_SIZE;
        int blob = BLOCK_SIZE / 2;
        byte[] packed = new byte[nOut * blocks * blob];
        float[] scales = new float[nOut * blocks];
        for (int c = 0; c < nOut; c++) {
            for (int b = 0; b < blocks; b++) {
                float max = 0;
                for (int j = 0; j < BLOCK_SIZE; j++) {
                    int kk = b * BLOCK_SIZE + j;
                    if (kk < k) {
                        max = Math.max(max, Math.abs(v[transB ? c * k + kk : kk * nOut + c]));
                    }
                }
                float scale = max > 0 ? max / 7f : 1f;
                scales[c * blocks + b] = scale;
                for (int j = 0; j < BLOCK_SIZE; j++) {
                    int kk = b * BLOCK_SIZE + j;
                    float x = kk < k ? v[transB ? c * k + kk : kk * nOut + c] : 0f;
                    int q = Math.max(0, Math.min(15, Math.round(x / scale) + 8));
                    int idx = (c * blocks + b) * blob + j / 2;
                    packed[idx] |= (byte) ((j % 2 == 0) ? q : (q << 4));
                }
            }
        }
        String base = w.getName();
        out.addInitializer(Tensors.bytes(base + "_q4", DataType.UINT8_VALUE, new long[] {nOut, blocks, blob}, packed));
        out.addInitializer(Tensors.floats(base + "_q4_scales", new long[] {(long) nOut * blocks}, scales));
        String p = n.getName().isEmpty() ? n.getOutput(0) : n.getName();
        String y =
                gemm && n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? n.getOutput(0) + "_nobias" : n.getOutput(0);
        NodeProto mm = NodeProto.newBuilder()
                .setName(p + "/MatMulNBits")
                .setOpType("MatMulNBits")
                .setDomain("com.microsoft")
                .addInput(n.getInput(0))
                .addInput(base + "_q4")
                .addInput(base + "_q4_scales")
                .addOutput(y)
                .addAttribute(intAttr("K", k))
                .addAttribute(intAttr("N", nOut))
                .addAttribute(intAttr("bits", 4))
                .addAttribute(intAttr("block_size", BLOCK_SIZE))
                .build();
        if (y.equals(n.getOutput(0))) {
            return List.of(mm);
        }
        return List.of(mm, node(p + "/AddBias", "Add", List.of(y, n.getInput(2)), n.getOutput(0)));
    }

    private static NodeProto node(String name, String op, List<String> inputs, String output) {
        return NodeProto.newBuilder()
                .setName(name)
                .setOpType(op)
                .addAllInput(inputs)
                .addOutput(output)
                .build();
    }

    private static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.INT)
                .setI(v)
                .build();
    }

    private static long intAttrOf(NodeProto n, String name, long dflt) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return dflt;
    }

    private static float floatAttrOf(NodeProto n, String name, float dflt) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getF();
            }
        }
        return dflt;
    }
}
