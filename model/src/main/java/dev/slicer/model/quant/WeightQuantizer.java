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
    /**
     * Conv kernels from this size on are quantized (a depthwise 3x3 kernel of 16 channels has 144 values:
     * still 2.7x smaller with its per-channel scales, and mobile CNNs have dozens of them).
     */
    public static final long MIN_KERNEL_ELEMENTS = 32;
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
        GraphProto g = model.getGraph();
        long opset = g.getNodeCount() == 0 ? 0 : defaultOpset(model);
        if (opset < MIN_OPSET) {
            throw new ModelException(
                    "weight quantization needs ONNX opset >= " + MIN_OPSET + " (DequantizeLinear), model has " + opset);
        }
        long before = weightBytes(g);
        Context ctx = new Context(bits, opset);
        GraphProto quantized = quantizeGraph(BatchNormFolding.fold(g), ctx, true);
        if (ctx.count == 0) {
            throw new dev.slicer.model.NothingToQuantizeException(
                    "nothing to quantize: the model has no float MatMul/Gemm/Conv/ConvTranspose/LSTM weight"
                            + " or embedding table of at least " + MIN_MATRIX_ELEMENTS + " values ("
                            + before + " parameter bytes"
                            + (g.getNodeList().stream()
                                            .anyMatch(n -> n.getOpType().endsWith("Integer")
                                                    || n.getOpType().startsWith("QLinear"))
                                    ? "; its weights are already integer"
                                    : "")
                            + ")");
        }
        List<String> notes = new ArrayList<>();
        if (ctx.int8Convs > 0) {
            notes.add(ctx.int8Convs + " Conv/ConvTranspose kernels are int8, not int4: int4 tensors need opset 21,"
                    + " model has " + opset);
        }
        if (ctx.nestedInt8 > 0) {
            notes.add(ctx.nestedInt8 + " weights used inside If/Loop branches are int8, not int4");
        }
        if (opset < 13 && ctx.dequantized > 0) {
            notes.add("opset " + opset + " has no per-axis DequantizeLinear: int8 weights are a per-tensor"
                    + " DequantizeLinear times per-channel scales");
        }
        ModelProto.Builder mb = model.toBuilder().setGraph(quantized);
        if (ctx.usesNbits
                && model.getOpsetImportList().stream()
                        .noneMatch(o -> o.getDomain().equals("com.microsoft"))) {
            mb.addOpsetImport(
                    OperatorSetIdProto.newBuilder().setDomain("com.microsoft").setVersion(1));
        }
        return new Result(mb.build(), before, weightBytes(quantized), ctx.count, notes);
    }

    /** What one quantization run did, over the main graph and its branches. */
    private static final class Context {
        final int bits;
        final long opset;
        int count;
        int dequantized;
        int int8Convs;
        int nestedInt8;
        boolean usesNbits;

        Context(int bits, long opset) {
            this.bits = bits;
            this.opset = opset;
        }
    }

    /** A node reading a weight: directly in the weight's graph, or inside one of its nodes' branches. */
    private record Use(NodeProto node, int input, boolean nested) {}

    /**
     * Bytes of every initializer and Constant tensor of {@code g} and of the graphs nested in it
     * ({@code If}/{@code Loop}/{@code Scan} branches), so weights inside branches count.
     */
    public static long weightBytes(GraphProto g) {
        long total = 0;
        for (TensorProto t : g.getInitializerList()) {
            total += Tensors.byteSize(t);
        }
        for (NodeProto n : g.getNodeList()) {
            for (AttributeProto a : n.getAttributeList()) {
                if (n.getOpType().equals("Constant") && a.hasT()) {
                    total += Tensors.byteSize(a.getT());
                }
                if (a.hasG()) {
                    total += weightBytes(a.getG());
                }
                for (GraphProto sub : a.getGraphsList()) {
                    total += weightBytes(sub);
                }
            }
        }
        return total;
    }

    /**
     * Quantizes the weights {@code g} holds (its initializers, and its Constant nodes when it is a
     * branch), placing their dequantization at the start of {@code g} so that uses inside nested
     * branches (outer-scope references) read it too; then recurses into the branches.
     */
    private static GraphProto quantizeGraph(GraphProto g, Context ctx, boolean top) {
        if (!top) {
            g = BatchNormFolding.fold(ConstantWeights.promote(g));
        }
        Map<String, TensorProto> inits = new HashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            inits.put(t.getName(), t);
        }
        Map<String, List<Use>> uses = new HashMap<>();
        collectUses(g, inits.keySet(), false, uses);
        Map<String, String> form = new LinkedHashMap<>();
        Map<String, NodeProto> firstUser = new HashMap<>();
        for (TensorProto w : g.getInitializerList()) {
            List<Use> wUses = uses.getOrDefault(w.getName(), List.of());
            boolean kernel = !wUses.isEmpty()
                    && wUses.stream()
                            .allMatch(
                                    u -> u.input() == 1 && u.node().getOpType().startsWith("Conv"));
            if (w.getDataType() != DataType.FLOAT_VALUE
                    || !(isWeight(w) || (kernel && Tensors.elementCount(w) >= MIN_KERNEL_ELEMENTS))) {
                continue;
            }
            for (Use u : uses.getOrDefault(w.getName(), List.of())) {
                NodeProto n = u.node();
                // a branch's node cannot be rewritten from here: weights it reads are int8 (dequantized here)
                String f = formOf(n, u.input(), w, u.nested() ? 8 : ctx.bits);
                if (u.nested() && f.equals("embed")) {
                    f = "dq:0";
                }
                String prev = form.putIfAbsent(w.getName(), f);
                firstUser.putIfAbsent(w.getName(), n);
                if (u.nested() && ctx.bits == 4 && prev == null) {
                    ctx.nestedInt8++;
                }
                if (prev != null && !prev.equals(f)) {
                    throw new UnsupportedOpException(
                            n.getOpType(),
                            n.getName(),
                            "weight '" + w.getName() + "' is shared with "
                                    + firstUser.get(w.getName()).getName() + " in another role");
                }
                if (f.equals("nbits") && uses.get(w.getName()).size() > 1) {
                    throw new UnsupportedOpException(
                            n.getOpType(), n.getName(), "4-bit weight '" + w.getName() + "' is shared");
                }
            }
        }
        if (ctx.bits == 4) {
            ctx.int8Convs += (int) form.entrySet().stream()
                    .filter(e -> e.getValue().startsWith("dq")
                            && firstUser.get(e.getKey()).getOpType().startsWith("Conv"))
                    .count();
        }
        boolean perAxis = ctx.opset >= 13;
        GraphProto.Builder out = g.toBuilder().clearNode().clearInitializer();
        List<NodeProto> prologue = new ArrayList<>();
        List<NodeProto> body = new ArrayList<>();
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
                ctx.count++;
                ctx.dequantized++;
            } else if (f.equals("embed")) {
                Int8 q = int8PerAxis(Tensors.toFloats(t), Tensors.dims(t), 0);
                out.addInitializer(
                        Tensors.bytes(t.getName() + "_quantized", DataType.INT8_VALUE, Tensors.dims(t), q.values));
                out.addInitializer(Tensors.floats(t.getName() + "_scale", new long[] {q.scales.length}, q.scales));
                ctx.count++;
            } else {
                ctx.count++;
            }
        }
        for (NodeProto n : g.getNodeList()) {
            String f = n.getInputCount() > 1 ? form.get(n.getInput(1)) : null;
            String f0 = n.getInputCount() > 0 ? form.get(n.getInput(0)) : null;
            if ("embed".equals(f0) && n.getOpType().equals("Gather")) {
                body.addAll(embeddingGather(n, out, ctx.opset));
            } else if ("nbits".equals(f)) {
                body.addAll(matMulNBits(n, inits.get(n.getInput(1)), out));
                ctx.usesNbits = true;
            } else {
                body.add(withQuantizedBranches(n, ctx));
            }
        }
        return out.addAllNode(prologue).addAllNode(body).build();
    }

    /** {@code n} with each of its graph attributes quantized; {@code n} itself when it has none. */
    private static NodeProto withQuantizedBranches(NodeProto n, Context ctx) {
        if (n.getAttributeList().stream().noneMatch(a -> a.hasG() || a.getGraphsCount() > 0)) {
            return n;
        }
        NodeProto.Builder b = n.toBuilder().clearAttribute();
        for (AttributeProto a : n.getAttributeList()) {
            AttributeProto.Builder ab = a.toBuilder();
            if (a.hasG()) {
                ab.setG(quantizeGraph(a.getG(), ctx, false));
            }
            if (a.getGraphsCount() > 0) {
                ab.clearGraphs();
                for (GraphProto sub : a.getGraphsList()) {
                    ab.addGraphs(quantizeGraph(sub, ctx, false));
                }
            }
            b.addAttribute(ab);
        }
        return b.build();
    }

    /** Every read of a name in {@code names} by a node of {@code g} or of a graph nested in it. */
    private static void collectUses(
            GraphProto g, java.util.Set<String> names, boolean nested, Map<String, List<Use>> out) {
        for (NodeProto n : g.getNodeList()) {
            for (int i = 0; i < n.getInputCount(); i++) {
                if (names.contains(n.getInput(i))) {
                    out.computeIfAbsent(n.getInput(i), k -> new ArrayList<>()).add(new Use(n, i, nested));
                }
            }
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) {
                    collectUses(a.getG(), names, true, out);
                }
                for (GraphProto sub : a.getGraphsList()) {
                    collectUses(sub, names, true, out);
                }
            }
        }
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
            case "Slice" -> {
                // a weight sliced before use (an exported LSTM cell's gate rows): rows keep their scales
                if (i == 0) {
                    return "dq:0";
                }
            }
            case "LSTM", "GRU", "RNN" -> {
                // W and R [directions, gates x hidden, input]: one scale per gate row
                if ((i == 1 || i == 2) && rank == 3) {
                    return "dq:1";
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
                        + " LSTM/GRU/RNN weights, sliced weights, Gather embedding tables");
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

    static long intAttrOf(NodeProto n, String name, long dflt) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return dflt;
    }

    static float floatAttrOf(NodeProto n, String name, float dflt) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getF();
            }
        }
        return dflt;
    }
}
