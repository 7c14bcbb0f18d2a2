package dev.slicer.edge.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the Python client conformance scripts (venv setup, then the script) with a bounded wait. */
public final class Python {
    private Python() {}

    /** Exit code and combined output; -1 when it timed out. */
    public record Result(int code, String output) {}

    public static Result run(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile(Path.of("target"), "python-", ".log");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        p.getOutputStream().close();
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8).strip();
        return done
                ? new Result(p.exitValue(), out)
                : new Result(-1, "timed out after " + timeoutSeconds + " s: " + out);
    }
}
