package dev.slicer.e2e;

import dev.slicer.model.builtin.BuiltinModels;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.ModelRunner;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.model.text.TextTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The unsplit text model run in this process, tokenized the way an edge tokenizes (the built-in MiniLM tokenizer, or
 * {@code tokenizer.json} beside a model file): the reference every edge reply's fidelity is measured against. Outputs
 * are cached per text.
 */
public final class UnsplitReference implements AutoCloseable {
    /** The edges' default {@code slicer.edge.max-tokens}. */
    static final int MAX_TOKENS = 256;

    private final String uri;
    private final TextTokenizer tokenizer;
    private final ModelRunner whole;
    private final String output;
    private final Map<String, float[]> cache = new ConcurrentHashMap<>();

    public UnsplitReference(SplittableModel model, String uri) {
        this.uri = uri;
        this.tokenizer = tokenizer(uri);
        this.whole = new ModelRunner(model.model(), "reference");
        this.output = model.model().getGraph().getOutput(0).getName();
    }

    private static TextTokenizer tokenizer(String uri) {
        if (uri.equals(BuiltinModels.MINILM)) {
            return TextTokenizer.minilm();
        }
        Path beside = BuiltinModels.resolve(uri).resolveSibling("tokenizer.json");
        try (InputStream in = Files.newInputStream(beside)) {
            return TextTokenizer.fromTokenizerJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException("a text model's reference needs " + beside, e);
        }
    }

    /** The model's first output for one text (batch of one), as the unsplit model computes it. */
    public float[] output(String text) {
        return cache.computeIfAbsent(text, t -> {
            TextTokenizer.Batch b = tokenizer.encodeBatch(List.of(t), MAX_TOKENS);
            long[] shape = {1, b.length()};
            Map<String, HostTensor> in = new LinkedHashMap<>();
            in.put("input_ids", HostTensor.ofLongs(shape, b.inputIds()));
            in.put("attention_mask", HostTensor.ofLongs(shape, b.attentionMask()));
            if (whole.inputNames().contains("token_type_ids")) { // not every text encoder takes segment ids
                in.put("token_type_ids", HostTensor.ofLongs(shape, b.tokenTypeIds()));
            }
            synchronized (whole) {
                return whole.run(in).get(output).floats();
            }
        });
    }

    /** Output cosine of {@code got} against the reference for {@code text}; NaN when the sizes differ. */
    public double cosine(String text, float[] got) {
        return cosine(output(text), got);
    }

    public static double cosine(float[] x, float[] y) {
        if (x.length != y.length) {
            return Double.NaN;
        }
        double dot = 0, nx = 0, ny = 0;
        for (int i = 0; i < x.length; i++) {
            dot += (double) x[i] * y[i];
            nx += (double) x[i] * x[i];
            ny += (double) y[i] * y[i];
        }
        return dot / Math.sqrt(nx * ny);
    }

    @Override
    public void close() {
        whole.close();
        if (!uri.equals(BuiltinModels.MINILM)) { // the built-in tokenizer is shared for the life of the JVM
            tokenizer.close();
        }
    }
}
