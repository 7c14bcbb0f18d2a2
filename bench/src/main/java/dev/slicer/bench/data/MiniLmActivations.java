package dev.slicer.bench.data;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.slicer.model.builtin.BuiltinModels;
import dev.slicer.model.text.SampleSentences;
import dev.slicer.model.text.TextTokenizer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Real activations: the last hidden state (post-LayerNorm output of the 6th encoder layer) of all-MiniLM-L6-v2 (float ONNX, CPU ONNX Runtime) over the
 * project's sample sentences. One tensor per sentence, {@code [tokens, 384]}, padding rows excluded.
 */
public final class MiniLmActivations {

    public static final String MODEL = "builtin:minilm";
    public static final String OUTPUT = "last_hidden_state";
    public static final int MAX_TOKENS = 128;
    private static final int BATCH = 16;

    private MiniLmActivations() {}

    /**
     * Runs the model over the first {@code sentences} sample sentences (all of them when {@code sentences <= 0} or more
     * than there are).
     */
    public static TensorSet extract(int sentences, int threads, Consumer<String> progress) throws OrtException {
        List<String> all = SampleSentences.load();
        List<String> texts = sentences <= 0 || sentences >= all.size() ? all : all.subList(0, sentences);
        if (System.getProperty(BuiltinModels.CACHE_PROPERTY) == null
                && System.getenv(BuiltinModels.CACHE_ENV) == null) {
            // the benchmark keeps everything it extracts under bench/target
            System.setProperty(
                    BuiltinModels.CACHE_PROPERTY,
                    BenchPaths.benchTarget().resolve("models").toString());
        }
        Path model = BuiltinModels.resolve(MODEL);
        TextTokenizer tokenizer = TextTokenizer.minilm();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<float[]> tensors = new ArrayList<>(texts.size());
        int hidden = -1;
        long t0 = System.nanoTime();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(Math.max(1, threads));
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(model.toString(), options)) {
                String output = hiddenStateOutput(session);
                for (int start = 0; start < texts.size(); start += BATCH) {
                    List<String> chunk = texts.subList(start, Math.min(texts.size(), start + BATCH));
                    TextTokenizer.Batch batch = tokenizer.encodeBatch(chunk, MAX_TOKENS);
                    float[] out = run(env, session, output, batch);
                    int len = batch.length();
                    int h = out.length / (batch.batchSize() * len);
                    if (hidden < 0) {
                        hidden = h;
                    } else if (hidden != h) {
                        throw new IllegalStateException("hidden size changed from " + hidden + " to " + h);
                    }
                    for (int b = 0; b < batch.batchSize(); b++) {
                        tensors.add(unpadded(out, batch.attentionMask(), b, len, h));
                    }
                    progress.accept(String.format(
                            "minilm: %d/%d sentences (%.1f s)",
                            tensors.size(), texts.size(), (System.nanoTime() - t0) / 1e9));
                }
            }
        }
        long tokens = 0;
        for (float[] t : tensors) {
            tokens += t.length / hidden;
        }
        return TensorSet.of(
                "minilm",
                "all-MiniLM-L6-v2 " + OUTPUT + ", " + texts.size() + " sentences, " + tokens + " tokens x " + hidden,
                hidden,
                tensors);
    }

    private static float[] run(OrtEnvironment env, OrtSession session, String output, TextTokenizer.Batch batch)
            throws OrtException {
        long[] shape = {batch.batchSize(), batch.length()};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            for (String name : session.getInputNames()) {
                long[] values =
                        switch (name) {
                            case "input_ids" -> batch.inputIds();
                            case "attention_mask" -> batch.attentionMask();
                            case "token_type_ids" -> batch.tokenTypeIds();
                            default -> throw new IllegalStateException("unexpected model input " + name);
                        };
                inputs.put(name, OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape));
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(output))) {
                OnnxValue value = result.get(0);
                FloatBuffer fb = ((OnnxTensor) value).getFloatBuffer();
                float[] out = new float[fb.remaining()];
                fb.get(out);
                return out;
            }
        } finally {
            for (OnnxTensor t : inputs.values()) {
                t.close();
            }
        }
    }

    /**
     * The output holding the last hidden state: {@value #OUTPUT} when the export names it so, else the only rank-3
     * float output ({@code [batch, tokens, hidden]}; the langchain4j export calls it {@code output_0}, beside the
     * pooled {@code [batch, hidden]} output).
     */
    static String hiddenStateOutput(OrtSession session) throws OrtException {
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        if (outputs.containsKey(OUTPUT)) {
            return OUTPUT;
        }
        List<String> rank3 = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> e : outputs.entrySet()) {
            if (e.getValue().getInfo() instanceof TensorInfo t
                    && t.type == OnnxJavaType.FLOAT
                    && t.getShape().length == 3) {
                rank3.add(e.getKey());
            }
        }
        if (rank3.size() != 1) {
            throw new IllegalStateException("cannot tell the hidden-state output among " + outputs.keySet());
        }
        return rank3.get(0);
    }

    /** Rows of batch item {@code b} whose attention mask is 1, in order. */
    static float[] unpadded(float[] out, long[] mask, int b, int len, int hidden) {
        int valid = 0;
        for (int t = 0; t < len; t++) {
            if (mask[b * len + t] != 0) {
                valid++;
            }
        }
        float[] x = new float[valid * hidden];
        int row = 0;
        for (int t = 0; t < len; t++) {
            if (mask[b * len + t] != 0) {
                System.arraycopy(out, (b * len + t) * hidden, x, row * hidden, hidden);
                row++;
            }
        }
        return x;
    }
}
