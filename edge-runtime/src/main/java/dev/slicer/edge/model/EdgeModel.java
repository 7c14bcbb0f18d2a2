package dev.slicer.edge.model;

import dev.slicer.model.builtin.BuiltinModels;
import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;
import dev.slicer.model.onnx.proto.Onnx.TypeProto;
import dev.slicer.model.onnx.proto.Onnx.ValueInfoProto;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.ModelRunner;
import dev.slicer.model.split.SplitCandidate;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.model.text.TextTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model an edge serves: its split candidates, the fronts of the splits in use (a bounded LRU of ONNX Runtime
 * sessions), the whole model for local-only rows (created on first use) and, for text models, the tokenizer.
 */
public final class EdgeModel implements AutoCloseable {
    /** A graph input or output as clients see it: name, ONNX element type, shape with -1 for dynamic dims. */
    public record Port(String name, int dataType, long[] shape) {}

    private final String uri;
    private final String name;
    private final SplittableModel model;
    private final Optional<TextTokenizer> tokenizer;
    private final FrontCache fronts;
    private final long wholeModelBytes;
    private ModelRunner whole;

    public EdgeModel(String uri, String name, SplittableModel model, Optional<TextTokenizer> tokenizer, int fronts) {
        this.uri = uri;
        this.name = name;
        this.model = model;
        this.tokenizer = tokenizer;
        this.fronts = new FrontCache(model, fronts);
        this.wholeModelBytes = model.graph().totalParameterBytes();
    }

    /** Loads the model from its URI and finds its tokenizer (for models with an {@code input_ids} input). */
    public static EdgeModel load(String uri, Optional<String> name, Optional<String> tokenizerPath, int fronts) {
        SplittableModel m = SplittableModel.load(uri);
        Optional<TextTokenizer> tok = Optional.empty();
        // decoders take text through the OpenAI-compatible API (edge.ar picks their tokenizer); OIP gets their ids
        if (m.graph().graphInputs().containsKey("input_ids")
                && !dev.slicer.model.split.SampleInputs.hasKvCache(m.model())) {
            tok = Optional.of(tokenizer(uri, tokenizerPath));
        }
        return new EdgeModel(uri, name.orElseGet(() -> BuiltinModels.servedName(uri)), m, tok, fronts);
    }

    private static TextTokenizer tokenizer(String uri, Optional<String> configured) {
        try {
            if (configured.isPresent()) {
                try (InputStream in = Files.newInputStream(Path.of(configured.get()))) {
                    return TextTokenizer.fromTokenizerJson(in);
                }
            }
            if (uri.equals(BuiltinModels.MINILM)) {
                return TextTokenizer.minilm();
            }
            Path beside = BuiltinModels.resolve(uri).resolveSibling("tokenizer.json");
            if (Files.isRegularFile(beside)) {
                try (InputStream in = Files.newInputStream(beside)) {
                    return TextTokenizer.fromTokenizerJson(in);
                }
            }
            throw new IllegalStateException("text model " + uri
                    + " needs a tokenizer.json: set slicer.edge.tokenizer or put tokenizer.json beside the model");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokenizer of " + uri, e);
        }
    }

    public String uri() {
        return uri;
    }

    public String name() {
        return name;
    }

    public SplittableModel splittable() {
        return model;
    }

    public Optional<TextTokenizer> tokenizer() {
        return tokenizer;
    }

    /** Parameter bytes of the whole model: what a local-only run needs in memory (the planner's rule). */
    public long wholeModelBytes() {
        return wholeModelBytes;
    }

    public int candidateCount() {
        return model.candidates().size();
    }

    public SplitCandidate candidate(int index) {
        return model.candidate(index);
    }

    public List<Port> inputs() {
        return ports(model.graph().graphInputs().values());
    }

    public List<Port> outputs() {
        return ports(model.graph().graphOutputs().values());
    }

    private static List<Port> ports(Iterable<ValueInfoProto> infos) {
        List<Port> out = new ArrayList<>();
        for (ValueInfoProto v : infos) {
            TypeProto.Tensor t = v.getType().getTensorType();
            long[] shape = t.getShape().getDimList().stream()
                    .mapToLong(d -> d.hasDimValue() ? d.getDimValue() : -1)
                    .toArray();
            out.add(new Port(v.getName(), t.getElemType(), shape));
        }
        return out;
    }

    /** The ONNX element type of a graph input, or -1 when there is no such input. */
    public int inputType(String input) {
        ValueInfoProto v = model.graph().graphInputs().get(input);
        return v == null ? -1 : v.getType().getTensorType().getElemType();
    }

    public boolean hasInput(String input) {
        return model.graph().graphInputs().containsKey(input);
    }

    /** Runs the front of a candidate on the graph inputs. */
    public Map<String, HostTensor> runFront(int split, Map<String, HostTensor> inputs) {
        return fronts.run(split, inputs);
    }

    /** Runs the whole model (local-only rows and the local fallback). */
    public Map<String, HostTensor> runWhole(Map<String, HostTensor> inputs) {
        return wholeRunner().run(inputs);
    }

    private synchronized ModelRunner wholeRunner() {
        if (whole == null) {
            whole = new ModelRunner(model.model(), "model " + name);
        }
        return whole;
    }

    static boolean isFloat(int dataType) {
        return dataType == DataType.FLOAT_VALUE;
    }

    @Override
    public synchronized void close() {
        fronts.close();
        if (whole != null) {
            whole.close();
        }
    }
}
