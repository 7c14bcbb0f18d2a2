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
    /** Sizes of the symbolic dimensions: batch, new tokens ({@code sequence}), cached tokens ({@code past}). */
    public record Dims(int batch, int sequence, int past) {
        public Dims {
            if (batch < 1 || sequence < 1 || past < 0) {
                throw new IllegalArgumentException("invalid dims " + batch + "/" + sequence + "/" + past);
            }
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
            int type = in.getType().getTensorType().getElemType();
            TensorShapeProto shape = in.getType().getTensorType().getShape();
            int b = dims.batch();
            int s = dims.sequence();
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
                long[] sh = new long[shape.getDimCount()];
                for (int i = 0; i < sh.length; i++) {
                    TensorShapeProto.Dimension d = shape.getDim(i);
                    if (d.hasDimValue() && d.getDimValue() > 0) {
                        sh[i] = d.getDimValue();
                    } else if (i == 0) {
                        sh[i] = b;
                    } else if (isPastInput(name) && i == sh.length - 2) {
                        sh[i] = dims.past();
                    } else {
                        sh[i] = s;
                    }
                }
                out.put(name, random(type, sh, rng, isPastInput(name) ? 0.5f : 1f, name));
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
