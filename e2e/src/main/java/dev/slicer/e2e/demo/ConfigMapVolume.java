package dev.slicer.e2e.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A ConfigMap volume in the kubelet's layout: the keys live in a timestamped directory {@code ..<n>}, the symlink
 * {@code ..data} points at it, and each key is a symlink {@code KEY -> ..data/KEY}. An update writes a new directory
 * and swaps {@code ..data} with one atomic rename, so a reader sees the old set of keys or the new one, never a mix.
 */
public final class ConfigMapVolume {
    private final Path dir;
    private int version;

    public ConfigMapVolume(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Publishes {@code data} as the volume's content, replacing the previous one atomically. */
    public synchronized void write(Map<String, String> data) throws IOException {
        Path old = Files.isSymbolicLink(dir.resolve("..data"))
                ? dir.resolve(Files.readSymbolicLink(dir.resolve("..data")))
                : null;
        Path fresh = dir.resolve("..v" + (++version));
        Files.createDirectories(fresh);
        for (Map.Entry<String, String> e : data.entrySet()) {
            Files.writeString(fresh.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
        }
        Path tmp = dir.resolve("..data_tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, fresh.getFileName());
        Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (String key : data.keySet()) {
            Path link = dir.resolve(key);
            if (!Files.isSymbolicLink(link)) {
                Files.createSymbolicLink(link, Path.of("..data", key));
            }
        }
        if (old != null && !old.equals(fresh)) {
            deleteTree(old);
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
