package dev.slicer.edge.ar;

import dev.slicer.model.builtin.BuiltinModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The tokenizer of a decoder: the configured tokenizer.json, bytes for the builtin decoders (vocabulary 256), or the
 * tokenizer.json beside the model.
 */
public final class ArTokenizers {
    public static final String TINY_LLAMA = "builtin:tiny-llama";

    private ArTokenizers() {}

    public static ArTokenizer forModel(String uri, Optional<String> configured) {
        if (configured.isPresent()) {
            return new HfTokenizer(Path.of(configured.get()));
        }
        if (uri.equals(TINY_LLAMA) || uri.equals(BuiltinModels.SMALL_LLAMA)) {
            return new ByteTokenizer();
        }
        Path beside = BuiltinModels.resolve(uri).resolveSibling("tokenizer.json");
        if (Files.isRegularFile(beside)) {
            return new HfTokenizer(beside);
        }
        throw new IllegalStateException("decoder " + uri
                + " needs a tokenizer.json: set slicer.edge.tokenizer or put tokenizer.json beside the model");
    }
}
