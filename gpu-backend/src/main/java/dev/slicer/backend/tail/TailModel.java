package dev.slicer.backend.tail;

import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.ValueInfoProto;
import dev.slicer.model.split.SplitCandidate;
import dev.slicer.model.split.SplittableModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The loaded model and the tail of each of its splits (described cheaply; extracted only for a session). */
public final class TailModel {
    private final String modelId;
    private final SplittableModel model;
    private final Map<Integer, TailSpec> specs = new ConcurrentHashMap<>();

    public TailModel(String modelId, SplittableModel model) {
        this.modelId = modelId;
        this.model = model;
    }

    /** Resolves and analyses the model named by {@code uri} (builtin:, path, file://, http(s)). */
    public static TailModel load(String uri) {
        return new TailModel(uri, SplittableModel.load(uri));
    }

    public String modelId() {
        return modelId;
    }

    /** The analysed model (the AR sessions run its parts with their KV caches). */
    public SplittableModel splittable() {
        return model;
    }

    public int splitCount() {
        return model.candidates().size();
    }

    /**
     * The tail of split {@code index} (-1: the whole model).
     *
     * @throws UnknownSplitException when there is no such split, or it needs per-session state (AR KV caches)
     */
    public TailSpec spec(int index) {
        if (index < TailSpec.WHOLE_MODEL || index >= model.candidates().size()) {
            throw new UnknownSplitException("split " + index + " out of range [-1, "
                    + model.candidates().size() + ") of " + modelId);
        }
        return specs.computeIfAbsent(index, this::describe);
    }

    private TailSpec describe(int index) {
        List<String> outputs = model.model().getGraph().getOutputList().stream()
                .map(ValueInfoProto::getName)
                .toList();
        if (index == TailSpec.WHOLE_MODEL) {
            List<String> inputs = model.model().getGraph().getInputList().stream()
                    .map(ValueInfoProto::getName)
                    .filter(n -> !isInitializer(n))
                    .toList();
            return TailSpec.of(index, "", ports(inputs), ports(outputs));
        }
        SplitCandidate c = model.candidate(index);
        if (!c.backState().isEmpty()) {
            throw new UnknownSplitException("split " + index + " (" + c.name()
                    + ") needs a per-session KV cache; AR sessions are not served by this back-end yet");
        }
        List<String> inputs = new ArrayList<>(c.activations());
        inputs.addAll(c.sideInputs());
        Set<String> front = new HashSet<>(c.frontOutputs());
        return TailSpec.of(
                index,
                c.name(),
                ports(inputs),
                ports(outputs.stream().filter(o -> !front.contains(o)).toList()));
    }

    private boolean isInitializer(String name) {
        return model.model().getGraph().getInitializerList().stream()
                .anyMatch(t -> t.getName().equals(name));
    }

    private List<Port> ports(List<String> names) {
        return names.stream().map(n -> Port.of(n, model.tensorInfo(n))).toList();
    }

    /** The standalone ONNX model of a tail (the whole model for -1). */
    public ModelProto tailModel(int index) {
        return index == TailSpec.WHOLE_MODEL
                ? model.model()
                : model.split(model.candidate(index)).back();
    }
}
