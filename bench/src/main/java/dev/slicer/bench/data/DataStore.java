package dev.slicer.bench.data;

import dev.slicer.model.text.SampleSentences;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Names the benchmark data sets and caches them as files under the bench module's {@code target/} directory, so JMH
 * forks (and repeated runs) load them instead of re-running the model. A key is {@code <kind>-<count>}:
 *
 * <ul>
 *   <li>{@code minilm-N}: MiniLM hidden states of the first N sample sentences ({@code minilm-all}: every sentence);
 *   <li>{@code synthetic-heavy-N}, {@code synthetic-relu-N}: N seeded tensors of {@code [64, 384]}.
 * </ul>
 */
public final class DataStore {

    public static final String DIR_PROPERTY = "slicer.bench.data";
    public static final int SYNTHETIC_ROWS = 64;
    public static final int SYNTHETIC_COLS = 384;
    private static final long HEAVY_SEED = 0x5eed_0001L;
    private static final long RELU_SEED = 0x5eed_0002L;

    private final Path dir;

    public DataStore(Path dir) {
        this.dir = dir;
    }

    /** The store the JMH benchmark uses: {@code -Dslicer.bench.data} or {@code <bench>/target/bench-data}. */
    public static DataStore fromSystemProperty() {
        String p = System.getProperty(DIR_PROPERTY);
        return new DataStore(p != null ? Path.of(p) : BenchPaths.benchTarget().resolve("bench-data"));
    }

    public Path dir() {
        return dir;
    }

    public static String minilmKey(int sentences) {
        return sentences <= 0 ? "minilm-all" : "minilm-" + sentences;
    }

    public static String heavyKey(int count) {
        return "synthetic-heavy-" + count;
    }

    public static String reluKey(int count) {
        return "synthetic-relu-" + count;
    }

    public TensorSet load(String key, Consumer<String> progress) throws IOException {
        Path file = dir.resolve(fileName(key));
        if (Files.isRegularFile(file)) {
            progress.accept("data: " + key + " from " + file);
            return TensorSet.read(file);
        }
        TensorSet set = create(key, progress);
        set.write(file);
        return set;
    }

    private static TensorSet create(String key, Consumer<String> progress) throws IOException {
        int dash = key.lastIndexOf('-');
        if (dash <= 0) {
            throw new IllegalArgumentException("bad data set key " + key);
        }
        String kind = key.substring(0, dash);
        String n = key.substring(dash + 1);
        int count = n.equals("all") ? 0 : Integer.parseInt(n);
        progress.accept("data: creating " + key);
        return switch (kind) {
            case "minilm" -> {
                try {
                    yield MiniLmActivations.extract(
                            count, Math.max(1, Runtime.getRuntime().availableProcessors()), progress);
                } catch (ai.onnxruntime.OrtException e) {
                    throw new IOException("ONNX Runtime failed on MiniLM: " + e.getMessage(), e);
                }
            }
            case "synthetic-heavy" -> SyntheticTensors.heavyTailed(HEAVY_SEED, count, SYNTHETIC_ROWS, SYNTHETIC_COLS);
            case "synthetic-relu" -> SyntheticTensors.reluSparse(RELU_SEED, count, SYNTHETIC_ROWS, SYNTHETIC_COLS);
            default -> throw new IllegalArgumentException("unknown data set kind " + kind + " in " + key);
        };
    }

    /** The cache file of a key; MiniLM files carry a hash of the sentence list, so an edited list is re-extracted. */
    static String fileName(String key) {
        if (key.startsWith("minilm-")) {
            return key + "-" + sentenceHash() + ".bin";
        }
        return key + ".bin";
    }

    private static String sentenceHash() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            List<String> sentences = SampleSentences.load();
            for (String s : sentences) {
                md.update(s.getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            }
            return HexFormat.of().formatHex(md.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
