package dev.slicer.backend;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A plan directory laid out as the kubelet lays out a ConfigMap volume: a timestamped directory with the keys,
 * a {@code ..data} symlink to it, and one symlink per key through {@code ..data}. An update writes a new directory
 * and swaps {@code ..data} atomically (rename of a new symlink over the old one), as the kubelet does.
 */
public class PlanDirResource implements QuarkusTestResourceLifecycleManager {
    static Path dir;
    private static int generation;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("slicer-plan");
            publish("{\"schema\":\"slicer-plan/v1\",\"rev\":1}", "hash-1");
            Files.createSymbolicLink(dir.resolve("plan.json"), Path.of("..data/plan.json"));
            Files.createSymbolicLink(dir.resolve("plan.hash"), Path.of("..data/plan.hash"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "slicer.backend.plan-file",
                dir.resolve("plan.json").toString(),
                "slicer.backend.plan-poll-interval",
                "100ms");
    }

    /** Writes a new generation of the ConfigMap and swaps {@code ..data} to it. */
    static synchronized void publish(String json, String hash) throws IOException {
        Path gen = dir.resolve("..2026_12_02_00_00_00." + (++generation));
        Files.createDirectory(gen);
        Files.writeString(gen.resolve("plan.json"), json);
        Files.writeString(gen.resolve("plan.hash"), hash);
        Path tmp = dir.resolve("..data_tmp");
        Files.createSymbolicLink(tmp, gen.getFileName());
        Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void stop() {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
