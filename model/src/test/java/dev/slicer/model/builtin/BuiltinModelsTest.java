package dev.slicer.model.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.model.ModelNotFoundException;
import dev.slicer.model.onnx.AtomicFiles;
import dev.slicer.model.onnx.OnnxIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltinModelsTest {
    @TempDir
    Path cache;

    private String previous;

    @BeforeEach
    void useTempCache() {
        previous = System.getProperty(BuiltinModels.CACHE_PROPERTY);
        System.setProperty(BuiltinModels.CACHE_PROPERTY, cache.toString());
    }

    @AfterEach
    void restore() {
        if (previous == null) {
            System.clearProperty(BuiltinModels.CACHE_PROPERTY);
        } else {
            System.setProperty(BuiltinModels.CACHE_PROPERTY, previous);
        }
    }

    @Test
    void generatedModelsAreCachedAndReadable() throws IOException {
        Path resnet = BuiltinModels.resolve(BuiltinModels.TINY_RESNET);
        Path llama = BuiltinModels.resolve(BuiltinModels.TINY_LLAMA);
        assertThat(resnet).startsWith(cache);
        assertThat(BuiltinModels.resolve(BuiltinModels.TINY_RESNET)).isEqualTo(resnet);
        assertThat(OnnxIo.load(resnet).getGraph().getNodeCount()).isPositive();
        assertThat(OnnxIo.load(llama).getGraph().getInputList())
                .anyMatch(i -> i.getName().equals("past_key_values.0.key"));
        assertNoTempFiles();
    }

    @Test
    void minilmIsExtractedWhole() throws IOException {
        Path p = BuiltinModels.resolve(BuiltinModels.MINILM);
        long size = BuiltinModels.class
                .getResource(BuiltinModels.MINILM_RESOURCE)
                .openConnection()
                .getContentLengthLong();
        assertThat(Files.size(p)).isEqualTo(size);
        assertNoTempFiles();
    }

    @Test
    void filePathsResolveToThemselves() throws IOException {
        Path f = Files.writeString(cache.resolve("m.onnx"), "x");
        assertThat(BuiltinModels.resolve(f.toString())).isEqualTo(f);
    }

    @Test
    void unknownReferencesAreTypedErrors() throws IOException {
        assertThatThrownBy(() -> BuiltinModels.resolve("builtin:nope"))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("builtin:nope")
                .hasMessageContaining("builtin:minilm");
        assertThatThrownBy(() ->
                        BuiltinModels.resolve(cache.resolve("missing.onnx").toString()))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("missing.onnx");
        assertThatThrownBy(() -> BuiltinModels.resolve("http://127.0.0.1:9/model.onnx"))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("127.0.0.1");
        assertNoTempFiles();
    }

    private void assertNoTempFiles() throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(AtomicFiles.TEMP_PREFIX));
        }
    }

    @Test
    void theServedNameIsTheBuiltinsOrTheFilesNameMadeSafeForAPath() {
        assertThat(BuiltinModels.servedName(BuiltinModels.MINILM)).isEqualTo("minilm");
        assertThat(BuiltinModels.servedName("/models/bge small/model.onnx")).isEqualTo("model");
        assertThat(BuiltinModels.servedName("https://models.example/r/resnet50.onnx?rev=2#x"))
                .isEqualTo("resnet50");
        assertThat(BuiltinModels.servedName("/m/my model+v2.onnx")).isEqualTo("my-model-v2");
        assertThat(BuiltinModels.servedName("/m/.onnx")).isEqualTo("model");
    }
}
