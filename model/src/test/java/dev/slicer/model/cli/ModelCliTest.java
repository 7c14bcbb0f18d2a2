package dev.slicer.model.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.model.builder.TinyLlama;
import dev.slicer.model.builder.TinyResNet;
import dev.slicer.model.onnx.AtomicFiles;
import dev.slicer.model.onnx.OnnxIo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCliTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = ModelCli.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void samplesDirectoryFeedsVerifyAndBadSamplesAreOneErrorLine() throws Exception {
        Path m = dir.resolve("mlp.onnx");
        OnnxIo.save(dev.slicer.model.WildModels.constantWeightMlp(13), m);
        Path samples = java.nio.file.Files.createDirectories(dir.resolve("samples"));
        java.nio.file.Files.write(
                samples.resolve("input_0.pb"),
                dev.slicer.model.onnx.Tensors.floats("x", new long[] {4, 64}, new float[4 * 64])
                        .toByteArray());
        Run ok = run("verify", m.toString(), "--samples", samples.toString());
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out())
                .contains("input x float32[4, 64] sample (given values)")
                .contains("candidates exact");
        Run missing =
                run("verify", m.toString(), "--samples", dir.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err().strip())
                .startsWith("error: ")
                .doesNotContain("\n")
                .contains("does not exist");
        Run inspect = run(
                "inspect",
                m.toString(),
                "--no-latency",
                "--samples",
                dir.resolve("nope").toString());
        assertThat(inspect.code()).isEqualTo(1);
        assertThat(inspect.err()).startsWith("error: sample directory");
    }

    @Test
    void imageSamplesFeedVerifyThroughTheDeclaredPreprocessing() throws Exception {
        Path m = dir.resolve("resnet.onnx");
        OnnxIo.save(TinyResNet.build(5), m);
        Path samples = Files.createDirectories(dir.resolve("photos"));
        javax.imageio.ImageIO.write(
                new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png",
                samples.resolve("input_0.png").toFile());
        Run ok = run(
                "verify",
                m.toString(),
                "--samples",
                samples.toString(),
                "--image-mean",
                "0.485,0.456,0.406",
                "--image-std",
                "0.229,0.224,0.225");
        assertThat(ok.code()).as(ok.err()).isZero();
        // the 40x30 picture is resized to the input's fixed 32x32
        assertThat(ok.out()).containsPattern("float32\\[1, 3, 32, 32\\] sample \\(given values\\)");
        Run wrongSize = run("verify", m.toString(), "--samples", samples.toString(), "--image-size", "32x48");
        assertThat(wrongSize.code()).isEqualTo(1);
        assertThat(wrongSize.err().strip()).endsWith("needs dimension 3 = 32, the sample has shape [1, 3, 32, 48]");
        Run badSize = run("verify", m.toString(), "--samples", samples.toString(), "--image-size", "32by48");
        assertThat(badSize.code()).isEqualTo(1);
        assertThat(badSize.err().strip()).isEqualTo("error: --image-size wants HxW, got '32by48'");
        Run badStd = run("verify", m.toString(), "--samples", samples.toString(), "--image-std", "0,1,1");
        assertThat(badStd.code()).isEqualTo(1);
        assertThat(badStd.err().strip()).startsWith("error: image std values must be positive");
    }

    @Test
    void verifyAndInspectAFile() throws Exception {
        Path m = dir.resolve("resnet.onnx");
        OnnxIo.save(TinyResNet.build(5), m);
        Run v = run("verify", m.toString());
        assertThat(v.code()).isZero();
        assertThat(v.out().strip().lines().reduce((a, b) -> b).orElseThrow())
                .matches("verify: (\\d+)/\\1 candidates exact max_abs_diff=.*");
        Run i = run("inspect", m.toString(), "--no-latency");
        assertThat(i.code()).isZero();
        assertThat(i.out()).contains("layer2.1").contains("float32[batch,32,16,16]");
    }

    @Test
    void quantizeWritesTheFrontAtomically() throws Exception {
        Path m = dir.resolve("llama.onnx");
        OnnxIo.save(TinyLlama.build(TinyLlama.Config.TINY, 5), m);
        Path out = dir.resolve("front.onnx");
        Run q = run("quantize", m.toString(), "--front", "model.layers.1", "--out", out.toString());
        assertThat(q.code()).as(q.err()).isZero();
        assertThat(q.out()).contains("front param bytes:").contains("output cosine vs float:");
        assertThat(OnnxIo.load(out).getGraph().getNodeList())
                .anyMatch(n -> n.getOpType().equals("DequantizeLinear"));
        assertNoTempFiles();
    }

    @Test
    void userErrorsAreOneLineWithoutStackTrace() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.onnx"), "not onnx at all");
        Run r = run("inspect", junk.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: ").contains("junk.onnx").doesNotContain("\tat ");
        Path m = dir.resolve("resnet.onnx");
        OnnxIo.save(TinyResNet.build(5), m);
        Run range = run(
                "quantize",
                m.toString(),
                "--front",
                "99",
                "--out",
                dir.resolve("x.onnx").toString());
        assertThat(range.code()).isEqualTo(1);
        assertThat(range.err()).contains("out of range").doesNotContain("\tat ");
        assertThat(dir.resolve("x.onnx")).doesNotExist();
        Run missing = run("verify", "builtin:unknown");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("builtin:unknown");
        assertThat(run("quantize", m.toString()).code()).isEqualTo(2);
        assertNoTempFiles();
    }

    private void assertNoTempFiles() throws java.io.IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(x -> x.getFileName().toString())).noneMatch(n -> n.startsWith(AtomicFiles.TEMP_PREFIX));
        }
    }

    @Test
    void givenInputShapesAreUsedAndReportedAndBadOnesAreOneErrorLine() throws Exception {
        Path f = dir.resolve("mlp.onnx");
        OnnxIo.save(dev.slicer.model.WildModels.constantWeightMlp(11), f);
        Run ok = run("verify", f.toString(), "--input", "x=3x64");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("input x float32[3, 64] given").contains("candidates exact");
        Run bad = run("verify", f.toString(), "--input", "x=3xbig");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err().strip()).startsWith("error: --input x=3xbig").doesNotContain("\n");
        Run q = run(
                "quantize",
                f.toString(),
                "--front",
                "0",
                "--out",
                dir.resolve("q.onnx").toString());
        assertThat(q.code()).as(q.err()).isZero();
        assertThat(q.out()).contains("note: opset 11 has no per-axis DequantizeLinear");
    }
}
