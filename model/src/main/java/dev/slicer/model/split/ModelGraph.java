package dev.slicer.model.split;

import dev.slicer.model.InvalidModelException;
import dev.slicer.model.onnx.Tensors;
import dev.slicer.model.onnx.proto.Onnx.AttributeProto;
import dev.slicer.model.onnx.proto.Onnx.GraphProto;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.NodeProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto;
import dev.slicer.model.onnx.proto.Onnx.ValueInfoProto;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Static view of an ONNX graph: nodes in a stable topological order, producers and consumers of
 * every tensor, initializers, module paths parsed from node names, and the set of
 * <em>derivable</em> tensors (computable cheaply from graph inputs and small constants alone, such
 * as attention masks, rotary tables and shape arithmetic), which a back part can recompute instead
 * of receiving them.
 */
public final class ModelGraph {
    /** Operators that carry the model's compute; their outputs are never treated as derivable. */
    static final Set<String> HEAVY_OPS = Set.of(
            "MatMul",
            "Gemm",
            "Conv",
            "ConvTranspose",
            "MatMulInteger",
            "QLinearMatMul",
            "QLinearConv",
            "MatMulNBits",
            "Attention",
            "MultiHeadAttention",
            "GroupQueryAttention",
            "LSTM",
            "GRU",
            "RNN",
            "Einsum",
            "ConvInteger");
    /** Initializers up to this many elements count as small constants. */
    static final long SMALL_CONSTANT_ELEMENTS = 4096;

    private final ModelProto model;
    private final GraphProto graph;
    private final List<NodeProto> order;
    private final List<List<String>> nodeInputs;
    private final Map<String, Integer> producer = new HashMap<>();
    private final Map<String, List<Integer>> consumers = new HashMap<>();
    private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
    private final Map<String, ValueInfoProto> graphInputs = new LinkedHashMap<>();
    private final Map<String, ValueInfoProto> graphOutputs = new LinkedHashMap<>();
    private final Map<String, ValueInfoProto> valueInfos = new HashMap<>();
    private final Set<String> derivable = new HashSet<>();
    private final List<String> modulePaths;

    public ModelGraph(ModelProto model) {
        this.model = model;
        this.graph = model.getGraph();
        for (TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        for (ValueInfoProto v : graph.getInputList()) {
            if (!initializers.containsKey(v.getName())) {
                graphInputs.put(v.getName(), v);
            }
        }
        for (ValueInfoProto v : graph.getOutputList()) {
            graphOutputs.put(v.getName(), v);
        }
        for (ValueInfoProto v : graph.getValueInfoList()) {
            valueInfos.put(v.getName(), v);
        }
        List<List<String>> rawInputs = new ArrayList<>();
        for (NodeProto n : graph.getNodeList()) {
            rawInputs.add(inputsWithOuterReferences(n));
        }
        int[] perm = topologicalOrder(rawInputs);
        List<NodeProto> ord = new ArrayList<>(perm.length);
        List<List<String>> ins = new ArrayList<>(perm.length);
        for (int p : perm) {
            ord.add(graph.getNode(p));
            ins.add(rawInputs.get(p));
        }
        this.order = List.copyOf(ord);
        this.nodeInputs = List.copyOf(ins);
        for (String in : graphInputs.keySet()) {
            producer.put(in, -1);
        }
        for (int i = 0; i < order.size(); i++) {
            for (String out : order.get(i).getOutputList()) {
                if (!out.isEmpty()) {
                    producer.put(out, i);
                }
            }
            for (String in : nodeInputs.get(i)) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
            }
        }
        for (String out : graphOutputs.keySet()) {
            if (!producer.containsKey(out) && !initializers.containsKey(out)) {
                throw new InvalidModelException("graph output '" + out + "' is not produced by any node");
            }
        }
        derivable.addAll(graphInputs.keySet());
        for (int i = 0; i < order.size(); i++) {
            NodeProto n = order.get(i);
            if (isLight(n, nodeInputs.get(i))) {
                for (String out : n.getOutputList()) {
                    if (!out.isEmpty()) {
                        derivable.add(out);
                    }
                }
            }
        }
        List<String> paths = new ArrayList<>(order.size());
        for (NodeProto n : order) {
            paths.add(modulePath(n.getName()));
        }
        this.modulePaths = List.copyOf(paths);
    }

    private boolean isLight(NodeProto n, List<String> inputs) {
        if (HEAVY_OPS.contains(n.getOpType())) {
            return false;
        }
        for (AttributeProto a : n.getAttributeList()) {
            if (a.hasG() || a.getGraphsCount() > 0) {
                return false;
            }
            if (a.hasT() && Tensors.elementCount(a.getT()) > SMALL_CONSTANT_ELEMENTS) {
                return false;
            }
        }
        for (String in : inputs) {
            if (in.isEmpty()) {
                continue;
            }
            TensorProto init = initializers.get(in);
            if (init != null) {
                if (Tensors.elementCount(init) > SMALL_CONSTANT_ELEMENTS) {
                    return false;
                }
            } else if (!derivable.contains(in)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> inputsWithOuterReferences(NodeProto n) {
        List<String> ins = new ArrayList<>(n.getInputList());
        Set<String> outer = new LinkedHashSet<>();
        for (AttributeProto a : n.getAttributeList()) {
            if (a.hasG()) {
                collectOuter(a.getG(), outer);
            }
            for (GraphProto g : a.getGraphsList()) {
                collectOuter(g, outer);
            }
        }
        for (String o : outer) {
            if (!ins.contains(o)) {
                ins.add(o);
            }
        }
        return ins;
    }

    private static void collectOuter(GraphProto g, Set<String> outer) {
        Set<String> defined = new HashSet<>();
        g.getInputList().forEach(v -> defined.add(v.getName()));
        g.getInitializerList().forEach(t -> defined.add(t.getName()));
        for (NodeProto n : g.getNodeList()) {
            defined.addAll(n.getOutputList());
        }
        for (NodeProto n : g.getNodeList()) {
            for (String in : inputsWithOuterReferences(n)) {
                if (!in.isEmpty() && !defined.contains(in)) {
                    outer.add(in);
                }
            }
        }
        for (ValueInfoProto o : g.getOutputList()) {
            if (!defined.contains(o.getName())) {
                outer.add(o.getName());
            }
        }
    }

    /** Kahn's algorithm, preferring the original node order among ready nodes. */
    private int[] topologicalOrder(List<List<String>> inputs) {
        int n = graph.getNodeCount();
        Map<String, Integer> producedBy = new HashMap<>();
        for (int i = 0; i < n; i++) {
            for (String out : graph.getNode(i).getOutputList()) {
                if (!out.isEmpty() && producedBy.put(out, i) != null) {
                    throw new InvalidModelException("tensor '" + out + "' is produced by more than one node");
                }
            }
        }
        int[] pending = new int[n];
        List<List<Integer>> dependents = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dependents.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            for (String in : inputs.get(i)) {
                if (in.isEmpty() || initializers.containsKey(in) || graphInputs.containsKey(in)) {
                    continue;
                }
                Integer p = producedBy.get(in);
                if (p == null) {
                    throw new InvalidModelException("node '" + graph.getNode(i).getName() + "' ("
                            + graph.getNode(i).getOpType() + ") reads tensor '" + in + "' that nothing defines");
                }
                pending[i]++;
                dependents.get(p).add(i);
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < n; i++) {
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        int[] out = new int[n];
        int k = 0;
        while (!ready.isEmpty()) {
            int i = ready.poll();
            out[k++] = i;
            for (int d : dependents.get(i)) {
                if (--pending[d] == 0) {
                    ready.add(d);
                }
            }
        }
        if (k != n) {
            throw new InvalidModelException("graph has a cycle (" + (n - k) + " nodes never become ready)");
        }
        return out;
    }

    /**
     * Module path of a node name: {@code /encoder/layer.3/attention/self/query/MatMul} ->
     * {@code encoder.layer.3.attention.self.query}; {@code /layer1/layer1.0/conv1/Conv} ->
     * {@code layer1.0.conv1}; {@code model.layers.2.mlp/Mul} -> {@code model.layers.2.mlp}; a
     * dotted name without a slash is its own path; other names have none (empty string).
     */
    public static String modulePath(String nodeName) {
        if (nodeName.contains("/")) {
            String[] parts = nodeName.split("/");
            String path = "";
            for (int i = 0; i < parts.length - 1; i++) {
                String c = parts[i];
                if (c.isEmpty()) {
                    continue;
                }
                if (!path.isEmpty() && c.startsWith(path + ".")) {
                    path = c;
                } else {
                    path = path.isEmpty() ? c : path + "." + c;
                }
            }
            return path;
        }
        if (nodeName.contains(".") && !FLAT_NAME.matcher(nodeName).matches()) {
            return nodeName;
        }
        return "";
    }

    /** Per-node names without hierarchy: {@code p2o.Conv.36}, {@code Conv.3} (exporter prefix, op type, counter). */
    private static final java.util.regex.Pattern FLAT_NAME =
            java.util.regex.Pattern.compile("([A-Za-z0-9_]+\\.)?[A-Z][A-Za-z0-9]*\\.\\d+");

    public ModelProto model() {
        return model;
    }

    public int size() {
        return order.size();
    }

    public NodeProto node(int position) {
        return order.get(position);
    }

    public List<String> inputsOf(int position) {
        return nodeInputs.get(position);
    }

    public String modulePathAt(int position) {
        return modulePaths.get(position);
    }

    public Map<String, TensorProto> initializers() {
        return initializers;
    }

    public Map<String, ValueInfoProto> graphInputs() {
        return graphInputs;
    }

    public Map<String, ValueInfoProto> graphOutputs() {
        return graphOutputs;
    }

    /** Position of the node producing {@code tensor}; -1 for graph inputs; null if unknown or an initializer. */
    public Integer producer(String tensor) {
        return producer.get(tensor);
    }

    public boolean isInitializer(String tensor) {
        return initializers.containsKey(tensor);
    }

    public boolean isDerivable(String tensor) {
        return derivable.contains(tensor) || initializers.containsKey(tensor);
    }

    public boolean hasTensor(String name) {
        return producer.containsKey(name) || initializers.containsKey(name);
    }

    /** Non-initializer tensors available after {@code position} that a later node reads. */
    public Set<String> neededAfter(int position) {
        Set<String> out = new LinkedHashSet<>();
        for (int j = position + 1; j < order.size(); j++) {
            for (String in : nodeInputs.get(j)) {
                if (in.isEmpty() || initializers.containsKey(in)) {
                    continue;
                }
                Integer p = producer.get(in);
                if (p != null && p <= position) {
                    out.add(in);
                }
            }
        }
        return out;
    }

    /**
     * Positions of the nodes needed to compute {@code targets}, walking back from them and stopping
     * at graph inputs, initializers and the tensors in {@code stops}.
     */
    public BitSet ancestors(Collection<String> targets, Set<String> stops) {
        BitSet seen = new BitSet(order.size());
        Deque<String> work = new ArrayDeque<>(targets);
        Set<String> visited = new HashSet<>();
        while (!work.isEmpty()) {
            String t = work.pop();
            if (!visited.add(t) || stops.contains(t) || initializers.containsKey(t)) {
                continue;
            }
            Integer p = producer.get(t);
            if (p == null || p < 0 || seen.get(p)) {
                continue;
            }
            seen.set(p);
            for (String in : nodeInputs.get(p)) {
                if (!in.isEmpty()) {
                    work.push(in);
                }
            }
        }
        return seen;
    }

    /** Bytes of the initializers read by the nodes at {@code positions}, each counted once. */
    public long parameterBytes(BitSet positions) {
        Set<String> used = new HashSet<>();
        long total = 0;
        for (int p = positions.nextSetBit(0); p >= 0; p = positions.nextSetBit(p + 1)) {
            for (String in : nodeInputs.get(p)) {
                TensorProto t = initializers.get(in);
                if (t != null && used.add(in)) {
                    total += Tensors.byteSize(t);
                }
            }
        }
        return total;
    }

    /** Bytes of all initializers that some node reads. */
    public long totalParameterBytes() {
        BitSet all = new BitSet();
        all.set(0, order.size());
        return parameterBytes(all);
    }

    /**
     * A standalone model with the nodes at {@code positions} (in topological order), the given
     * graph inputs and outputs, and only the initializers those nodes read.
     */
    public ModelProto subModel(
            String name, BitSet positions, List<ValueInfoProto> inputs, List<ValueInfoProto> outputs) {
        GraphProto.Builder g = GraphProto.newBuilder().setName(name);
        Set<String> usedInits = new LinkedHashSet<>();
        Set<String> tensors = new HashSet<>();
        for (int p = positions.nextSetBit(0); p >= 0; p = positions.nextSetBit(p + 1)) {
            g.addNode(order.get(p));
            for (String in : nodeInputs.get(p)) {
                if (initializers.containsKey(in)) {
                    usedInits.add(in);
                }
                tensors.add(in);
            }
            tensors.addAll(order.get(p).getOutputList());
        }
        Set<String> inputNames = new HashSet<>();
        for (ValueInfoProto v : inputs) {
            g.addInput(v);
            inputNames.add(v.getName());
        }
        for (ValueInfoProto v : outputs) {
            g.addOutput(v);
        }
        for (String i : usedInits) {
            if (!inputNames.contains(i)) {
                g.addInitializer(initializers.get(i));
            }
        }
        for (ValueInfoProto v : graph.getValueInfoList()) {
            if (tensors.contains(v.getName()) && !inputNames.contains(v.getName())) {
                g.addValueInfo(v);
            }
        }
        return model.toBuilder().setGraph(g).build();
    }

    /** The value info declared for {@code tensor} (graph input/output or value_info), or null. */
    public ValueInfoProto declaredValueInfo(String tensor) {
        ValueInfoProto v = graphInputs.get(tensor);
        if (v == null) {
            v = graphOutputs.get(tensor);
        }
        if (v == null) {
            v = valueInfos.get(tensor);
        }
        return v;
    }

    /** Graph outputs produced at or before {@code position}, in declaration order. */
    public List<String> outputsProducedUpTo(int position) {
        List<String> out = new ArrayList<>();
        for (String o : graphOutputs.keySet()) {
            Integer p = producer.get(o);
            if (p != null && p >= 0 && p <= position) {
                out.add(o);
            }
        }
        return out;
    }
}
