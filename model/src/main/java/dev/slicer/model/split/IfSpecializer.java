package dev.slicer.model.split;

import dev.slicer.model.ModelException;
import dev.slicer.model.onnx.proto.Onnx.AttributeProto;
import dev.slicer.model.onnx.proto.Onnx.GraphProto;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.NodeProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;
import dev.slicer.model.onnx.proto.Onnx.TensorShapeProto;
import dev.slicer.model.onnx.proto.Onnx.ValueInfoProto;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Inlines a top-level {@code If} whose condition is fixed for the model's inputs, so the network inside its taken
 * branch can be cut like any other. A condition qualifies when it is computed from constants, from the shapes of
 * graph inputs whose every dimension is fixed ({@code Shape}/{@code Size} of them: ONNX Runtime refuses any other
 * shape), and from integer or boolean <em>scalar</em> graph inputs (a flag, a sample rate), never from a tensor's
 * data or a symbolic size: those scalars are <em>pinned</em> to the values the condition was evaluated at, and a
 * request that gives another value must be refused ({@link SplittableModel#checkPinned}), because the inlined model
 * would answer it with the wrong branch. The condition must come out the same on every probe input, and the inlined
 * model must reproduce the original's outputs exactly on them; otherwise the {@code If} stays as it is.
 */
final class IfSpecializer {
    /** Inlining rounds: an inlined branch may itself hold an {@code If} on a pinned scalar. */
    private static final int MAX_ROUNDS = 8;

    /** The model after inlining, the scalar inputs it is valid for, and what was done. */
    record Result(ModelProto model, Map<String, HostTensor> pinned, List<String> notes) {}

    private IfSpecializer() {}

    static Result specialize(ModelProto model, List<Map<String, HostTensor>> probes) {
        ModelProto current = model;
        Map<String, HostTensor> pinned = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            ModelGraph graph = new ModelGraph(current);
            boolean changed = false;
            for (int i = 0; i < graph.size() && !changed; i++) {
                NodeProto n = graph.node(i);
                if (!n.getOpType().equals("If") || !n.getDomain().isEmpty() || n.getInputCount() == 0) {
                    continue;
                }
                Set<String> scalars = conditionInputs(graph, n.getInput(0));
                if (scalars == null || !samePerProbe(scalars, probes)) {
                    continue; // the condition reads a tensor's data or size: it can change per request
                }
                Boolean taken = condition(current, n.getInput(0), probes);
                if (taken == null) {
                    continue;
                }
                ModelProto inlined;
                try {
                    inlined = inline(current, i, taken);
                } catch (IllegalArgumentException e) {
                    notes.add("If '" + n.getName() + "' not inlined: " + e.getMessage());
                    continue;
                }
                if (!sameOutputs(current, inlined, probes)) {
                    notes.add("If '" + n.getName() + "' not inlined: the inlined model's outputs differ");
                    continue;
                }
                for (String s : scalars) {
                    pinned.put(s, probes.get(0).get(s));
                }
                notes.add("If '" + n.getName() + "' inlined (" + (taken ? "then" : "else") + " branch, "
                        + branchSize(n, taken) + " nodes)"
                        + (scalars.isEmpty() ? ": its condition is constant" : " for " + describe(scalars, probes)));
                current = inlined;
                changed = true;
            }
            if (!changed) {
                break;
            }
        }
        return new Result(current, pinned, notes);
    }

    /**
     * The scalar graph inputs the condition is computed from (empty for a constant condition), or null when it
     * reads any other graph input.
     */
    private static Set<String> conditionInputs(ModelGraph graph, String condition) {
        Set<String> from = new TreeSet<>();
        if (graph.graphInputs().containsKey(condition)) {
            from.add(condition);
        }
        BitSet up = graph.ancestors(List.of(condition), Set.of());
        for (int p = up.nextSetBit(0); p >= 0; p = up.nextSetBit(p + 1)) {
            NodeProto node = graph.node(p);
            boolean readsShapeOnly = node.getDomain().isEmpty() && SHAPE_READS.contains(node.getOpType());
            for (String in : graph.inputsOf(p)) {
                ValueInfoProto declared = graph.graphInputs().get(in);
                if (declared != null && !(readsShapeOnly && isFixedShape(declared))) {
                    from.add(in);
                }
            }
        }
        for (String in : from) {
            if (!isIntegerScalar(graph.graphInputs().get(in))) {
                return null;
            }
        }
        return from;
    }

    /** Whether every probe gives each scalar the same value (the one the model is then pinned to). */
    private static boolean samePerProbe(Set<String> scalars, List<Map<String, HostTensor>> probes) {
        for (String s : scalars) {
            for (Map<String, HostTensor> in : probes) {
                if (in.get(s) == null || !in.get(s).equals(probes.get(0).get(s))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Operators that read only their input's shape, never its data. */
    private static final Set<String> SHAPE_READS = Set.of("Shape", "Size");

    /** Whether every dimension of the input is declared as a number. */
    private static boolean isFixedShape(ValueInfoProto in) {
        var t = in.getType().getTensorType();
        if (!t.hasShape()) {
            return false;
        }
        for (TensorShapeProto.Dimension d : t.getShape().getDimList()) {
            if (!d.hasDimValue()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIntegerScalar(ValueInfoProto in) {
        var t = in.getType().getTensorType();
        int type = t.getElemType();
        boolean integer = type == DataType.INT64_VALUE
                || type == DataType.INT32_VALUE
                || type == DataType.BOOL_VALUE
                || type == DataType.INT8_VALUE
                || type == DataType.UINT8_VALUE;
        if (!integer || !t.hasShape()) {
            return false;
        }
        for (TensorShapeProto.Dimension d : t.getShape().getDimList()) {
            if (!d.hasDimValue() || d.getDimValue() != 1) {
                return false;
            }
        }
        return true;
    }

    /** The condition's value, if it is the same on every probe input (and the model runs on them). */
    private static Boolean condition(ModelProto model, String condition, List<Map<String, HostTensor>> probes) {
        GraphProto.Builder g = model.getGraph().toBuilder();
        if (model.getGraph().getOutputList().stream().noneMatch(o -> o.getName().equals(condition))) {
            g.addOutput(ValueInfoProto.newBuilder().setName(condition));
        }
        Boolean value = null;
        try (ModelRunner r = new ModelRunner(model.toBuilder().setGraph(g).build(), "condition probe")) {
            for (Map<String, HostTensor> in : probes) {
                HostTensor c = r.run(in).get(condition);
                if (c == null || c.elementCount() != 1) {
                    return null;
                }
                boolean v = c.value(0) != 0;
                if (value != null && value != v) {
                    return null;
                }
                value = v;
            }
        } catch (ModelException e) {
            return null;
        }
        return value;
    }

    /** The model with the {@code If} at {@code position} replaced by its taken branch. */
    static ModelProto inline(ModelProto model, int position, boolean taken) {
        GraphProto g = model.getGraph();
        NodeProto n = g.getNode(position);
        GraphProto branch = null;
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(taken ? "then_branch" : "else_branch")) {
                branch = a.getG();
            }
        }
        if (branch == null) {
            throw new IllegalArgumentException("it has no " + (taken ? "then" : "else") + " branch");
        }
        if (branch.getOutputCount() != n.getOutputCount()) {
            throw new IllegalArgumentException(
                    "its branch has " + branch.getOutputCount() + " outputs, the node " + n.getOutputCount());
        }
        if (branch.getSparseInitializerCount() > 0) {
            throw new IllegalArgumentException("its branch has sparse initializers");
        }
        Set<String> names = new HashSet<>();
        g.getInitializerList().forEach(t -> names.add(t.getName()));
        g.getInputList().forEach(v -> names.add(v.getName()));
        g.getNodeList().forEach(m -> names.addAll(m.getOutputList()));
        GraphProto.Builder out = g.toBuilder().clearNode();
        for (int i = 0; i < g.getNodeCount(); i++) {
            if (i != position) {
                out.addNode(g.getNode(i));
                continue;
            }
            for (NodeProto inner : branch.getNodeList()) {
                for (String o : inner.getOutputList()) {
                    if (!o.isEmpty() && names.contains(o)) {
                        throw new IllegalArgumentException("its branch redefines '" + o + "'");
                    }
                }
                out.addNode(inner);
            }
            for (int k = 0; k < n.getOutputCount(); k++) {
                if (n.getOutput(k).isEmpty()) {
                    continue;
                }
                out.addNode(NodeProto.newBuilder()
                        .setOpType("Identity")
                        .setName(n.getName() + "/inlined_output_" + k)
                        .addInput(branch.getOutput(k).getName())
                        .addOutput(n.getOutput(k)));
            }
        }
        for (TensorProto t : branch.getInitializerList()) {
            if (names.contains(t.getName())) {
                throw new IllegalArgumentException("its branch redefines initializer '" + t.getName() + "'");
            }
            out.addInitializer(t);
        }
        return model.toBuilder().setGraph(out).build();
    }

    /**
     * Whether both models give the same outputs on every probe input: integer outputs equal, float outputs within
     * the verification tolerance (ONNX Runtime may fuse the inlined nodes differently, which moves the last bits).
     */
    private static boolean sameOutputs(ModelProto a, ModelProto b, List<Map<String, HostTensor>> probes) {
        try (ModelRunner ra = new ModelRunner(a, "original");
                ModelRunner rb = new ModelRunner(b, "inlined")) {
            for (Map<String, HostTensor> in : probes) {
                Map<String, HostTensor> x = ra.run(in);
                Map<String, HostTensor> y = rb.run(in);
                if (!x.keySet().equals(y.keySet())) {
                    return false;
                }
                for (Map.Entry<String, HostTensor> e : x.entrySet()) {
                    if (!close(e.getValue(), y.get(e.getKey()))) {
                        return false;
                    }
                }
            }
            return true;
        } catch (ModelException e) {
            return false;
        }
    }

    private static boolean close(HostTensor x, HostTensor y) {
        if (x.dataType() != y.dataType() || !java.util.Arrays.equals(x.shape(), y.shape())) {
            return false;
        }
        if (!x.isFloat()) {
            return x.equals(y);
        }
        float[] a = x.floats();
        float[] b = y.floats();
        double max = 0;
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            if (Float.isNaN(a[i]) != Float.isNaN(b[i])) {
                return false;
            }
            max = Math.max(max, Math.abs(a[i]));
            diff = Math.max(diff, Math.abs((double) a[i] - b[i]));
        }
        return diff <= SplitVerifier.tolerance(max);
    }

    private static int branchSize(NodeProto n, boolean taken) {
        return n.getAttributeList().stream()
                .filter(a -> a.getName().equals(taken ? "then_branch" : "else_branch"))
                .mapToInt(a -> a.getG().getNodeCount())
                .sum();
    }

    private static String describe(Set<String> scalars, List<Map<String, HostTensor>> probes) {
        List<String> parts = new ArrayList<>();
        for (String s : scalars) {
            parts.add(s + " = " + (long) probes.get(0).get(s).value(0));
        }
        return String.join(", ", parts);
    }
}
