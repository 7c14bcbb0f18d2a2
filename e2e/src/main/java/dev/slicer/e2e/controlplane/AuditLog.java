package dev.slicer.e2e.controlplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The API server's audit log of writes. The policy logs create/update/patch/delete/deletecollection at Metadata
 * level once a request completes; the log backend runs in blocking mode, so an event is in the file before the
 * client sees the answer and a count taken after a request includes it.
 */
public final class AuditLog {
    static final String POLICY =
            """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: ["RequestReceived", "ResponseStarted", "Panic"]
            rules:
            - level: Metadata
              verbs: ["create", "update", "patch", "delete", "deletecollection"]
            - level: None
            """;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    AuditLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Every write so far, oldest first. */
    public List<AuditEvent> writes() {
        String text;
        try {
            text = Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // only whole lines: the server may be appending the next event right now
        List<AuditEvent> events = new ArrayList<>();
        for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
            if (!line.isBlank()) {
                try {
                    events.add(AuditEvent.of(JSON.readTree(line)));
                } catch (IOException e) {
                    throw new UncheckedIOException("bad audit line in " + file, e);
                }
            }
        }
        return events;
    }

    /** How many writes so far match {@code filter}. */
    public long count(Predicate<AuditEvent> filter) {
        return writes().stream().filter(filter).count();
    }
}
