package dev.slicer.model.ar;

import dev.slicer.model.ModelException;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.ValueInfoProto;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.ModelRunner;
import dev.slicer.model.split.Ort;
import dev.slicer.model.split.SplitCandidate;
import dev.slicer.model.split.SplittableModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One part of a decoder in the Hugging Face Optimum layout (the whole model, or the front or back of a split), run
 * incrementally with per-session KV caches. A call adds the same number of positions to each of several sessions:
 * their sequence inputs are stacked on axis 0, caches of different lengths are left-padded with zeros that the
 * attention mask hides, each session gets its own position ids, and the outputs are sliced back per session (the
 * {@code present.N} outputs without the padding become the sessions' caches). This is what lets a back-end batch the
 * decode steps of sessions at different positions (continuous batching).
 */
public final class KvDecoder implements AutoCloseable {
    static final String IDS = "input_ids";
    static final String MASK = "attention_mask";
    static final String POSITIONS = "position_ids";
    static final String PAST = "past_key_values.";
    static final String PRESENT = "present.";

    private final ModelRunner runner;
    private final String sequenceInput;
    private final List<String> pastInputs;
    private final List<String> inputs;
    private final Map<String, long[]> pastDims = new LinkedHashMap<>();

    private KvDecoder(ModelProto part, String label, String sequenceInput, Ort.OptionsCustomizer options) {
        this.inputs = part.getGraph().getInputList().stream()
                .map(ValueInfoProto::getName)
                .toList();
        this.pastInputs = inputs.stream().filter(n -> n.startsWith(PAST)).toList();
        for (ValueInfoProto v : part.getGraph().getInputList()) {
            if (v.getName().startsWith(PAST)) {
                var dims = v.getType().getTensorType().getShape().getDimList();
                if (dims.size() != 4
                        || !dims.get(1).hasDimValue()
                        || !dims.get(3).hasDimValue()) {
                    throw new ModelException(label + ": '" + v.getName()
                            + "' is not [batch, heads, past, head_dim] with constant heads and head_dim");
                }
                pastDims.put(
                        v.getName(),
                        new long[] {dims.get(1).getDimValue(), dims.get(3).getDimValue()});
            }
        }
        this.sequenceInput = sequenceInput;
        if (!inputs.contains(sequenceInput)) {
            throw new ModelException(label + " does not read '" + sequenceInput + "'");
        }
        this.runner = new ModelRunner(part, label, options);
    }

    /** The whole model: input_ids in, logits out. */
    public static KvDecoder whole(SplittableModel m, Ort.OptionsCustomizer options) {
        return new KvDecoder(m.model(), "decoder " + m.name(), IDS, options);
    }

    /** The front of a split: input_ids in, the split's big activation (the layer-l hidden state) out. */
    public static KvDecoder front(SplittableModel m, SplitCandidate c, Ort.OptionsCustomizer options) {
        return new KvDecoder(m.split(c).front(), "front " + c.name() + " of " + m.name(), IDS, options);
    }

    /** The back of a split: the big activation in, logits out. */
    public static KvDecoder back(SplittableModel m, SplitCandidate c, Ort.OptionsCustomizer options) {
        return new KvDecoder(m.split(c).back(), "back " + c.name() + " of " + m.name(), c.bigTensor(), options);
    }

    /** The input this part takes one row of per position: {@code input_ids} or the hidden state. */
    public String sequenceInput() {
        return sequenceInput;
    }

    /**
     * Adds {@code inputs.get(i)} ({@code [1, n]} ids or {@code [1, n, hidden]} states, the same n for every session)
     * to session {@code caches.get(i)}; returns each session's outputs other than the caches (batch dimension 1) and
     * updates the caches.
     */
    public List<Map<String, HostTensor>> step(List<KvCache> caches, List<HostTensor> inputs) {
        int b = caches.size();
        if (b == 0 || inputs.size() != b) {
            throw new IllegalArgumentException("one input per session, at least one session");
        }
        long[] first = inputs.get(0).shape();
        int n = Math.toIntExact(first[1]);
        int past = 0;
        for (int i = 0; i < b; i++) {
            long[] s = inputs.get(i).shape();
            if (s.length != first.length || s[0] != 1 || s[1] != n) {
                throw new IllegalArgumentException(
                        "session inputs must be [1, " + n + ", ...], got " + java.util.Arrays.toString(s));
            }
            past = Math.max(past, caches.get(i).length());
        }
        Map<String, HostTensor> feeds = new LinkedHashMap<>();
        feeds.put(sequenceInput, Tensors.stack(inputs));
        long[] mask = new long[b * (past + n)];
        long[] pos = new long[b * n];
        for (int i = 0; i < b; i++) {
            int len = caches.get(i).length();
            for (int j = past - len; j < past + n; j++) {
                mask[i * (past + n) + j] = 1;
            }
            for (int j = 0; j < n; j++) {
                pos[i * n + j] = len + j;
            }
        }
        if (this.inputs.contains(MASK)) {
            feeds.put(MASK, HostTensor.ofLongs(new long[] {b, past + n}, mask));
        }
        if (this.inputs.contains(POSITIONS)) {
            feeds.put(POSITIONS, HostTensor.ofLongs(new long[] {b, n}, pos));
        }
        if (!sequenceInput.equals(IDS) && this.inputs.contains(IDS)) {
            // a tail reads input_ids only for its shape (the mask's sequence length): the ids are the edge's
            feeds.put(IDS, HostTensor.ofLongs(new long[] {b, n}, new long[b * n]));
        }
        for (String p : pastInputs) {
            feeds.put(p, Tensors.padPast(caches, p, past, pastDims.get(p)));
        }
        Map<String, HostTensor> out = runner.run(feeds);
        List<Map<String, HostTensor>> perSession = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            int pad = past - caches.get(i).length();
            Map<String, HostTensor> mine = new LinkedHashMap<>();
            Map<String, HostTensor> cache = new LinkedHashMap<>();
            for (Map.Entry<String, HostTensor> e : out.entrySet()) {
                String name = e.getKey();
                if (name.startsWith(PRESENT)) {
                    String pastName = PAST + name.substring(PRESENT.length());
                    cache.put(pastName, Tensors.rowWithoutPad(e.getValue(), i, pad));
                } else {
                    mine.put(name, Tensors.row(e.getValue(), i));
                }
            }
            caches.get(i).replace(cache, caches.get(i).length() + n);
            perSession.add(mine);
        }
        return perSession;
    }

    /** KV-cache bytes one session holds per position for the layers of this part (float32 keys and values). */
    public long bytesPerPosition() {
        long b = 0;
        for (long[] d : pastDims.values()) {
            b += d[0] * d[1] * Float.BYTES;
        }
        return b;
    }

    /** The past inputs (KV-cache layers) this part reads. */
    public List<String> pastInputs() {
        return pastInputs;
    }

    @Override
    public void close() {
        runner.close();
    }
}
