package dev.slicer.model.split;

import dev.slicer.model.CandidateOutOfRangeException;
import dev.slicer.model.InvalidModelException;
import dev.slicer.model.ModelException;
import dev.slicer.model.PinnedInputException;
import dev.slicer.model.UnknownTensorException;
import dev.slicer.model.builder.GraphBuilder;
import dev.slicer.model.builtin.BuiltinModels;
import dev.slicer.model.onnx.ConstantWeights;
import dev.slicer.model.onnx.OnnxIo;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;
import dev.slicer.model.onnx.proto.Onnx.ValueInfoProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX model with its split candidates. A position after node {@code i} of the topological
 * order is a candidate when the tensors the rest of the graph still needs from the front are one
 * large float activation plus small side tensors (each at most 1/8 of it, together at most 1/4),
 * once tensors derivable from graph inputs alone (masks, rotary tables, shape arithmetic) are set
 * aside: the back recomputes those from the shipped graph inputs. Candidates are named after the
 * module prefix of node names that ends at that position, preferring an indexed block
 * ({@code encoder.layer.3}, {@code model.layers.7}, {@code layer2.1}).
 */
public final class SplittableModel {
    /** A side tensor may be at most this fraction of the big activation. */
    public static final double MAX_SIDE_FRACTION = 1.0 / 8;
    /** All side tensors together may be at most this fraction of the big activation. */
    public static final double MAX_SIDE_TOTAL_FRACTION = 1.0 / 4;
    /** Reference sequence length for shapes, bytes and FLOPs. */
    public static final int REFERENCE_SEQUENCE = 16;
    /** Reference past length for models with a KV cache. */
    public static final int REFERENCE_PAST = 4;

    private final String name;
    private final ModelProto model;
    private final ModelGraph graph;
    private final SampleInputs.Dims referenceDims;
    private final SampleInputs.Dims alternateDims;
    private final Map<String, TensorInfo> infos;
    private final List<SplitCandidate> candidates;
    private final Map<String, HostTensor> pinned;
    private final List<String> specializationNotes;

    private SplittableModel(String name, ModelProto model, Map<String, long[]> givenShapes) {
        this(name, model, givenShapes, Map.of());
    }

    private SplittableModel(
            String name, ModelProto model, Map<String, long[]> givenShapes, Map<String, HostTensor> samples) {
        this.name = name;
        ModelProto promoted = ConstantWeights.promote(model);
        boolean kv = SampleInputs.hasKvCache(promoted);
        SampleInputs.Dims ref = new SampleInputs.Dims(1, REFERENCE_SEQUENCE, kv ? REFERENCE_PAST : 0)
                .withShapes(givenShapes)
                .withValues(samples);
        SampleInputs.Dims alt = new SampleInputs.Dims(2, REFERENCE_SEQUENCE + 5, kv ? REFERENCE_PAST + 2 : 0)
                .withSpatial(96, 96)
                .withSamples(SampleInputs.DEFAULT_SAMPLES + 64)
                .withShapes(givenShapes)
                .withValues(samples);
        IfSpecializer.Result specialized = specialize(promoted, ref, alt);
        this.model = specialized.model();
        this.pinned = Map.copyOf(specialized.pinned());
        this.specializationNotes = List.copyOf(specialized.notes());
        this.graph = new ModelGraph(this.model);
        // Invented sizes the model may reject (strided detectors, fixed-height recognizers, STFT
        // front ends): try multiples of 32 before giving up, and say what was tried.
        List<SampleInputs.Dims[]> attempts = List.of(
                new SampleInputs.Dims[] {ref, alt},
                new SampleInputs.Dims[] {ref, alt.withSpatial(64, 96)},
                new SampleInputs.Dims[] {ref, alt.withSpatial(96, 64)},
                new SampleInputs.Dims[] {ref.withSpatial(32, 32), alt.withSpatial(32, 64)},
                new SampleInputs.Dims[] {ref.withSpatial(32, 32), alt.withSpatial(64, 64)});
        Map<String, TensorInfo> probed = null;
        List<String> failures = new ArrayList<>();
        for (SampleInputs.Dims[] a : attempts) {
            try {
                probed = ShapeProbe.probe(this.model, a[0], a[1], 7);
                ref = a[0];
                alt = a[1];
                break;
            } catch (InvalidModelException e) {
                failures.add(a[0].height() + "x" + a[0].width() + "/" + a[1].height() + "x" + a[1].width() + ": "
                        + e.getMessage());
            }
        }
        if (probed == null) {
            throw new InvalidModelException("ONNX Runtime cannot run " + name + " on any invented input sizes"
                    + " (give shapes with --input NAME=DxDx...); tried image sides " + String.join("; ", failures));
        }
        this.referenceDims = ref;
        this.alternateDims = alt;
        this.infos = probed;
        this.candidates = List.copyOf(discover());
    }

    /**
     * Inlines the {@code If} nodes whose condition is fixed for the probe inputs ({@link IfSpecializer}); a model
     * without a top-level {@code If}, or one the probes cannot run, is left as it is.
     */
    private static IfSpecializer.Result specialize(ModelProto model, SampleInputs.Dims ref, SampleInputs.Dims alt) {
        IfSpecializer.Result none = new IfSpecializer.Result(model, Map.of(), List.of());
        if (model.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("If"))) {
            return none;
        }
        try {
            return IfSpecializer.specialize(
                    model, List.of(SampleInputs.generate(model, ref, 7), SampleInputs.generate(model, alt, 8)));
        } catch (RuntimeException e) {
            return none;
        }
    }

    /**
     * Scalar inputs the model was specialized for: an inlined {@code If} took its branch for these values, so a
     * request must give exactly them ({@link #checkPinned}). Empty for most models.
     */
    public Map<String, HostTensor> pinnedInputs() {
        return pinned;
    }

    /** What the specialization did (or why an {@code If} stayed), one line each. */
    public List<String> specializationNotes() {
        return specializationNotes;
    }

    /** Refuses inputs that give a pinned scalar another value: the specialized model would answer them wrongly. */
    public void checkPinned(Map<String, HostTensor> inputs) {
        for (Map.Entry<String, HostTensor> p : pinned.entrySet()) {
            HostTensor given = inputs.get(p.getKey());
            if (given != null && !given.equals(p.getValue())) {
                throw new PinnedInputException("input '" + p.getKey() + "' must be "
                        + (long) p.getValue().value(0)
                        + ": " + name + " is served specialized for that value (an If on it was inlined so the"
                        + " network inside can be split); got "
                        + (given.elementCount() == 1 ? (long) given.value(0) : given.toString()));
            }
        }
    }

    /** Resolves {@code uri} ({@code builtin:...}, path or URL), reads and analyses the model. */
    public static SplittableModel load(String uri) {
        return load(uri, Map.of());
    }

    /** As {@link #load(String)}, with the shapes of some inputs given ({@code x -> [1,3,640,640]}). */
    public static SplittableModel load(String uri, Map<String, long[]> givenShapes) {
        Path p = BuiltinModels.resolve(uri);
        return new SplittableModel(uri, OnnxIo.load(p), givenShapes);
    }

    /**
     * As {@link #load(String, Map)}, with sample tensors from {@code samples} ({@code input_N.pb} or
     * {@code NAME.npy}, see {@link SampleTensors}) used as those inputs' values everywhere; null for none.
     */
    public static SplittableModel load(String uri, Map<String, long[]> givenShapes, Path samples) {
        return load(uri, givenShapes, samples, ImagePreprocessing.DEFAULT);
    }

    /** As {@link #load(String, Map, Path)}, with image samples made tensors by {@code images}. */
    public static SplittableModel load(
            String uri, Map<String, long[]> givenShapes, Path samples, ImagePreprocessing images) {
        if (samples == null) {
            return load(uri, givenShapes);
        }
        ModelProto proto = OnnxIo.load(BuiltinModels.resolve(uri));
        return new SplittableModel(uri, proto, givenShapes, SampleTensors.load(samples, proto, images));
    }

    public static SplittableModel of(ModelProto model, String name) {
        return new SplittableModel(name, model, Map.of());
    }

    /** How each graph input of the verification run is made (given, text, or invented and by which rule). */
    public List<String> inputNotes() {
        return SampleInputs.describe(model, alternateDims);
    }

    /**
     * Why the model has no split candidate, or empty when it has some: a network inside a
     * subgraph ({@code If}/{@code Loop}/{@code Scan}) whose condition depends on the inputs cannot
     * be cut at top level.
     */
    public java.util.Optional<String> noCandidateReason() {
        if (!candidates.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(
                opaqueSubgraph().orElse("no position has one large float activation plus small side tensors"));
    }

    /**
     * When most of the network sits inside one subgraph node ({@code If}/{@code Loop}/{@code Scan})
     * whose condition or trip count depends on graph inputs, the cuts inside it are out of reach:
     * says which node and which inputs.
     */
    public java.util.Optional<String> opaqueSubgraph() {
        for (int i = 0; i < graph.size(); i++) {
            var n = graph.node(i);
            long inner = n.getAttributeList().stream()
                    .mapToLong(a -> (a.hasG() ? a.getG().getNodeCount() : 0)
                            + a.getGraphsList().stream()
                                    .mapToLong(sg -> sg.getNodeCount())
                                    .sum())
                    .sum();
            if (inner <= graph.size() || n.getInputCount() == 0) {
                continue;
            }
            String control = n.getInput(0);
            Set<String> from = new java.util.TreeSet<>();
            if (graph.graphInputs().containsKey(control)) {
                from.add(control);
            }
            BitSet up = graph.ancestors(List.of(control), Set.of());
            for (int p = up.nextSetBit(0); p >= 0; p = up.nextSetBit(p + 1)) {
                graph.inputsOf(p).stream()
                        .filter(graph.graphInputs()::containsKey)
                        .forEach(from::add);
            }
            if (from.isEmpty()) {
                continue; // constant condition: the branch could be inlined (not done yet)
            }
            return java.util.Optional.of("the network (" + inner + " nodes in its branches) sits inside "
                    + n.getOpType() + " '" + n.getName() + "' whose "
                    + (n.getOpType().equals("If") ? "condition" : "trip count") + " depends on input "
                    + String.join(", ", from) + "; only the " + graph.size() + " top-level nodes can be cut");
        }
        return java.util.Optional.empty();
    }

    public String name() {
        return name;
    }

    public ModelProto model() {
        return model;
    }

    public ModelGraph graph() {
        return graph;
    }

    public SampleInputs.Dims referenceDims() {
        return referenceDims;
    }

    /** Inputs for a verification run: batch 2, past length > 0 when the model has a KV cache. */
    public SampleInputs.Dims verificationDims() {
        return alternateDims;
    }

    public List<SplitCandidate> candidates() {
        return candidates;
    }

    public SplitCandidate candidate(int index) {
        if (index < 0 || index >= candidates.size()) {
            throw new CandidateOutOfRangeException(index, candidates.size(), name);
        }
        return candidates.get(index);
    }

    /** Candidate by index ("3") or name ("encoder.layer.3"). */
    public SplitCandidate candidate(String indexOrName) {
        if (indexOrName.matches("-?\\d+")) {
            return candidate(Integer.parseInt(indexOrName));
        }
        for (SplitCandidate c : candidates) {
            if (c.name().equals(indexOrName)) {
                return c;
            }
        }
        throw new ModelException("no split candidate named '" + indexOrName + "' in " + name + "; candidates: "
                + String.join(
                        ", ", candidates.stream().map(SplitCandidate::name).toList()));
    }

    /** Type and shapes of a tensor observed at the reference sizes; null for initializers. */
    public TensorInfo tensorInfo(String tensor) {
        return infos.get(tensor);
    }

    public Map<String, TensorInfo> tensorInfos() {
        return infos;
    }

    /** Cut right after the node producing {@code tensor}; ships every tensor the rest still needs. */
    public SplitCandidate candidateAtTensor(String tensor) {
        if (!graph.hasTensor(tensor)) {
            throw new UnknownTensorException(tensor, name);
        }
        Integer pos = graph.producer(tensor);
        if (pos == null || pos < 0) {
            throw new ModelException(
                    "cannot split at '" + tensor + "' in " + name + ": it is a graph input or initializer");
        }
        SplitCandidate c = describe(-1, tensor, pos, true);
        if (c == null) {
            throw new ModelException("cannot split at '" + tensor + "' in " + name
                    + ": no activation computed up to it is read later (nothing to ship)");
        }
        return c;
    }

    /** True when the node at {@code pos} or one of the {@link #BOUNDARY_REGION} before it quantizes an activation. */
    private boolean quantizes(int pos) {
        for (int p = Math.max(0, pos - BOUNDARY_REGION); p <= pos; p++) {
            String op = graph.node(p).getOpType();
            if (op.equals("DynamicQuantizeLinear") || op.equals("QuantizeLinear")) {
                return true;
            }
        }
        return false;
    }

    /** How many nodes before a module's last node a cut may move to stay a candidate. */
    static final int BOUNDARY_REGION = 8;

    private List<SplitCandidate> discover() {
        Map<String, Integer> lastPos = new HashMap<>();
        Map<String, Integer> firstPos = new HashMap<>();
        boolean hasPaths = false;
        for (int i = 0; i < graph.size(); i++) {
            String path = graph.modulePathAt(i);
            if (path.isEmpty()) {
                continue;
            }
            hasPaths = true;
            for (String p : prefixes(path)) {
                lastPos.put(p, i);
                firstPos.putIfAbsent(p, i);
            }
        }
        List<Integer> blockPositions = new ArrayList<>();
        List<SplitCandidate> out = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (int pos = 0; pos < graph.size() - 1; pos++) {
            String label;
            if (hasPaths) {
                label = chooseName(pos, lastPos, firstPos, blockPositions);
                if (label == null) {
                    continue;
                }
            } else {
                label = null;
            }
            SplitCandidate c = describe(out.size(), label, pos, false);
            if (c == null && label != null && quantizes(pos)) {
                // The module's last nodes may be bookkeeping of the next one (an int8 graph's
                // DynamicQuantizeLinear named after the LayerNorm leaves a uint8 copy live): cut at the
                // nearest earlier position of the boundary region that qualifies.
                int floor = out.isEmpty() ? -1 : out.get(out.size() - 1).position();
                for (int back = pos - 1; back > floor && back >= pos - BOUNDARY_REGION && c == null; back--) {
                    c = describe(out.size(), label, back, false);
                }
            }
            if (c == null) {
                continue;
            }
            if (!out.isEmpty() && out.get(out.size() - 1).activations().equals(c.activations())) {
                continue; // same cut as the previous candidate (only derivable nodes in between)
            }
            if (isIndexed(c.name())) {
                blockPositions.add(pos);
            }
            String unique = c.name();
            if (!used.add(unique)) {
                unique = unique + "@" + pos;
                used.add(unique);
            }
            out.add(new SplitCandidate(
                    out.size(),
                    unique,
                    c.position(),
                    c.nodeName(),
                    c.bigTensor(),
                    c.activations(),
                    c.sideInputs(),
                    c.backState(),
                    c.frontOutputs()));
        }
        return hasPaths ? out : oneCutPerHeavyOp(out);
    }

    /**
     * Without module names every qualifying position is a candidate (one per Relu, Add, ...). Keep
     * the last cut before each compute node (Conv, MatMul, ...): one candidate per layer, named
     * after its activation.
     */
    private List<SplitCandidate> oneCutPerHeavyOp(List<SplitCandidate> all) {
        List<SplitCandidate> kept = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            SplitCandidate c = all.get(i);
            boolean heavyBeforeNext = i + 1 == all.size();
            int nextPos = i + 1 < all.size() ? all.get(i + 1).position() : graph.size();
            for (int p = c.position() + 1; p <= nextPos && !heavyBeforeNext; p++) {
                heavyBeforeNext = ModelGraph.HEAVY_OPS.contains(graph.node(p).getOpType());
            }
            if (heavyBeforeNext) {
                kept.add(new SplitCandidate(
                        kept.size(),
                        c.name(),
                        c.position(),
                        c.nodeName(),
                        c.bigTensor(),
                        c.activations(),
                        c.sideInputs(),
                        c.backState(),
                        c.frontOutputs()));
            }
        }
        return kept;
    }

    private static List<String> prefixes(String path) {
        List<String> out = new ArrayList<>();
        int idx = path.indexOf('.');
        while (idx >= 0) {
            out.add(path.substring(0, idx));
            idx = path.indexOf('.', idx + 1);
        }
        out.add(path);
        return out;
    }

    /**
     * The shortest module prefix that ends at {@code pos}, preferring one whose last segment is an
     * index ({@code layer.3}); an unindexed prefix spanning an earlier indexed block (such as
     * {@code model} around {@code model.layers.N}) is skipped for a more specific one.
     */
    private String chooseName(
            int pos, Map<String, Integer> lastPos, Map<String, Integer> firstPos, List<Integer> blockPositions) {
        String path = graph.modulePathAt(pos);
        if (path.isEmpty()) {
            return null;
        }
        List<String> ending = new ArrayList<>();
        for (String p : prefixes(path)) {
            if (lastPos.get(p) == pos) {
                ending.add(p);
            }
        }
        if (ending.isEmpty()) {
            return null;
        }
        for (String p : ending) {
            if (isIndexed(p)) {
                return p;
            }
        }
        for (String p : ending) {
            int first = firstPos.get(p);
            if (blockPositions.stream().noneMatch(b -> b >= first)) {
                return p;
            }
        }
        return ending.get(ending.size() - 1);
    }

    private static boolean isIndexed(String name) {
        String last = name.substring(name.lastIndexOf('.') + 1);
        return !last.isEmpty() && last.chars().allMatch(Character::isDigit);
    }

    /** The candidate after {@code pos}, or null when it does not qualify (unless {@code force}). */
    private SplitCandidate describe(int index, String label, int pos, boolean force) {
        List<String> activations = new ArrayList<>();
        for (String t : graph.neededAfter(pos)) {
            if (!graph.isDerivable(t)) {
                activations.add(t);
            }
        }
        if (activations.isEmpty()) {
            return null;
        }
        activations.sort(Comparator.comparingLong((String t) -> bytes(t)).reversed());
        String big = activations.stream()
                .filter(t -> infos.containsKey(t) && infos.get(t).dataType() == DataType.FLOAT_VALUE)
                .findFirst()
                .orElse(null);
        if (!force) {
            if (big == null || !big.equals(activations.get(0))) {
                return null;
            }
            long bigBytes = bytes(big);
            long sideTotal = 0;
            for (String t : activations) {
                if (t.equals(big)) {
                    continue;
                }
                long b = bytes(t);
                if (b > bigBytes * MAX_SIDE_FRACTION) {
                    return null;
                }
                sideTotal += b;
            }
            if (sideTotal > bigBytes * MAX_SIDE_TOTAL_FRACTION) {
                return null;
            }
        } else if (big == null) {
            big = activations.get(0);
        } else {
            activations.remove(big);
            activations.add(0, big);
        }
        List<String> frontOutputs = graph.outputsProducedUpTo(pos);
        BitSet back = backPositions(pos, activations);
        List<String> side = new ArrayList<>();
        List<String> state = new ArrayList<>();
        Set<String> read = new HashSet<>();
        for (int p = back.nextSetBit(0); p >= 0; p = back.nextSetBit(p + 1)) {
            read.addAll(graph.inputsOf(p));
        }
        for (String in : graph.graphInputs().keySet()) {
            if (read.contains(in)) {
                (SampleInputs.isPastInput(in) ? state : side).add(in);
            }
        }
        String nodeName = graph.node(pos).getName();
        return new SplitCandidate(
                index, label != null ? label : big, pos, nodeName, big, activations, side, state, frontOutputs);
    }

    private long bytes(String tensor) {
        TensorInfo ti = infos.get(tensor);
        return ti == null ? 0 : ti.referenceBytes();
    }

    private BitSet backPositions(int pos, List<String> activations) {
        List<String> outs = new ArrayList<>();
        Set<String> produced = new HashSet<>(graph.outputsProducedUpTo(pos));
        for (String o : graph.graphOutputs().keySet()) {
            if (!produced.contains(o)) {
                outs.add(o);
            }
        }
        return graph.ancestors(outs, new HashSet<>(activations));
    }

    /** Extracts the standalone front and back models of a candidate. */
    public Split split(SplitCandidate c) {
        int pos = c.position();
        Set<String> frontOuts = new LinkedHashSet<>(c.activations());
        frontOuts.addAll(c.frontOutputs());
        BitSet front = graph.ancestors(frontOuts, Set.of());
        BitSet back = backPositions(pos, c.activations());
        for (int p = back.nextSetBit(0); p >= 0 && p <= pos; p = back.nextSetBit(p + 1)) {
            for (String out : graph.node(p).getOutputList()) {
                if (!out.isEmpty() && !graph.isDerivable(out)) {
                    throw new IllegalStateException("back part of " + c.name() + " would recompute '" + out + "'");
                }
            }
        }
        List<ValueInfoProto> frontInputs = graphInputsRead(front);
        List<ValueInfoProto> frontOutputs = new ArrayList<>();
        for (String t : frontOuts) {
            frontOutputs.add(valueInfo(t));
        }
        List<ValueInfoProto> backInputs = new ArrayList<>();
        for (String t : c.activations()) {
            backInputs.add(valueInfo(t));
        }
        backInputs.addAll(graphInputsRead(back));
        List<ValueInfoProto> backOutputs = new ArrayList<>();
        Set<String> fo = new HashSet<>(c.frontOutputs());
        for (Map.Entry<String, ValueInfoProto> e : graph.graphOutputs().entrySet()) {
            if (!fo.contains(e.getKey())) {
                backOutputs.add(e.getValue());
            }
        }
        String base = model.getGraph().getName();
        ModelProto frontModel = graph.subModel(base + "_front_" + c.name(), front, frontInputs, frontOutputs);
        ModelProto backModel = graph.subModel(base + "_back_" + c.name(), back, backInputs, backOutputs);
        return new Split(c, frontModel, backModel);
    }

    private List<ValueInfoProto> graphInputsRead(BitSet positions) {
        Set<String> read = new HashSet<>();
        for (int p = positions.nextSetBit(0); p >= 0; p = positions.nextSetBit(p + 1)) {
            read.addAll(graph.inputsOf(p));
        }
        List<ValueInfoProto> out = new ArrayList<>();
        for (Map.Entry<String, ValueInfoProto> e : graph.graphInputs().entrySet()) {
            if (read.contains(e.getKey())) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    private ValueInfoProto valueInfo(String tensor) {
        ValueInfoProto declared = graph.graphOutputs().get(tensor);
        if (declared != null) {
            return declared;
        }
        TensorInfo ti = infos.get(tensor);
        if (ti == null) {
            throw new ModelException("no type information for tensor '" + tensor + "' in " + name);
        }
        String[] dims = ti.dims().stream()
                .map(d -> d.equals("?") ? "unk_" + Math.abs(tensor.hashCode()) : d)
                .toArray(String[]::new);
        return GraphBuilder.valueInfo(tensor, ti.dataType(), dims);
    }
}
