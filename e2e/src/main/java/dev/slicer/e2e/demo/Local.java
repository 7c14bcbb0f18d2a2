package dev.slicer.e2e.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Small helpers for the demo's local processes: installer scripts and readiness probes. */
final class Local {
    private Local() {}

    /**
     * Runs one of the project's {@code ensure-*.sh} scripts (installs a Debian package when root and missing) and
     * returns the binary path it prints, or empty when the tool cannot be had.
     */
    static Optional<Path> ensure(Path root, String script) {
        try {
            Process p = new ProcessBuilder(
                            "sh",
                            root.resolve("e2e/src/main/sh").resolve(script).toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0 && !out.isEmpty()
                    ? Optional.of(Path.of(out))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** True when GET {@code url} answers 200 within two seconds. */
    static boolean answers200(HttpClient http, String url) {
        try {
            return http.send(
                                    HttpRequest.newBuilder(URI.create(url))
                                            .timeout(Duration.ofSeconds(2))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
