package dev.slicer.edge.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * The plan file fallback. It may be a mounted ConfigMap (kubelet swaps a symlink), so it is re-read on a timer and
 * applied when its content changes; an unreadable or invalid file keeps the previous plan and is logged once per
 * change.
 */
public final class PlanFileSource {
    private static final Logger LOG = Logger.getLogger(PlanFileSource.class);
    /** A plan is a few kilobytes; anything this large is not one. */
    static final long MAX_BYTES = 16L << 20;

    private final Path path;
    private final PlanHolder holder;
    private String lastContent;
    private String lastError;

    public PlanFileSource(Path path, PlanHolder holder) {
        this.path = path;
        this.holder = holder;
    }

    /** Reads the file and applies it if it changed. */
    public synchronized void poll() {
        String content;
        try {
            if (!Files.isRegularFile(path)) {
                report("plan file " + path + " does not exist");
                return;
            }
            if (Files.size(path) > MAX_BYTES) {
                report("plan file " + path + " is larger than " + MAX_BYTES + " bytes");
                return;
            }
            content = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            report("cannot read plan file " + path + ": " + e.getMessage());
            return;
        }
        if (Objects.equals(content, lastContent)) {
            return;
        }
        try {
            holder.fromFile(holder.parse(content));
            lastContent = content;
            lastError = null;
        } catch (IllegalArgumentException e) {
            report("plan file " + path + ": " + e.getMessage());
        }
    }

    private void report(String error) {
        if (!error.equals(lastError)) {
            LOG.warn(error + "; keeping the previous plan");
            lastError = error;
        }
    }
}
