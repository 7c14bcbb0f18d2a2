package dev.slicer.e2e.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's {@code chromium}, installed by {@code e2e/src/main/sh/ensure-chromium.sh}) for checking
 * the HTML report in a real browser: the DOM after the page's scripts ran, and a screenshot.
 */
public final class Chromium {
    private Chromium() {}

    public static Optional<Path> find(Path root) {
        return Local.ensure(root, "ensure-chromium.sh");
    }

    /** The page's DOM once loaded (its load handlers have run). */
    public static String dumpDom(Path chromium, Path html) throws IOException, InterruptedException {
        return run(chromium, html, "--dump-dom");
    }

    /** A full-page-width screenshot of the page. */
    public static Path screenshot(Path chromium, Path html, Path png) throws IOException, InterruptedException {
        run(chromium, html, "--screenshot=" + png.toAbsolutePath(), "--window-size=1200,2400");
        return png;
    }

    private static String run(Path chromium, Path html, String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(html.toAbsolutePath().getParent(), "chromium-profile");
        try {
            List<String> cmd = new ArrayList<>(List.of(
                    chromium.toString(),
                    "--headless",
                    "--no-sandbox", // root in CI containers; the page is our own file
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--user-data-dir=" + profile));
            cmd.addAll(List.of(args));
            cmd.add(html.toUri().toString());
            Process p = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("chromium did not finish within 120 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException("chromium exited with " + p.exitValue());
            }
            return out;
        } finally {
            ConfigMapVolume.deleteTree(profile);
        }
    }
}
