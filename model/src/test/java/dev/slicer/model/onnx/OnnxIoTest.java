package dev.slicer.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.slicer.model.InvalidModelException;
import dev.slicer.model.builder.TinyResNet;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxIoTest {
    @TempDir
    Path dir;

    private final ModelProto model = TinyResNet.build(3);

    @Test
    void roundTripsInline() throws Exception {
        Path p = dir.resolve("m.onnx");
        OnnxIo.save(model, p);
        assertThat(OnnxIo.load(p)).isEqualTo(model);
        assertNoTempFiles();
    }

    @Test
    void readsExternalDataWrittenByUsAndOrt() throws Exception {
        Path p = dir.resolve("ext.onnx");
        OnnxIo.saveWithExternalData(model, p, "ext.onnx.data", 1024);
        ModelProto onDisk = ModelProto.parseFrom(Files.readAllBytes(p));
        assertThat(onDisk.getGraph().getInitializerList())
                .anyMatch(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL);
        assertThat(Files.size(p)).isLessThan(model.getSerializedSize() / 4);
        assertThat(OnnxIo.load(p)).isEqualTo(model);
        try (OrtSession s =
                OrtEnvironment.getEnvironment().createSession(p.toString(), new OrtSession.SessionOptions())) {
            assertThat(s.getOutputNames()).containsExactly("logits");
        }
        Files.delete(dir.resolve("ext.onnx.data"));
        assertThatThrownBy(() -> OnnxIo.load(p))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("ext.onnx.data")
                .hasMessageContaining("does not exist");
        assertNoTempFiles();
    }

    @Test
    void truncatedExternalDataIsNamed() throws Exception {
        Path p = dir.resolve("t.onnx");
        OnnxIo.saveWithExternalData(model, p, "t.data", 1024);
        Path data = dir.resolve("t.data");
        byte[] b = Files.readAllBytes(data);
        Files.write(data, Arrays.copyOf(b, b.length / 2));
        assertThatThrownBy(() -> OnnxIo.load(p))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void corruptTruncatedAndForeignFilesAreRejected() throws Exception {
        byte[] bytes = model.toByteArray();
        Path truncated = Files.write(dir.resolve("trunc.onnx"), Arrays.copyOf(bytes, bytes.length / 3));
        assertThatThrownBy(() -> OnnxIo.load(truncated))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("trunc.onnx");
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        Path corrupt = Files.write(dir.resolve("noise.onnx"), noise);
        assertThatThrownBy(() -> OnnxIo.load(corrupt))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("noise.onnx");
        Path text = Files.writeString(dir.resolve("readme.onnx"), "this is not a model\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> OnnxIo.load(text))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("readme.onnx");
        Path empty = Files.write(dir.resolve("empty.onnx"), new byte[0]);
        assertThatThrownBy(() -> OnnxIo.load(empty))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("not an ONNX model");
        assertThatThrownBy(() -> OnnxIo.load(dir.resolve("absent.onnx")))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("absent.onnx");
    }

    @Test
    void failedWriteLeavesNothingBehind() throws Exception {
        Path p = dir.resolve("half.onnx");
        assertThatThrownBy(() -> AtomicFiles.write(p, out -> {
                    out.write(new byte[1000]);
                    throw new java.io.IOException("disk full");
                }))
                .hasMessageContaining("disk full");
        assertThat(p).doesNotExist();
        assertNoTempFiles();
    }

    private void assertNoTempFiles() throws java.io.IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(x -> x.getFileName().toString())).noneMatch(n -> n.startsWith(AtomicFiles.TEMP_PREFIX));
        }
    }
}
