package dev.slicer.model.zoo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The zoo of real exported models ({@code zoo/models.tsv}): where each comes from, and its local
 * file once {@code model/zoo/fetch.sh} fetched it with the registries' clients. Models are never
 * in the repository; a model that could not be fetched says why.
 */
public final class Zoo {
    /** Overrides the zoo directory (default {@code ~/.cache/slicer/zoo}). */
    public static final String DIR_PROPERTY = "slicer.zoo.dir";

    public static final String DIR_ENV = "SLICER_ZOO_DIR";
    /** Bound on one fetch run (downloads of about 50 MB). */
    static final long FETCH_TIMEOUT_SECONDS = 900;

    /**
     * One zoo model: {@code uri} is a builtin name or the local file; {@code missing} says why it is absent;
     * {@code minFidelity} is the documented fidelity its int8 weights must keep (column 6 of models.tsv; the
     * metric is the one {@code Fidelity} picks for its outputs; NaN for a model without float weights).
     */
    public record Entry(
            String name,
            String registry,
            String pkg,
            String path,
            String exercises,
            String uri,
            String missing,
            double minFidelity) {
        public boolean available() {
            return missing == null;
        }

        public String source() {
            return registry.equals("builtin") ? pkg : registry + " " + pkg + " " + path;
        }
    }

    private Zoo() {}

    public static Path dir() {
        String p = System.getProperty(DIR_PROPERTY, System.getenv(DIR_ENV));
        return p != null && !p.isBlank()
                ? Path.of(p)
                : Path.of(System.getProperty("user.home"), ".cache", "slicer", "zoo");
    }

    /** The zoo's entries as declared, without fetching. */
    public static List<Entry> declared() {
        List<Entry> out = new ArrayList<>();
        try (InputStream in = Zoo.class.getResourceAsStream("/zoo/models.tsv");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                double floor = f.length > 5 && !f[5].equals("-") ? Double.parseDouble(f[5]) : Double.NaN;
                if (f[1].equals("builtin")) {
                    out.add(new Entry(f[0], f[1], f[2], "", f[4], f[2], null, floor));
                } else {
                    Path file = dir().resolve(f[0] + ".onnx");
                    out.add(new Entry(f[0], f[1], f[2], f[3], f[4], file.toString(), null, floor));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * The zoo's entries, running the fetch script first when a model file is missing; entries still
     * missing afterwards carry the script's message (registry unreachable, script not found).
     */
    public static List<Entry> fetch() {
        List<Entry> declared = declared();
        boolean complete = declared.stream()
                .allMatch(e -> e.registry().equals("builtin") || Files.isRegularFile(Path.of(e.uri())));
        String failure = complete ? null : runFetchScript();
        List<Entry> out = new ArrayList<>();
        for (Entry e : declared) {
            boolean present = e.registry().equals("builtin") || Files.isRegularFile(Path.of(e.uri()));
            out.add(
                    present
                            ? e
                            : new Entry(
                                    e.name(),
                                    e.registry(),
                                    e.pkg(),
                                    e.path(),
                                    e.exercises(),
                                    e.uri(),
                                    failure != null ? failure : "not fetched",
                                    e.minFidelity()));
        }
        return out;
    }

    /** Runs {@code model/zoo/fetch.sh}; null on success, else what went wrong (its last message). */
    static String runFetchScript() {
        Path script = locateScript();
        if (script == null) {
            return "fetch script model/zoo/fetch.sh not found (run from the project checkout)";
        }
        try {
            Files.createDirectories(dir());
            Path log = Files.createTempFile(dir(), "fetch", ".log");
            Process p = new ProcessBuilder("bash", script.toString(), dir().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(FETCH_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "fetch timed out after " + FETCH_TIMEOUT_SECONDS + " s";
            }
            List<String> lines = Files.readAllLines(log);
            Files.deleteIfExists(log);
            if (p.exitValue() == 0) {
                return null;
            }
            return lines.stream()
                    .filter(l -> l.startsWith("zoo: ") && l.contains("skipped"))
                    .reduce((a, b) -> b)
                    .orElse("fetch failed (exit " + p.exitValue() + ")");
        } catch (IOException e) {
            return "fetch failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "fetch interrupted";
        }
    }

    private static Path locateScript() {
        Path cwd = Path.of("").toAbsolutePath();
        for (Path p = cwd; p != null; p = p.getParent()) {
            for (Path c : List.of(p.resolve("zoo/fetch.sh"), p.resolve("model/zoo/fetch.sh"))) {
                if (Files.isRegularFile(c)) {
                    return c;
                }
            }
        }
        return null;
    }
}
