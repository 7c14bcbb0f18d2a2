package dev.slicer.e2e.demo;

import dev.slicer.model.builtin.BuiltinModels;
import dev.slicer.model.onnx.OnnxIo;
import dev.slicer.model.onnx.proto.Onnx.ValueInfoProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which models the demo's MiniLM fleet can run: its clients send sentences over OIP and its fidelity reference runs the
 * unsplit model on them, so a text encoder: {@code builtin:minilm}, or an ONNX export (path or URL) taking
 * {@code input_ids} and {@code attention_mask}, with the {@code tokenizer.json} it was exported with beside it (the
 * layout of a Hugging Face Optimum export; edges and back-end read it from there).
 */
final class DemoModel {

    private DemoModel() {}

    /**
     * The model reference as a resource names it: a plain path becomes a {@code file:} URI (the CRD takes URIs and
     * builtin names only); anything else is kept.
     */
    static String uri(String model) {
        if (model.startsWith("builtin:") || model.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            return model;
        }
        return Path.of(model).toAbsolutePath().normalize().toUri().toString();
    }

    /** Why the demo cannot run {@code uri}, or empty when it can. Resolving a URL downloads it (once). */
    static Optional<String> problem(String uri) {
        if (uri.equals(BuiltinModels.MINILM)) {
            return Optional.empty();
        }
        if (uri.startsWith("builtin:")) {
            return Optional.of(uri + " is not a text encoder: the demo's clients send sentences (builtin:minilm, or an"
                    + " ONNX text encoder with tokenizer.json beside it); the decoders run beside it with --ar");
        }
        Path file;
        try {
            file = BuiltinModels.resolve(uri);
        } catch (RuntimeException e) { // ModelNotFoundException among them
            return Optional.of("cannot load " + uri + ": " + e.getMessage());
        }
        Path tokenizer = file.resolveSibling("tokenizer.json");
        if (!Files.isRegularFile(tokenizer)) {
            return Optional.of(uri + " has no tokenizer.json beside it (" + tokenizer + "): the edges tokenize the"
                    + " clients' sentences with it");
        }
        Set<String> inputs;
        try {
            inputs = OnnxIo.load(file).getGraph().getInputList().stream()
                    .map(ValueInfoProto::getName)
                    .collect(Collectors.toSet());
        } catch (RuntimeException e) {
            return Optional.of("cannot read " + file + " as an ONNX model: " + e.getMessage());
        }
        if (!inputs.containsAll(Set.of("input_ids", "attention_mask"))) {
            return Optional.of(uri + " takes " + inputs + ", not a text encoder's input_ids and attention_mask");
        }
        return Optional.empty();
    }
}
