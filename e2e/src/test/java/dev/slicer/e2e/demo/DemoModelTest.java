package dev.slicer.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.model.builtin.BuiltinModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoModelTest {
    @TempDir
    Path dir;

    @Test
    void theBuiltinEncoderAndAnExportWithItsTokenizerRun() throws Exception {
        assertThat(DemoModel.problem(BuiltinModels.MINILM)).isEmpty();
        Path model = Files.createSymbolicLink(dir.resolve("model.onnx"), BuiltinModels.resolve(BuiltinModels.MINILM));
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        assertThat(DemoModel.problem(model.toString())).isEmpty();
        String uri = DemoModel.uri(model.toString());
        assertThat(uri).startsWith("file:/").endsWith("/model.onnx");
        assertThat(DemoModel.problem(uri)).isEmpty();
        assertThat(DemoModel.uri("https://models.example/m.onnx")).isEqualTo("https://models.example/m.onnx");
        assertThat(DemoModel.uri(BuiltinModels.MINILM)).isEqualTo(BuiltinModels.MINILM);
    }

    @Test
    void whatTheDemosClientsCannotDriveIsRefusedWithTheReason() throws Exception {
        assertThat(DemoModel.problem(BuiltinModels.TINY_RESNET))
                .hasValueSatisfying(p -> assertThat(p).contains("not a text encoder"));
        assertThat(DemoModel.problem(BuiltinModels.TINY_LLAMA))
                .hasValueSatisfying(p -> assertThat(p).contains("--ar"));
        assertThat(DemoModel.problem(dir.resolve("missing.onnx").toString()))
                .hasValueSatisfying(p -> assertThat(p).startsWith("cannot load "));

        Path encoder =
                Files.createSymbolicLink(dir.resolve("encoder.onnx"), BuiltinModels.resolve(BuiltinModels.MINILM));
        assertThat(DemoModel.problem(encoder.toString()))
                .hasValueSatisfying(p -> assertThat(p).contains("no tokenizer.json beside it"));

        Path images = Files.createDirectories(dir.resolve("vision"));
        Path resnet = Files.createSymbolicLink(
                images.resolve("model.onnx"), BuiltinModels.resolve(BuiltinModels.TINY_RESNET));
        Files.writeString(images.resolve("tokenizer.json"), "{}");
        assertThat(DemoModel.problem(resnet.toString()))
                .hasValueSatisfying(p -> assertThat(p).contains("not a text encoder's input_ids"));

        Path garbage = Files.createDirectories(dir.resolve("garbage"));
        Files.writeString(garbage.resolve("model.onnx"), "not a model");
        Files.writeString(garbage.resolve("tokenizer.json"), "{}");
        assertThat(DemoModel.problem(garbage.resolve("model.onnx").toString()))
                .hasValueSatisfying(p -> assertThat(p).startsWith("cannot read "));
    }
}
