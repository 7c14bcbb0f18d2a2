package dev.slicer.bench.ar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.bench.BenchCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code slicer bench ar} end to end against the packaged back-end process, on its runtime class path (the edge's
 * AR client is used without the edge's own dependencies): lossless offload reproduces the unsplit model's tokens.
 */
class ArCommandTest {
    @Test
    void losslessOffloadAgreesWithTheUnsplitModelOnEveryToken() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        int rc;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            rc = new CommandLine(new BenchCli())
                    .execute(
                            "ar",
                            "--model",
                            "builtin:tiny-llama",
                            "--tokens",
                            "4",
                            "--warm-up",
                            "1",
                            "--split",
                            "1",
                            "--knobs",
                            "lossless");
        } finally {
            System.setOut(previous);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(printed).isZero();
        assertThat(printed.lines().reduce((a, b) -> b).orElse(""))
                .matches("ar: bits_per_token=[0-9.]+ backend_ms_per_token=[0-9.]+ cloud_backend_ms_per_token=[0-9.]+"
                        + " agreement=1\\.0000 kl=0\\.000000");
    }
}
