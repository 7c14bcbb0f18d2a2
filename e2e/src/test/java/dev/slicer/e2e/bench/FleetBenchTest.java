package dev.slicer.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The fleet benchmark run tiny on the real back-end and edge processes: its outputs agree with each other. */
class FleetBenchTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Pattern LAST = Pattern.compile("fleet: edges=(\\d+) server_time_ratio_cloud_over_slicer=([0-9.]+)"
            + " server_time_ratio_shallow_over_slicer=([0-9.]+) server_time_ratio_uncompressed_over_slicer=([0-9.]+)"
            + " slicer_uplink_bytes_per_request=(\\d+) fidelity=([0-9.]+)");

    @Test
    void tinyRunWritesTableCsvAndALastLineComputedFromTheMeasuredFigures() throws Exception {
        Path out = Path.of("target", "fleet-test").toAbsolutePath();
        String text = run(out, "--edges", "1,2");
        List<String> lines = text.lines().toList();
        Matcher last = lastLine(text);
        assertEquals("2", last.group(1));

        // every strategy at every edge count, in the table and the CSV
        long tableRows = lines.stream()
                .filter(l -> l.matches("\\| [a-z-]+ \\| \\d+ \\|.*"))
                .count();
        assertEquals(8, tableRows, text);
        List<String> csv = Files.readAllLines(out.resolve("fleet-minilm.csv"));
        assertEquals(FleetReport.CSV_HEADER, csv.get(0));
        assertEquals(9, csv.size());
        assertTrue(Files.size(out.resolve("fleet-minilm.png")) > 1000);

        // the ratios are the CSV's back-end CPU per request at 2 edges, over SLICER's
        Map<String, String[]> at2 = new HashMap<>();
        for (String row : csv.subList(1, csv.size())) {
            String[] f = row.split(",");
            assertEquals("0", f[3], "failed requests: " + row);
            assertEquals(Integer.parseInt(f[1]) * 2, Integer.parseInt(f[2]), "requests = edges x 2: " + row);
            assertTrue(Double.parseDouble(f[4]) > 0, "the back-end spent no CPU: " + row);
            if (f[1].equals("2")) {
                at2.put(f[0], f);
            }
        }
        double slicer = Double.parseDouble(at2.get("slicer")[5]);
        assertRatio(at2.get("cloud-only")[5], slicer, last.group(2));
        assertRatio(at2.get("shallow")[5], slicer, last.group(3));
        assertRatio(at2.get("uncompressed")[5], slicer, last.group(4));
        assertEquals(Math.round(Double.parseDouble(at2.get("slicer")[11])), Long.parseLong(last.group(5)));
        double fidelity = Double.parseDouble(last.group(6));
        assertEquals(Double.parseDouble(at2.get("slicer")[12]), fidelity, 1e-4);
        assertTrue(fidelity > 0.9 && fidelity <= 1.0001, "fidelity " + fidelity);
    }

    /** Recomputed from the CSV's figures (4 decimals): equal to the last line's within its 2 decimals. */
    private static void assertRatio(String cpu, double slicer, String printed) {
        double r = Double.parseDouble(cpu) / slicer;
        assertEquals(r, Double.parseDouble(printed), 0.005 + 1e-3 * r, "ratio " + printed + " vs " + r);
    }

    @Test
    void tinyArRunServesCompletionsThroughEveryStrategyWithTheUnsplitGreedyText() throws Exception {
        Path out = Path.of("target", "fleet-ar-test").toAbsolutePath();
        String text = run(out, "--ar", "--tokens", "8", "--edges", "1");
        Matcher last = lastLine(text);
        // the toy decoder's plan keeps every greedy token (lossless rows at the agreement floor); cloud-only too
        assertEquals(1.0, Double.parseDouble(last.group(6)), 1e-9, text);
        List<String> csv = Files.readAllLines(out.resolve("fleet-tiny-llama.csv"));
        assertEquals(5, csv.size(), text);
        Map<String, String[]> rows = new HashMap<>();
        for (String row : csv.subList(1, csv.size())) {
            String[] f = row.split(",");
            assertEquals("0", f[3], "failed completions: " + row);
            assertEquals(1.0, Double.parseDouble(f[13]), 1e-9, "lowest greedy agreement: " + row);
            rows.put(f[0], f);
        }
        // cloud-only sends token ids, a split the layer's features: more bytes, less back-end work per token
        assertTrue(Double.parseDouble(rows.get("cloud-only")[11]) < Double.parseDouble(rows.get("shallow")[11]), text);
    }

    @Test
    void arNeedsADecoderAndASingleShotRunRefusesOne() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = new CommandLine(new FleetBench(new PrintStream(new ByteArrayOutputStream())));
        cli.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        assertEquals(2, cli.execute("--ar", "--model", "builtin:minilm", "--root", ROOT.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--ar needs one"), err.toString());
        assertEquals(2, cli.execute("--model", "builtin:tiny-llama", "--root", ROOT.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("measure it with --ar"), err.toString());
    }

    @Test
    void aNegativeWarmUpIsRefusedBeforeAnythingStarts() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = new CommandLine(new FleetBench(new PrintStream(new ByteArrayOutputStream())));
        cli.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        assertEquals(2, cli.execute("--warm-up", "-1", "--root", ROOT.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--warm-up must not be negative"), err.toString());
    }

    /**
     * Runs the benchmark tiny (2 requests per edge, one edge process, a short warm-up) into {@code out}; its stdout,
     * exit 0 checked.
     */
    private static String run(Path out, String... options) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<String> args = new java.util.ArrayList<>(List.of(
                "--root",
                ROOT.toString(),
                "--work",
                out.resolve("work").toString(),
                "--out",
                out.toString(),
                "--requests-per-edge",
                "2",
                "--hosts",
                "1",
                "--warm-up",
                "25"));
        args.addAll(List.of(options));
        int code = new CommandLine(new FleetBench(new PrintStream(buf, true, StandardCharsets.UTF_8)))
                .execute(args.toArray(String[]::new));
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        return text;
    }

    /** The last line, matched against the format. */
    private static Matcher lastLine(String text) {
        List<String> lines = text.lines().toList();
        Matcher last = LAST.matcher(lines.get(lines.size() - 1));
        assertTrue(last.matches(), lines.get(lines.size() - 1));
        return last;
    }
}
