package dev.slicer.backend.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The mounted plan: {@code plan.json} and {@code plan.hash} beside it (the operator's ConfigMap keys). The kubelet
 * updates a ConfigMap volume by swapping the {@code ..data} symlink, so both files are read through their paths each
 * time; a read that straddles a swap is detected (the hash read before and after differ) and retried next poll.
 */
public final class PlanFile {
    /** Largest plan accepted (a ConfigMap holds at most 1 MiB). */
    static final long MAX_BYTES = 1 << 20;

    private final Path json;
    private final Path hash;

    public PlanFile(Path json) {
        this.json = json;
        this.hash = json.resolveSibling("plan.hash");
    }

    public Path path() {
        return json;
    }

    /** The current plan; empty when there is none (yet) or it is being swapped. */
    public Optional<Plan> read() throws IOException {
        try {
            String before = readHash();
            if (Files.size(json) > MAX_BYTES) {
                throw new IOException(json + " is larger than " + MAX_BYTES + " bytes");
            }
            byte[] body = Files.readAllBytes(json);
            String after = readHash();
            if (before != null && !before.equals(after)) {
                return Optional.empty();
            }
            String sha = after != null ? after : sha256(body);
            return Optional.of(new Plan(sha, new String(body, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private String readHash() throws IOException {
        try {
            if (Files.size(hash) > 1024) {
                throw new IOException(hash + " is not a hash");
            }
            String h = Files.readString(hash).trim();
            return h.isEmpty() ? null : h;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A plan document and its content hash. */
    public record Plan(String sha256, String json) {}
}
