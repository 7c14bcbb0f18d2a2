package dev.slicer.crds;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The key a model profile is stored under: the SHA-256 of the model URI, hex. The URI is what the operator knows of
 * the model without downloading it, so it is what a profile can be checked against; a URI pinned to a revision or a
 * content digest names the model's bytes. The profiling Job annotates the {@code <name>-profile} ConfigMap with it
 * ({@link #ANNOTATION}); a profile whose annotation differs from the resource's URI is refused, so a profile made for
 * another model (or for the URI before a spec change) is never planned from.
 */
public final class ModelDigest {

    /** Annotation on the profile ConfigMap. */
    public static final String ANNOTATION = "slicer.dev/model-digest";

    private ModelDigest() {}

    public static String of(String modelUri) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(modelUri.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
