package dev.slicer.planner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlanCliTest {
    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PlanCli.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void jsonOutputIsExactlyOneDocumentWithRatesAndSplits() throws Exception {
        Result r = run("--model", "synthetic:6", "--latency", "50ms", "--memory", "512Mi", "--json");
        assertThat(r.code).as(r.err).isZero();
        JsonNode plan = new ObjectMapper().readTree(r.out);
        JsonNode rows = plan.get("tables").get(0).get("rows");
        assertThat(rows.size()).isEqualTo(33);
        for (JsonNode row : rows) {
            assertThat(row.has("rateBitsPerSecond")).isTrue();
            assertThat(row.get("split").asInt()).isBetween(-1, 6);
        }
        assertThat(plan.get("sha256").asText()).hasSize(64);
        assertThat(r.err).contains("conservative prior");
    }

    @Test
    void arAndSnrOptionsProduceATable() {
        Result r = run(
                "--model",
                "synthetic:4",
                "--latency",
                "200ms",
                "--memory",
                "2Gi",
                "--ar",
                "--tokens",
                "8",
                "--ar-memory",
                "8Mi",
                "--bandwidth-hz",
                "20M",
                "--snr-db",
                "0:30",
                "--buckets",
                "8");
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("eps-outage").contains("AR: tokens=8");
    }

    @Test
    void badUnitsGiveClearErrors() {
        Result r = run("--model", "synthetic:4", "--latency", "50", "--memory", "512Mi");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("needs a unit");
        Result m = run("--model", "synthetic:4", "--latency", "50ms", "--memory", "512Qi");
        assertThat(m.code).isEqualTo(2);
        assertThat(m.err).contains("unknown size unit");
        Result b = run("--model", "synthetic:0", "--latency", "50ms", "--memory", "512Mi");
        assertThat(b.code).isEqualTo(2);
    }

    @Test
    void unitsParse() {
        assertThat(Units.seconds("50ms")).isEqualTo(0.05);
        assertThat(Units.seconds("250us")).isEqualTo(250e-6);
        assertThat(Units.seconds("1.5s")).isEqualTo(1.5);
        assertThat(Units.bytes("512Mi")).isEqualTo(512L << 20);
        assertThat(Units.bytes("8M")).isEqualTo(8_000_000L);
        assertThat(Units.bytes("64Ki")).isEqualTo(65536L);
        assertThat(Units.bytes("1Gi")).isEqualTo(1L << 30);
        assertThat(Units.bytes("3k")).isEqualTo(3000L);
        assertThat(Units.bitsPerSecond("64k")).isEqualTo(64_000);
        assertThatThrownBy(() -> Units.seconds("-5ms")).hasMessageContaining("cannot parse");
        assertThatThrownBy(() -> Units.seconds("5h")).hasMessageContaining("unknown duration unit");
        assertThatThrownBy(() -> Units.bytes("lots")).hasMessageContaining("cannot parse");
    }

    @Test
    void planCheckExecutesEveryRowOfARealModelAndEndsWithTheSummaryLine() {
        // a real model (the seeded tiny Llama) forced to split by a 300 KiB budget; figures are this machine's,
        // so only what does not depend on its speed is asserted: the format, the bytes bound, fidelity, the floor
        Result r = run(
                "check",
                "--model",
                "builtin:tiny-llama",
                "--latency",
                "2ms",
                "--memory",
                "300Ki",
                "--buckets",
                "6",
                "--samples",
                "1",
                "--check-samples",
                "1");
        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        String last = lines[lines.length - 1];
        assertThat(last)
                .matches("plancheck: rows=\\d+ latency_error_p50=\\d+\\.\\d{3} bytes_error_max=\\d+\\.\\d{3}"
                        + " fidelity_error_max=\\d\\.\\d{4} below_floor=0");
        assertThat(r.out()).contains(" SPLIT ").doesNotContain("predicted fewer bytes than measured");
        double fidelityError = Double.parseDouble(last.replaceAll(".*fidelity_error_max=([0-9.]+).*", "$1"));
        assertThat(fidelityError).isLessThanOrEqualTo(0.02);
        assertThat(lines[lines.length - 2]).startsWith("zeta: rows=");
    }

    @Test
    void calibrateMeasuresOrExcludesEveryCellIncludingEcsqBudgets() throws Exception {
        // the tiny Llama's features are small (1-2 bits per element is tens of bytes): every ECSQ cell of the
        // standard grid must come out measured or excluded with a reason, never empty
        java.nio.file.Path out = java.nio.file.Path.of("target", "calibrate-test", "tiny-llama.json");
        java.nio.file.Files.createDirectories(out.getParent());
        Result r = run("calibrate", "--model", "builtin:tiny-llama", "--samples", "1", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        var p = dev.slicer.planner.plan.PlanJson.read(
                java.nio.file.Files.readString(out), dev.slicer.planner.model.SplitProfile.class);
        var table = p.distortion();
        int cells = 0;
        for (var t : dev.slicer.planner.search.KnobGrid.standard().thetas()) {
            if (t.mode() != dev.slicer.codec.CodecMode.ECSQ) {
                continue;
            }
            for (int c = 0; c < p.candidates().size(); c++) {
                boolean measured = !Double.isNaN(table.lookup(t, c));
                assertThat(measured || table.exclusion(t, c) != null)
                        .as(t.id() + " at " + c)
                        .isTrue();
                cells += measured ? 1 : 0;
                // a budget's encode time depends on the feature: every usable cell has its own, timed there
                if (measured) {
                    assertThat(p.encodeTime().entries())
                            .as(t.id() + " at " + c)
                            .containsKey(dev.slicer.planner.cost.LinearCodecTimeModel.candidateKey(c, t));
                }
            }
        }
        assertThat(cells).isPositive();
    }

    @Test
    void calibrateMeasuresOnEverySampleSetAtTheirShapes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // two ONNX-zoo style sets of images for the tiny ResNet (fixed 32x32 input): each is resized to it
        for (int s = 0; s < 2; s++) {
            java.nio.file.Path set = java.nio.file.Files.createDirectories(dir.resolve("test_data_set_" + s));
            var img = new java.awt.image.BufferedImage(40 + s * 20, 30, java.awt.image.BufferedImage.TYPE_INT_RGB);
            img.setRGB(s, s, 0xff8040);
            javax.imageio.ImageIO.write(img, "png", set.resolve("input_0.png").toFile());
        }
        java.nio.file.Path out = dir.resolve("profile.json");
        Result r = run(
                "calibrate",
                "--model",
                "builtin:tiny-resnet",
                "--sample-dir",
                dir.toString(),
                "--image-mean",
                "0.5",
                "--out",
                out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        var p = dev.slicer.planner.plan.PlanJson.read(
                java.nio.file.Files.readString(out), dev.slicer.planner.model.SplitProfile.class);
        assertThat(p.distortion().samples())
                .as("one calibration sample per set")
                .isEqualTo(2);
        assertThat(p.assumptions())
                .anySatisfy(a -> assertThat(a).contains("calibrated on all 2 sample set(s) from " + dir));
        // the profile is measured at the sets' shape: the input is 1x3x32x32 float32
        assertThat(p.inputBytes()).isEqualTo(3L * 32 * 32 * 4);
    }

    @Test
    void calibrateRefusesUnusableSampleSetsInOneLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        Result missing = run(
                "calibrate",
                "--model",
                "builtin:tiny-resnet",
                "--sample-dir",
                dir.resolve("nope").toString(),
                "--out",
                dir.resolve("p.json").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip())
                .endsWith("does not exist or is not a directory")
                .doesNotContain("\tat ");
        Result empty = run(
                "calibrate",
                "--model",
                "builtin:tiny-resnet",
                "--sample-dir",
                dir.toString(),
                "--out",
                dir.resolve("p.json").toString());
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.err()).contains("no sample files");
        java.nio.file.Files.writeString(dir.resolve("x.npy"), "not numpy");
        Result both = run(
                "calibrate",
                "--model",
                "builtin:tiny-resnet",
                "--sample-dir",
                dir.toString(),
                "--samples",
                "3",
                "--out",
                dir.resolve("p.json").toString());
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("give one of them");
        java.nio.file.Path garbage = java.nio.file.Files.writeString(dir.resolve("bad.onnx"), "garbage");
        Result corrupt = run(
                "calibrate",
                "--model",
                garbage.toString(),
                "--out",
                dir.resolve("p.json").toString());
        assertThat(corrupt.code()).isEqualTo(2);
        assertThat(corrupt.err().strip().lines().reduce((a, b) -> b).orElseThrow())
                .startsWith("slicer plan: not a valid ONNX model");
        assertThat(corrupt.err()).doesNotContain("\tat ");
        assertThat(java.nio.file.Files.exists(dir.resolve("p.json"))).isFalse();
    }

    @Test
    void planCheckNeedsARealModel() {
        Result r = run("check", "--model", "synthetic:4", "--latency", "50ms", "--memory", "512Mi");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("plan check executes the model");
    }
}
