package dev.slicer.bench.data;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the bench module from where its classes were loaded ({@code bench/target/classes}), whatever the cwd. */
public final class BenchPaths {

    private BenchPaths() {}

    /** {@code <repo>/bench/target}, or {@code ./target} when the classes do not come from a Maven build tree. */
    public static Path benchTarget() {
        Path classes = codeSource();
        if (classes != null && Files.isDirectory(classes) && classes.getParent() != null) {
            return classes.getParent();
        }
        return Path.of("target").toAbsolutePath();
    }

    /** {@code <repo>/bench}, or the current directory's {@code bench} when unknown. */
    public static Path benchModule() {
        Path target = benchTarget();
        Path module = target.getParent();
        if (module != null && Files.isRegularFile(module.resolve("pom.xml"))) {
            return module;
        }
        return Path.of("bench").toAbsolutePath();
    }

    private static Path codeSource() {
        try {
            var source = BenchPaths.class.getProtectionDomain().getCodeSource();
            return source == null ? null : Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }
}
