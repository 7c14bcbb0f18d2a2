package dev.slicer.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.codec.frame.FrameFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden frames pin the byte format: small fixed tensors (plain arithmetic, no RNG or libm) and the expected frame
 * as hex under {@code src/test/resources/dev/slicer/codec/golden/}. A change of the encoding fails here; if it is
 * intended, bump the format version and regenerate with {@code -Dslicer.golden.update=true}.
 */
class GoldenFrameTest {

    static float[] ramp(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = ((i * 37) % 101 - 50) / 7f;
        }
        x[n / 3] = 40f;
        x[(2 * n) / 3] = -33.5f;
        return x;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "topk-rans",
                        TensorShape.of(4, 24),
                        CodecSettings.topK()
                                .sparsity(0.75)
                                .blocks(3, 3)
                                .qbit(8)
                                .delta(0.01)
                                .entropy(true)
                                .build()),
                Arguments.of(
                        "topk-raw-lambda",
                        TensorShape.of(96),
                        CodecSettings.topK()
                                .sparsity(0.5)
                                .blocks(2, 2)
                                .lambda(0.25)
                                .qbit(10)
                                .delta(0.002)
                                .entropy(false)
                                .build()
                                .withSeed(42)),
                Arguments.of(
                        "topk-fixed",
                        TensorShape.of(2, 3, 16),
                        CodecSettings.topK()
                                .sparsity(0.6)
                                .blocks(2, 2)
                                .lambda(0)
                                .qbit(8)
                                .delta(0.01)
                                .entropy(false)
                                .build()
                                .withFixedBits(List.of(8, 4, 2, 1))),
                Arguments.of(
                        "topk-sparse",
                        TensorShape.of(8, 12),
                        CodecSettings.topK()
                                .sparsity(0.97)
                                .blocks(1, 1)
                                .lambda(0)
                                .qbit(16)
                                .delta(0)
                                .entropy(false)
                                .build()),
                Arguments.of(
                        "tabq",
                        TensorShape.of(4, 24),
                        CodecSettings.tsTabq()
                                .outlierFraction(0.05)
                                .qbit(8)
                                .delta(0.01)
                                .entropy(false)
                                .build()),
                Arguments.of(
                        "tabq-rans-q12",
                        TensorShape.of(4, 24),
                        CodecSettings.tsTabq()
                                .outlierFraction(0.05)
                                .qbit(12)
                                .delta(0.002)
                                .entropy(true)
                                .build()),
                Arguments.of(
                        "ecsq-pred",
                        TensorShape.of(4, 24),
                        CodecSettings.ecsq().step(0.49).predict(true).build()),
                Arguments.of(
                        "ecsq-huffman",
                        TensorShape.of(32, 64),
                        CodecSettings.ecsq().step(0.2).predict(false).build()),
                Arguments.of(
                        "ecsq-budget",
                        TensorShape.of(4, 24),
                        CodecSettings.ecsq().bitsPerElement(3).predict(true).build()),
                Arguments.of(
                        "ecsq-escapes",
                        TensorShape.of(96),
                        CodecSettings.ecsq().step(0.01).predict(false).build()),
                Arguments.of("lossless", TensorShape.of(3, 8), CodecSettings.lossless()),
                Arguments.of(
                        "lossless-rans",
                        TensorShape.of(96),
                        CodecSettings.lossless().withEntropy(true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void frameBytesArePinned(String name, TensorShape shape, CodecSettings s) throws IOException {
        float[] x = ramp(shape.elementCount());
        byte[] buf = new byte[(int) SizeBound.maxFrameBytes(shape, s)];
        int n = FrameEncoder.create().encode(x, 0, shape, s, buf, 0);
        String hex = HexFormat.of().formatHex(buf, 0, n);
        String resource = "golden/" + name + ".hex";
        if (Boolean.getBoolean("slicer.golden.update")) {
            Path p = Path.of("src/test/resources/dev/slicer/codec", resource);
            Files.createDirectories(p.getParent());
            Files.writeString(p, hex + "\n");
        }
        try (InputStream in = GoldenFrameTest.class.getResourceAsStream(resource)) {
            assertThat(in).as("golden file %s", resource).isNotNull();
            String expected = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            assertThat(hex).as("frame bytes of %s", name).isEqualTo(expected);
        }
        float[] y = new float[x.length];
        FrameHeader h = FrameDecoder.create(DecodeLimits.defaults()).decode(buf, 0, n, y, 0);
        assertThat(h.settings())
                .isEqualTo(
                        s.mode() == CodecMode.LOSSLESS
                                ? CodecSettings.lossless().withEntropy(s.entropy())
                                : s);
    }

    /** The codec revision the golden frames below belong to, and their digest. */
    static final int REVISION = 1;

    static final String DIGEST = "bac78e8babffdbace01e89201d0ef1dbd8c7fe179c0e323ef44ba71bef8ce234";

    /**
     * The golden frames are what {@link CodecRevision} names: regenerated frames (an intended change of the encoding)
     * fail here until the revision is bumped and their digest recorded with it, so profiles measured on the old
     * frames are refused instead of planned from.
     */
    @Test
    void goldenFramesBelongToTheCurrentCodecRevision() throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String name : cases().map(a -> (String) a.get()[0]).sorted().toList()) {
            try (InputStream in = GoldenFrameTest.class.getResourceAsStream("golden/" + name + ".hex")) {
                assertThat(in).as("golden file %s", name).isNotNull();
                String hex = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
                sha.update((name + ":" + hex + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
        String digest = HexFormat.of().formatHex(sha.digest());
        assertThat(digest)
                .as(
                        "the golden frames changed (digest %s): bump CodecRevision.CURRENT and record the digest and"
                                + " the revision here",
                        digest)
                .isEqualTo(DIGEST);
        assertThat(CodecRevision.CURRENT)
                .as("CodecRevision.CURRENT moved without new golden frames: record their digest with it here")
                .isEqualTo(REVISION);
    }

    /** The cases that existed in format version 1. */
    static Stream<Arguments> versionOneCases() {
        return cases().filter(a -> !Set.of("ecsq-huffman", "ecsq-budget").contains(a.get()[0]));
    }

    /**
     * Frames of format version 1 (before Huffman streams), kept under {@code golden/v1/}, still decode, and to the
     * same values as today's frames of the same tensor: a back-end upgraded before its edges reads what they send.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("versionOneCases")
    void versionOneFramesStillDecodeToTheSameValues(String name, TensorShape shape, CodecSettings s)
            throws IOException {
        byte[] v1;
        try (InputStream in = GoldenFrameTest.class.getResourceAsStream("golden/v1/" + name + ".hex")) {
            assertThat(in).as("golden file v1/%s", name).isNotNull();
            v1 = HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        }
        FrameDecoder dec = FrameDecoder.create(DecodeLimits.defaults());
        float[] fromV1 = new float[shape.elementCount()];
        FrameHeader h = dec.decode(v1, 0, v1.length, fromV1, 0);
        assertThat(h.version()).isEqualTo(1);
        float[] x = ramp(shape.elementCount());
        byte[] now = FrameEncoder.create().encode(x, shape, s);
        assertThat(now[4]).isEqualTo((byte) FrameFormat.VERSION);
        float[] fromNow = new float[x.length];
        dec.decode(now, 0, now.length, fromNow, 0);
        assertThat(fromV1).isEqualTo(fromNow);
    }
}
