package dev.slicer.bench.ar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.bench.BenchCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code slicer bench ar-floor} on builtin:tiny-llama (64-wide states: 1024 fp16 bits). */
class ArFloorCommandTest {
    static final Pattern LAST = Pattern.compile("ar-floor: floor=0\\.9500 bits_per_token=([0-9.]+)"
            + " share_of_fp16=([0-9.]+) agreement=([0-9.]+) kl=[0-9.]+ met=(true|false)");

    record Run(int rc, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream previousOut = System.out;
        PrintStream previousErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int rc = new CommandLine(new BenchCli()).execute(args);
            return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(previousOut);
            System.setErr(previousErr);
        }
    }

    @Test
    void findsTheSmallestRateOnTheGridThatKeepsTheFloor() {
        Run r = run("ar-floor", "--model", "builtin:tiny-llama", "--tokens", "16", "--shares", "0.05,0.6");
        String printed = r.out() + r.err();
        assertThat(r.rc()).as(printed).isZero();
        // the table's header and rows, then the summary
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(4);
        String[] low = lines.get(1).trim().split("\\s+");
        String[] high = lines.get(2).trim().split("\\s+");
        assertThat(low[0]).isEqualTo("0.050");
        assertThat(Double.parseDouble(low[1])).isEqualTo(51.2);
        assertThat(high[1]).isEqualTo("614.4");
        // 0.6 bits per value of fp16 keep the tokens; 0.8 bits per value do not
        assertThat(Double.parseDouble(high[3])).isGreaterThanOrEqualTo(0.95);
        assertThat(Double.parseDouble(low[3])).isLessThan(0.95);
        Matcher m = LAST.matcher(lines.get(lines.size() - 1));
        assertThat(m.matches()).as(printed).isTrue();
        assertThat(m.group(1)).isEqualTo("614.4");
        assertThat(m.group(2)).isEqualTo("0.600");
        assertThat(m.group(4)).isEqualTo("true");
    }

    @Test
    void badOptionsAreRefusedWithTheirRule() {
        // a usage error (exit code 2) naming the rule, before any model is loaded
        Run shares = run("ar-floor", "--model", "no-such-model", "--shares", "0,0.1");
        assertThat(shares.rc()).isEqualTo(2);
        assertThat(shares.err()).contains("--shares must lie in (0, 1], got 0.0");
        Run prompts = run("ar-floor", "--model", "no-such-model", "--prompts", "9");
        assertThat(prompts.rc()).isEqualTo(2);
        assertThat(prompts.err()).contains("--prompts in 1..8");
    }
}
