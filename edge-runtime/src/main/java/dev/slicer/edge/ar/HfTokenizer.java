package dev.slicer.edge.ar;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A decoder's {@code tokenizer.json} (BPE and the rest) run by Hugging Face {@code tokenizers} through DJL, the same
 * library the edge's OIP path uses; no special tokens are added to prompts (the caller's text is the prompt).
 */
public final class HfTokenizer implements ArTokenizer {
    private final HuggingFaceTokenizer tokenizer;

    public HfTokenizer(Path tokenizerJson) {
        try (InputStream in = Files.newInputStream(tokenizerJson)) {
            this.tokenizer = HuggingFaceTokenizer.newInstance(
                    in, Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + tokenizerJson, e);
        }
    }

    @Override
    public long[] encode(String text) {
        return tokenizer.encode(text, false, false).getIds();
    }

    @Override
    public String decode(long[] ids) {
        return tokenizer.decode(ids, true);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
