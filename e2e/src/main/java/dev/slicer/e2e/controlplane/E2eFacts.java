package dev.slicer.e2e.controlplane;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Facts the operator end-to-end tests establish, for the summary line of {@code ./slicer e2e operator}
 * ({@code apiserver=... ssa=... rbac=... settled_writes=...}). A test records a fact only after asserting it, so
 * a fact in the file is one the run proved. The file is the system property {@code slicer.e2e.facts} (set by the
 * e2e module's Surefire configuration); without it recording does nothing.
 *
 * <p>Keys: {@code apiserver} (recorded by {@link RealControlPlane}), {@code ssa}, {@code rbac},
 * {@code settled_writes}.
 */
public final class E2eFacts {
    private E2eFacts() {}

    public static synchronized void record(String key, String value) {
        String file = System.getProperty("slicer.e2e.facts");
        if (file == null) {
            return;
        }
        Path path = Path.of(file);
        Properties facts = new Properties();
        try {
            if (Files.exists(path)) {
                try (Reader r = Files.newBufferedReader(path)) {
                    facts.load(r);
                }
            }
            facts.setProperty(key, value);
            Files.createDirectories(path.toAbsolutePath().getParent());
            try (Writer w = Files.newBufferedWriter(path)) {
                facts.store(w, "facts proved by the operator end-to-end tests");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record " + key + " in " + path, e);
        }
    }
}
