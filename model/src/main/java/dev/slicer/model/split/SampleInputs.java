package dev.slicer.model.split;

import dev.slicer.model.onnx.Tensors;
import dev.slicer.model.onnx.proto.Onnx.GraphProto;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.NodeProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;
import dev.slicer.model.onnx.proto.Onnx.TensorShapeProto;
import dev.slicer.model.onnx.proto.Onnx.ValueInfoProto;
import dev.slicer.model.text.SampleSentences;
import dev.slicer.model.text.TextTokenizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Generates inputs for a model from its graph-input names and types: token ids (real sentences
 * through the MiniLM tokenizer when the vocabulary matches), attention masks, position ids, KV
 * caches of the requested past length, random images and other float tensors.
 */
public final class SampleInputs {
    /** Image side used when nothing else is known: a multiple of 32, as strided detectors need. */
    public static final int DEFAULT_SPATIAL = 64;
    /** Signal length used when nothing else is known: a multiple of 32 long enough for STFT front ends. */
    public static final int DEFAULT_SAMPLES = 512;

    /**
     * Sizes of the symbolic dimensions: batch, new tokens ({@code sequence}), cached tokens
     * ({@code past}), image {@code height} and {@code width} (rank-4 float inputs with fixed
     * channels), signal {@code samples} (rank-2 float inputs); {@code shapes} fixes the shape of
     * named inputs outright (user-given shapes); {@code values} are given sample tensors, used as they
     * are (their shapes are in {@code shapes}).
     */
    public record Dims(
            int batch,
            int sequence,
            int past,
            int height,
            int width,
            int samples,
            Map<String, long[]> shapes,
            Map<String, HostTensor> values) {
        public Dims {
            if (batch < 1 || sequence < 1 || past < 0 || height < 1 || width < 1 || samples < 1) {
                throw new IllegalArgumentException("invalid dims " + batch + "/" + sequence + "/" + past + "/" + height
                        + "x" + width + "/" + samples);
            }
            shapes = Map.copyOf(shapes);
            values = Map.copyOf(values);
        }

        public Dims(int batch, int sequence, int past, int height, int width, int samples, Map<String, long[]> shapes) {
            this(batch, sequence, past, height, width, samples, shapes, Map.of());
        }

        /** These dims with the given sample tensors (their shapes win over invented and given ones). */
        public Dims withValues(Map<String, HostTensor> given) {
            Map<String, long[]> merged = new java.util.HashMap<>(shapes);
            given.forEach((k, v) -> merged.put(k, v.shape()));
            return new Dims(batch, sequence, past, height, width, samples, merged, given);
        }

        public Dims(int batch, int sequence, int past) {
            this(batch, sequence, past, DEFAULT_SPATIAL, DEFAULT_SPATIAL, DEFAULT_SAMPLES, Map.of());
        }

        public Dims withSpatial(int h, int w) {
            return new Dims(batch, sequence, past, h, w, samples, shapes, values);
        }

        public Dims withSamples(int n) {
            return new Dims(batch, sequence, past, height, width, n, shapes, values);
        }

        public Dims withSequence(int n) {
            return new Dims(batch, n, past, height, width, samples, shapes, values);
        }

        public Dims withBatch(int b) {
            return new Dims(b, sequence, past, height, width, samples, shapes, values);
        }

        public Dims withShapes(Map<String, long[]> given) {
            Map<String, long[]> merged = new java.util.HashMap<>(given);
            values.forEach((k, v) -> merged.put(k, v.shape()));
            return new Dims(batch, sequence, past, height, width, samples, merged, values);
        }

        public int total() {
            return past + sequence;
        }
    }

    private SampleInputs() {}

    /** True when the model takes a KV cache ({@code past_key_values.*} inputs). */
    public static boolean hasKvCache(ModelProto model) {
        return model.getGraph().getInputList().stream().anyMatch(i -> isPastInput(i.getName()));
    }

    public static boolean isPastInput(String name) {
        return name.startsWith("past_key_values") || name.startsWith("past.") || name.startsWith("past_");
    }

    public static Map<String, HostTensor> generate(ModelProto model, Dims dims, long seed) {
        return generate(model, dims, seed, null);
    }

    /**
     * Sample {@code index} of a set, shaped as one served request: a text model with the MiniLM vocabulary (no KV
     * cache, no user-given token shape or values) gets sample sentence {@code firstSentence + index} at its own token
     * length, unpadded, since serving runs each request at its own length, so a fidelity measured here never scores
     * padding positions or truncated sentences; any other model gets {@link #generate} with {@code seed + index}.
     */
    public static Map<String, HostTensor> request(
            ModelProto model, Dims dims, long seed, int firstSentence, int index) {
        if (firstSentence < 0 || index < 0) {
            throw new IllegalArgumentException("sentence indices must be >= 0, got " + firstSentence + "+" + index);
        }
        String ids = minilmTokenInput(model, dims);
        if (ids == null) {
            return generate(model, dims, seed + index);
        }
        List<String> all = SampleSentences.load();
        String text = all.get((firstSentence + index) % all.size());
        int length = TextTokenizer.minilm().encode(text, MAX_REQUEST_TOKENS).length();
        return generate(model, dims.withSequence(length), seed + index, List.of(text));
    }

    /** Longest sample request, in tokens: the sample sentences stay well below it. */
    private static final int MAX_REQUEST_TOKENS = 128;

    /** The token-id input of a MiniLM-vocabulary text model whose length sample inputs may choose, else null. */
    private static String minilmTokenInput(ModelProto model, Dims dims) {
        if (dims.past() > 0 || hasKvCache(model) || !dims.values().isEmpty()) {
            return null;
        }
        GraphProto g = model.getGraph();
        for (ValueInfoProto in : g.getInputList()) {
            String name = in.getName();
            if (name.contains("input_ids")
                    && !dims.shapes().containsKey(name)
                    && vocabSize(g, name) == TextTokenizer.minilm().vocabSize()) {
                return name;
            }
        }
        return null;
    }

    /**
     * Inputs for {@code model}; {@code sentences}, when given and the model's vocabulary is the
     * MiniLM one, are tokenized (each batch row takes the next sentence, truncated or padded to
     * {@code dims.sequence()}).
     */
    public static Map<String, HostTensor> generate(ModelProto model, Dims dims, long seed, List<String> sentences) {
        GraphProto g = model.getGraph();
        Set<String> inits =
                g.getInitializerList().stream().map(TensorProto::getName).collect(Collectors.toSet());
        Random rng = new Random(seed);
        Map<String, HostTensor> out = new LinkedHashMap<>();
        long[] tokenIds = null;
        long[] tokenMask = null;
        for (ValueInfoProto in : g.getInputList()) {
            String name = in.getName();
            if (inits.contains(name)) {
                continue;
            }
            HostTensor sample = dims.values().get(name);
            if (sample != null) {
                out.put(name, sample);
                continue;
            }
            int type = in.getType().getTensorType().getElemType();
            TensorShapeProto shape = in.getType().getTensorType().getShape();
            long[] given = dims.shapes().get(name);
            int b = given != null && given.length == 2 ? (int) given[0] : dims.batch();
            int s = given != null && given.length == 2 ? (int) given[1] : dims.sequence();
            if (name.contains("input_ids")) {
                long vocab = vocabSize(g, name);
                if (vocab == TextTokenizer.minilm().vocabSize()) {
                    List<String> texts = sentences != null ? sentences : SampleSentences.load();
                    long[][] enc = tokenize(texts, b, s, rng);
                    tokenIds = enc[0];
                    tokenMask = enc[1];
                    out.put(name, HostTensor.ofLongs(new long[] {b, s}, tokenIds));
                } else {
                    long[] ids = new long[b * s];
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = rng.nextInt((int) Math.min(vocab, Integer.MAX_VALUE));
                    }
                    out.put(name, HostTensor.ofLongs(new long[] {b, s}, ids));
                }
            } else if (name.contains("attention_mask")) {
                int t = dims.total();
                long[] m = new long[b * t];
                java.util.Arrays.fill(m, 1L);
                if (tokenMask != null && t == s) {
                    m = tokenMask.clone();
                }
                out.put(name, HostTensor.ofLongs(new long[] {b, t}, m));
            } else if (name.contains("token_type_ids")) {
                out.put(name, HostTensor.ofLongs(new long[] {b, s}, new long[b * s]));
            } else if (name.contains("position_ids")) {
                long[] p = new long[b * s];
                for (int r = 0; r < b; r++) {
                    for (int i = 0; i < s; i++) {
                        p[r * s + i] = dims.past() + i;
                    }
                }
                out.put(name, HostTensor.ofLongs(new long[] {b, s}, p));
            } else {
                long[] sh = shapeOf(in, dims);
                if (sh.length == 0 && isInteger(type)) {
                    out.put(name, scalar(type, scalarValue(g, name)));
                } else {
                    out.put(name, random(type, sh, rng, isPastInput(name) ? 0.5f : 1f, name));
                }
            }
        }
        // Later inputs may come before input_ids in the declaration order; fix the mask afterwards.
        if (tokenMask != null) {
            for (Map.Entry<String, HostTensor> e : out.entrySet()) {
                if (e.getKey().contains("attention_mask") && dims.past() == 0) {
                    e.setValue(HostTensor.ofLongs(e.getValue().shape(), tokenMask.clone()));
                }
            }
        }
        return out;
    }

    /**
     * The shape invented for a generic input: user-given shapes win; otherwise fixed dims are kept,
     * the first symbolic dim is the batch (so a state {@code [2, batch, 128]} gets its batch in the
     * middle), the symbolic sides of a rank-4 float input with fixed channels are the image height
     * and width, the symbolic length of a rank-2 float input is the signal length, and the rest are
     * sequence (or past, for KV-cache inputs).
     */
    public static long[] shapeOf(ValueInfoProto in, Dims dims) {
        long[] given = dims.shapes().get(in.getName());
        if (given != null) {
            return given.clone();
        }
        TensorShapeProto shape = in.getType().getTensorType().getShape();
        int type = in.getType().getTensorType().getElemType();
        long[] sh = new long[shape.getDimCount()];
        boolean batchSeen = false;
        boolean image =
                sh.length == 4 && type == DataType.FLOAT_VALUE && fixed(shape.getDim(1)) && !isPastInput(in.getName());
        boolean signal = sh.length == 2 && type == DataType.FLOAT_VALUE;
        for (int i = 0; i < sh.length; i++) {
            TensorShapeProto.Dimension d = shape.getDim(i);
            if (fixed(d)) {
                sh[i] = d.getDimValue();
            } else if (image && i >= 2) {
                sh[i] = i == 2 ? dims.height() : dims.width();
            } else if (!batchSeen) {
                sh[i] = dims.batch();
                batchSeen = true;
            } else if (signal) {
                sh[i] = dims.samples();
            } else if (isPastInput(in.getName()) && i == sh.length - 2) {
                sh[i] = dims.past();
            } else {
                sh[i] = dims.sequence();
            }
        }
        return sh;
    }

    private static boolean fixed(TensorShapeProto.Dimension d) {
        return d.hasDimValue() && d.getDimValue() > 0;
    }

    private static boolean isInteger(int type) {
        return type == DataType.INT64_VALUE || type == DataType.INT32_VALUE;
    }

    /** Documented defaults of well-known scalar inputs, by name. */
    private static final Map<String, Long> SCALAR_DEFAULTS =
            Map.of("sr", 16000L, "sample_rate", 16000L, "sampling_rate", 16000L);

    /**
     * Value of a scalar integer input: a constant the graph compares it with (the branch the model
     * was exported for, such as {@code Equal(sr, 16000)}), else a documented default, else 1.
     */
    static long scalarValue(GraphProto g, String input) {
        Map<String, TensorProto> consts = new java.util.HashMap<>();
        g.getInitializerList().forEach(t -> consts.put(t.getName(), t));
        for (NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("Constant")
                    && n.getAttributeCount() == 1
                    && n.getAttribute(0).hasT()) {
                consts.put(n.getOutput(0), n.getAttribute(0).getT());
            }
        }
        for (NodeProto n : g.getNodeList()) {
            if (n.getInputCount() == 2
                    && Set.of("Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual")
                            .contains(n.getOpType())) {
                int i = n.getInputList().indexOf(input);
                if (i >= 0) {
                    TensorProto c = consts.get(n.getInput(1 - i));
                    if (c != null && Tensors.elementCount(c) == 1 && isInteger(c.getDataType())) {
                        return Tensors.toLongs(c)[0];
                    }
                }
            }
        }
        return SCALAR_DEFAULTS.getOrDefault(input.toLowerCase(java.util.Locale.ROOT), 1L);
    }

    private static HostTensor scalar(int type, long v) {
        return type == DataType.INT64_VALUE
                ? HostTensor.ofLongs(new long[0], new long[] {v})
                : new HostTensor(DataType.INT32_VALUE, new long[0], new int[] {Math.toIntExact(v)});
    }

    /**
     * One line per graph input saying how its sample was made: {@code given} (user shape),
     * {@code text} (token ids, masks), or {@code invented} with the rule that chose its shape or value.
     */
    public static List<String> describe(ModelProto model, Dims dims) {
        GraphProto g = model.getGraph();
        Set<String> inits =
                g.getInitializerList().stream().map(TensorProto::getName).collect(Collectors.toSet());
        List<String> out = new java.util.ArrayList<>();
        for (ValueInfoProto in : g.getInputList()) {
            String name = in.getName();
            if (inits.contains(name)) {
                continue;
            }
            int type = in.getType().getTensorType().getElemType();
            long[] sh = shapeOf(in, dims);
            String how;
            if (dims.values().containsKey(name)) {
                how = "sample (given values)";
            } else if (dims.shapes().containsKey(name)) {
                how = "given";
            } else if (name.contains("input_ids")
                    || name.contains("attention_mask")
                    || name.contains("token_type_ids")
                    || name.contains("position_ids")) {
                how = "text (sample sentences through the tokenizer)";
            } else if (sh.length == 0 && isInteger(type)) {
                how = "invented scalar " + scalarValue(g, name);
            } else {
                how = "invented random";
            }
            out.add(name + " " + dev.slicer.model.onnx.DataTypes.name(type) + java.util.Arrays.toString(sh) + " "
                    + how);
        }
        return out;
    }

    private static HostTensor random(int type, long[] shape, Random rng, float std, String name) {
        int n = Math.toIntExact(HostTensor.elementCount(shape));
        return switch (type) {
            case DataType.FLOAT_VALUE -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = std * (float) rng.nextGaussian();
                }
                yield HostTensor.ofFloats(shape, v);
            }
            case DataType.INT64_VALUE -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = rng.nextInt(4);
                }
                yield HostTensor.ofLongs(shape, v);
            }
            case DataType.INT32_VALUE -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = rng.nextInt(4);
                }
                yield new HostTensor(DataType.INT32_VALUE, shape, v);
            }
            case DataType.BOOL_VALUE, DataType.UINT8_VALUE, DataType.INT8_VALUE -> {
                byte[] v = new byte[n];
                java.util.Arrays.fill(v, (byte) 1);
                yield new HostTensor(type, shape, v);
            }
            default ->
                throw new dev.slicer.model.ModelException(
                        "cannot generate sample values for input '" + name + "' of element type " + type);
        };
    }

    private static long[][] tokenize(List<String> texts, int batch, int seq, Random rng) {
        TextTokenizer tok = TextTokenizer.minilm();
        long[] ids = new long[batch * seq];
        long[] mask = new long[batch * seq];
        int start = rng.nextInt(texts.size());
        for (int r = 0; r < batch; r++) {
            TextTokenizer.Encoding e = tok.encode(texts.get((start + r) % texts.size()), seq);
            for (int i = 0; i < seq; i++) {
                ids[r * seq + i] = i < e.length() ? e.inputIds()[i] : tok.padId();
                mask[r * seq + i] = i < e.length() ? 1 : 0;
            }
        }
        return new long[][] {ids, mask};
    }

    /** Rows of the embedding table an id input indexes (a Gather on an initializer), else 100. */
    private static long vocabSize(GraphProto g, String input) {
        Map<String, TensorProto> inits = new java.util.HashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            inits.put(t.getName(), t);
        }
        for (NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("Gather")
                    && n.getInputCount() > 1
                    && n.getInput(1).equals(input)
                    && inits.containsKey(n.getInput(0))) {
                long[] d = Tensors.dims(inits.get(n.getInput(0)));
                if (d.length > 0) {
                    return d[0];
                }
            }
        }
        return 100;
    }
}
