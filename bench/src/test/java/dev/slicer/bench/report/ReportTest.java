package dev.slicer.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.bench.jmh.Throughput;
import dev.slicer.bench.metrics.Quality;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static ResultRow row(
            String id,
            boolean slicer,
            boolean reference,
            String token,
            double bits,
            double cos,
            double enc,
            double dec) {
        return new ResultRow(
                "minilm",
                id,
                slicer ? "slicer topk+rans" : id,
                slicer ? "topk s=0.75, M=3/3" : "zstd | level 1",
                slicer,
                !slicer,
                reference,
                token,
                new Quality(bits, cos, cos - 0.01, 1.25e-3, 100, 200),
                new Throughput(enc, 1.0),
                new Throughput(dec, Double.NaN),
                "jmh-fork1");
    }

    private static final List<ResultRow> ROWS = List.of(
            row("zstd1-fp32", false, false, "zstd1-fp32", 29.87654, 1.0, 812.345, 1500.04),
            row("ref", true, true, "topk_s=0.75_M=3/3_q8_d0.01_rans", 2.71249, 0.923456, 410.06, 1999.95),
            row("ts1", true, false, "ts-tabq_o=0.010_q4_d0.01_rans", 3.4, 0.99, 300, 900),
            row("ts2", true, false, "ts-tabq_o=0.010_q5_d0.01_rans", 4.2, 0.996, 300, 900),
            row("ts3", true, false, "ts-tabq_o=0.005_q3_d0.01_rans", 2.9, 0.9899, 300, 900),
            row("ecsq-tensor-c0.48", false, false, "ecsq-tensor-c0.48", 3.2, 0.9906, 2000, 3000));

    @Test
    void summaryLineHasTheExactFormat() {
        String line = Summary.line(ROWS, "zstd1-fp32");
        assertThat(line)
                .isEqualTo("summary: slicer_bits_per_element=2.712 cosine=0.9235 encode_mb_s=410.1 decode_mb_s=2000.0"
                        + " zstd1_bits_per_element=29.877 zstd1_encode_mb_s=812.3 zstd1_decode_mb_s=1500.0"
                        + " best_bits_at_cos99=3.400 best_mode_at_cos99=ts-tabq_o=0.010_q4_d0.01_rans"
                        + " baseline_ecsq_bits_at_cos99=3.200 best_mode_encode_mb_s=300.0 best_mode_decode_mb_s=900.0");
        assertThat(line)
                .matches("summary: slicer_bits_per_element=\\d+\\.\\d{3} cosine=-?\\d\\.\\d{4}"
                        + " encode_mb_s=\\d+\\.\\d decode_mb_s=\\d+\\.\\d zstd1_bits_per_element=\\d+\\.\\d{3}"
                        + " zstd1_encode_mb_s=\\d+\\.\\d zstd1_decode_mb_s=\\d+\\.\\d"
                        + " best_bits_at_cos99=\\d+\\.\\d{3} best_mode_at_cos99=\\S+"
                        + " baseline_ecsq_bits_at_cos99=\\d+\\.\\d{3} best_mode_encode_mb_s=\\d+\\.\\d"
                        + " best_mode_decode_mb_s=\\d+\\.\\d");
    }

    @Test
    void summaryWithoutAnyModeAtTheTarget() {
        String line = Summary.line(ROWS.subList(0, 2), "zstd1-fp32");
        assertThat(line)
                .endsWith(" best_bits_at_cos99=NaN best_mode_at_cos99=none baseline_ecsq_bits_at_cos99=NaN"
                        + " best_mode_encode_mb_s=NaN best_mode_decode_mb_s=NaN");
    }

    @Test
    void summaryNeedsReferenceAndZstdRows() {
        assertThatThrownBy(() -> Summary.line(ROWS.subList(0, 1), "zstd1-fp32"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Summary.line(ROWS.subList(1, 2), "zstd1-fp32"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bestAtTargetIgnoresBaselinesAndRowsBelowTarget() {
        assertThat(Summary.bestAtTarget(ROWS)).map(ResultRow::methodId).contains("ts1");
    }

    @Test
    void markdownTableHasOneLinePerRowAndEscapesPipes() {
        String md = MarkdownTable.render(ROWS.subList(0, 2));
        List<String> lines = md.lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo(MarkdownTable.HEADER);
        assertThat(lines.get(2))
                .isEqualTo("| zstd1-fp32 | zstd \\| level 1 | 29.877 | 1.0000 | 1.250e-03 | 812.3 | 1500.0 |");
        assertThat(lines.get(3))
                .isEqualTo("| slicer topk+rans **(ref)** | topk s=0.75, M=3/3 | 2.712 | 0.9235 | 1.250e-03 | 410.1 |"
                        + " 2000.0 |");
    }

    @Test
    void csvQuotesFieldsWithCommasAndLeavesNaNEmpty() {
        String csv = CsvTable.render(ROWS.subList(1, 2));
        List<String> lines = csv.lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo(CsvTable.HEADER);
        assertThat(lines.get(1))
                .isEqualTo("minilm,ref,slicer topk+rans,\"topk s=0.75, M=3/3\",true,false,true,2.71249,0.923456,"
                        + "0.913456,0.00125000,100,200,410.060,1.00000,1999.95,,jmh-fork1");
        assertThat(lines.get(1).split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1))
                .hasSize(CsvTable.HEADER.split(",").length);
        assertThat(CsvTable.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    }

    @Test
    void goalsReportMetAndMissed() {
        List<String> goals = Goals.check(ROWS, "zstd1-fp32");
        assertThat(goals.get(0)).startsWith("- [x] reference point: 2.712 bits/element");
        assertThat(goals.get(1)).startsWith("- [ ] fewest bits at cosine >= 0.99: 3.400 bits/element (goal <= 3.0)");
        assertThat(goals).anyMatch(g -> g.startsWith("- [ ] best mode at 0.99 encodes at 300.0 MB/s"));
        assertThat(goals).anyMatch(g -> g.startsWith("- [ ] reference encode 410.1 MB/s vs zstd-1 812.3 MB/s"));
        assertThat(goals).anyMatch(g -> g.startsWith("- [x] reference decode 2000.0 MB/s"));
    }
}
