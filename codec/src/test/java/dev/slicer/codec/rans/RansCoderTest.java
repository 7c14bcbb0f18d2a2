package dev.slicer.codec.rans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.codec.BufferTooSmallException;
import dev.slicer.codec.MalformedFrameException;
import dev.slicer.codec.TestSymbols;
import java.util.Arrays;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RansCoderTest {

    private static final int[] LENGTHS = {0, 1, 2, 3, 4, 5, 7, 8, 9, 31, 100, 1000, 4097, 100_000};

    /** Named symbol distributions: (length, random) -> symbols. */
    static Stream<Arguments> distributions() {
        return Stream.of(
                Arguments.of("uniform256", (BiFunction<Integer, Random, byte[]>) TestSymbols::uniform),
                Arguments.of(
                        "zipf256", (BiFunction<Integer, Random, byte[]>) (n, r) -> TestSymbols.zipf(n, r, 256, 1.1)),
                Arguments.of("geometric", (BiFunction<Integer, Random, byte[]>) TestSymbols::geometric),
                Arguments.of(
                        "sixteen", (BiFunction<Integer, Random, byte[]>) (n, r) -> TestSymbols.zipf(n, r, 16, 0.7)),
                Arguments.of(
                        "single", (BiFunction<Integer, Random, byte[]>) (n, r) -> TestSymbols.filled(n, (byte) 0xA7)),
                Arguments.of("twoSymbolsRare", (BiFunction<Integer, Random, byte[]>) TestSymbols::twoRare),
                Arguments.of("all256thenSkew", (BiFunction<Integer, Random, byte[]>) TestSymbols::all256Skew));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributions")
    void roundTripsEveryLength(String name, BiFunction<Integer, Random, byte[]> gen) {
        RansCoder coder = new RansCoder();
        Random r = new Random(name.hashCode());
        for (int n : LENGTHS) {
            byte[] src = gen.apply(n, r);
            assertRoundTrip(coder, src, 0, 0);
            assertRoundTrip(coder, src, 3, 5);
        }
    }

    @Test
    void roundTripsRandomLengthsWithOneReusedCoder() {
        RansCoder coder = new RansCoder();
        Random r = new Random(7);
        for (int t = 0; t < 300; t++) {
            int n = r.nextInt(3000);
            byte[] src =
                    switch (t % 4) {
                        case 0 -> TestSymbols.uniform(n, r);
                        case 1 -> TestSymbols.zipf(n, r, 1 + r.nextInt(256), 0.5 + r.nextDouble());
                        case 2 -> TestSymbols.geometric(n, r);
                        default -> TestSymbols.twoRare(n, r);
                    };
            assertRoundTrip(coder, src, r.nextInt(4), r.nextInt(4));
        }
    }

    /** Encoding with caller-supplied counts writes exactly the bytes of the counting encode. */
    @Test
    void encodeWithGivenCountsMatchesPlainEncode() {
        RansCoder plain = new RansCoder();
        RansCoder counted = new RansCoder();
        Random r = new Random(11);
        for (int t = 0; t < 400; t++) {
            int n = t < 8 ? t : r.nextInt(t % 3 == 0 ? 5000 : 300);
            int bins = 1 << r.nextInt(9);
            byte[] src =
                    switch (t % 4) {
                        case 0 -> TestSymbols.uniform(n, r);
                        case 1 -> TestSymbols.zipf(n, r, 256, 0.5 + r.nextDouble());
                        case 2 -> TestSymbols.geometric(n, r);
                        default -> TestSymbols.twoRare(n, r);
                    };
            int[] hist = new int[256];
            for (int i = 0; i < n; i++) {
                src[i] = (byte) ((src[i] & 0xFF) % bins);
                hist[src[i] & 0xFF]++;
            }
            // stale counts above bins must not leak into the table
            for (int s = bins; s < 256; s++) {
                hist[s] = r.nextInt(5);
            }
            byte[] a = new byte[RansCoder.maxEncodedLength(n) + 2];
            byte[] b = new byte[RansCoder.maxEncodedLength(n) + 2];
            int la = plain.encode(src, 0, n, a, 1);
            int lb = counted.encode(src, 0, n, hist, bins, b, 1);
            assertThat(Arrays.copyOfRange(b, 1, 1 + lb)).as("t=%d", t).isEqualTo(Arrays.copyOfRange(a, 1, 1 + la));
        }
    }

    @Test
    void sizeIsCloseToEmpiricalEntropyOnZipf() {
        int n = 100_000;
        byte[] src = TestSymbols.zipf(n, new Random(1), 256, 1.1);
        byte[] dst = new byte[RansCoder.maxEncodedLength(n)];
        int len = new RansCoder().encode(src, 0, n, dst, 0);
        double entropyBytes = TestSymbols.entropyBits(src) / 8;
        int headerMax = 2 + 32 + 2 * 256 + 32;
        assertThat((double) len).isLessThanOrEqualTo(entropyBytes * 1.01 + headerMax);
        assertThat(dst[0] & 0x0F).isEqualTo(RansCoder.MODE_RANS);
    }

    @Test
    void sizeIsCloseToEntropyOnFewSymbols() {
        int n = 100_000;
        byte[] src = TestSymbols.zipf(n, new Random(2), 16, 0.7);
        byte[] dst = new byte[RansCoder.maxEncodedLength(n)];
        int len = new RansCoder().encode(src, 0, n, dst, 0);
        assertThat((double) len).isLessThanOrEqualTo(TestSymbols.entropyBits(src) / 8 * 1.01 + 2 + 16 + 32 + 32);
    }

    @Test
    void incompressibleInputIsStoredWithOneByteOverhead() {
        int n = 10_000;
        byte[] src = TestSymbols.uniform(n, new Random(3));
        byte[] dst = new byte[RansCoder.maxEncodedLength(n)];
        assertThat(new RansCoder().encode(src, 0, n, dst, 0)).isEqualTo(n + 1);
        assertThat(dst[0]).isEqualTo((byte) RansCoder.MODE_STORED);
    }

    @Test
    void singleSymbolAndEmptyAreTiny() {
        RansCoder coder = new RansCoder();
        byte[] dst = new byte[RansCoder.maxEncodedLength(5000)];
        assertThat(coder.encode(TestSymbols.filled(5000, (byte) 3), 0, 5000, dst, 0))
                .isEqualTo(2);
        assertThat(coder.encode(new byte[0], 0, 0, dst, 0)).isEqualTo(1);
        assertThat(RansCoder.maxEncodedLength(0)).isEqualTo(1);
    }

    @Test
    void maxEncodedLengthAlwaysHolds() {
        RansCoder coder = new RansCoder();
        Random r = new Random(11);
        for (int t = 0; t < 400; t++) {
            int n = r.nextInt(600);
            byte[] src = t % 2 == 0
                    ? TestSymbols.uniform(n, r)
                    : TestSymbols.zipf(n, r, 1 + r.nextInt(256), 2 * r.nextDouble());
            byte[] dst = new byte[RansCoder.maxEncodedLength(n)];
            int len = coder.encode(src, 0, n, dst, 0);
            assertThat(len).isBetween(1, RansCoder.maxEncodedLength(n));
        }
    }

    @Test
    void rejectsTooSmallOutputBuffer() {
        byte[] src = TestSymbols.zipf(100, new Random(5), 8, 1);
        assertThatThrownBy(() -> new RansCoder().encode(src, 0, 100, new byte[100], 0))
                .isInstanceOf(BufferTooSmallException.class);
    }

    @Test
    void everyTruncationIsRejected() {
        RansCoder coder = new RansCoder();
        for (byte[] src : new byte[][] {
            TestSymbols.zipf(3000, new Random(9), 40, 1.0),
            TestSymbols.geometric(777, new Random(10)),
            TestSymbols.uniform(50, new Random(12)),
            {5, 5}
        }) {
            byte[] enc = encode(coder, src);
            byte[] out = new byte[src.length];
            for (int len = 0; len < enc.length; len++) {
                int l = len;
                assertThatThrownBy(() -> coder.decode(enc, 0, l, out, 0, src.length))
                        .as("truncated to %d of %d", len, enc.length)
                        .isInstanceOf(MalformedFrameException.class);
            }
        }
    }

    @Test
    void trailingBytesAndWrongCountsAreRejected() {
        RansCoder coder = new RansCoder();
        byte[] src = TestSymbols.zipf(2000, new Random(13), 30, 1.0);
        byte[] enc = encode(coder, src);
        byte[] padded = Arrays.copyOf(enc, enc.length + 1);
        byte[] out = new byte[src.length + 1];
        assertThatThrownBy(() -> coder.decode(padded, 0, padded.length, out, 0, src.length))
                .isInstanceOf(MalformedFrameException.class);
        assertThatThrownBy(() -> coder.decode(enc, 0, enc.length, out, 0, src.length + 1))
                .isInstanceOf(MalformedFrameException.class);
        assertThatThrownBy(() -> coder.decode(enc, 0, enc.length, out, 0, src.length - 1))
                .isInstanceOf(MalformedFrameException.class);
    }

    @Test
    void badTablesAreRejected() {
        RansCoder coder = new RansCoder();
        byte[] src = TestSymbols.zipf(1000, new Random(14), 4, 1.0);
        byte[] enc = encode(coder, src);
        assertThat(enc[0] & 0x0F).isEqualTo(RansCoder.MODE_RANS);
        byte[] out = new byte[src.length];
        int k = (enc[1] & 0xFF) + 1;
        // first frequency byte one larger: sum no longer 2^scale
        byte[] badSum = enc.clone();
        int freqAt = 2 + k;
        badSum[freqAt] = (byte) ((badSum[freqAt] & 0x80) | ((badSum[freqAt] + 1) & 0x7F));
        assertThatThrownBy(() -> coder.decode(badSum, 0, badSum.length, out, 0, src.length))
                .isInstanceOf(MalformedFrameException.class);
        // symbol list not increasing
        byte[] badList = enc.clone();
        badList[3] = badList[2];
        assertThatThrownBy(() -> coder.decode(badList, 0, badList.length, out, 0, src.length))
                .isInstanceOf(MalformedFrameException.class);
        // scale bits above 12
        byte[] badScale = enc.clone();
        badScale[0] = (byte) (RansCoder.MODE_RANS | 5 << 4);
        assertThatThrownBy(() -> coder.decode(badScale, 0, badScale.length, out, 0, src.length))
                .isInstanceOf(MalformedFrameException.class);
        // unknown mode
        byte[] badMode = enc.clone();
        badMode[0] = 7;
        assertThatThrownBy(() -> coder.decode(badMode, 0, badMode.length, out, 0, src.length))
                .isInstanceOf(MalformedFrameException.class);
        // a state below L, a state at or above 2^63
        byte[] badState = enc.clone();
        int statesAt = encTableEnd(enc);
        Arrays.fill(badState, statesAt, statesAt + 8, (byte) 0);
        assertThatThrownBy(() -> coder.decode(badState, 0, badState.length, out, 0, src.length))
                .isInstanceOf(MalformedFrameException.class);
        byte[] hugeState = enc.clone();
        hugeState[statesAt + 15] |= (byte) 0x80;
        assertThatThrownBy(() -> coder.decode(hugeState, 0, hugeState.length, out, 0, src.length))
                .isInstanceOf(MalformedFrameException.class);
    }

    /**
     * Random corruptions give a typed exception or an output of the right length; inside the payload and state
     * area (not the symbol list, whose relabelling rANS cannot see: the frame CRC covers that) almost all are
     * caught by the final-state check.
     */
    @Test
    void randomCorruptionsAreDetectedOrHarmless() {
        RansCoder coder = new RansCoder();
        Random r = new Random(15);
        byte[] src = TestSymbols.zipf(5000, r, 64, 1.0);
        byte[] enc = encode(coder, src);
        int payloadFrom = encTableEnd(enc);
        byte[] out = new byte[src.length];
        int trials = 2000;
        int detectedInPayload = 0;
        int payloadTrials = 0;
        for (int t = 0; t < trials; t++) {
            byte[] bad = enc.clone();
            int flips = 1 + r.nextInt(3);
            int firstAt = Integer.MAX_VALUE;
            for (int f = 0; f < flips; f++) {
                int at = r.nextInt(bad.length);
                bad[at] ^= (byte) (1 + r.nextInt(255));
                firstAt = Math.min(firstAt, at);
            }
            boolean payload = firstAt >= payloadFrom;
            payloadTrials += payload ? 1 : 0;
            try {
                coder.decode(bad, 0, bad.length, out, 0, src.length);
            } catch (MalformedFrameException e) {
                detectedInPayload += payload ? 1 : 0;
            }
        }
        assertThat(payloadTrials).isGreaterThan(trials / 2);
        assertThat(detectedInPayload).isGreaterThanOrEqualTo(payloadTrials - payloadTrials / 100);
    }

    @Test
    void hostileRandomInputOnlyRaisesMalformedFrame() {
        RansCoder coder = new RansCoder();
        Random r = new Random(16);
        byte[] out = new byte[512];
        for (int t = 0; t < 3000; t++) {
            byte[] junk = new byte[r.nextInt(80)];
            r.nextBytes(junk);
            if (junk.length > 0 && t % 3 == 0) {
                junk[0] = (byte) (RansCoder.MODE_RANS | r.nextInt(5) << 4);
                if (junk.length > 1) {
                    junk[1] = (byte) r.nextInt(4);
                }
            }
            int n = r.nextInt(out.length + 1);
            try {
                coder.decode(junk, 0, junk.length, out, 0, n);
            } catch (MalformedFrameException expected) {
                assertThat(expected.offset()).isBetween(0L, (long) junk.length);
            }
        }
    }

    private static int encTableEnd(byte[] enc) {
        int k = (enc[1] & 0xFF) + 1;
        int p = 2 + (k <= 32 ? k : 32);
        for (int j = 0; j < k; j++) {
            p += (enc[p] & 0x80) != 0 ? 2 : 1;
        }
        return p;
    }

    private static byte[] encode(RansCoder coder, byte[] src) {
        byte[] dst = new byte[RansCoder.maxEncodedLength(src.length)];
        int len = coder.encode(src, 0, src.length, dst, 0);
        return Arrays.copyOf(dst, len);
    }

    private static void assertRoundTrip(RansCoder coder, byte[] symbols, int srcOff, int dstOff) {
        int n = symbols.length;
        byte[] src = new byte[srcOff + n + 2];
        System.arraycopy(symbols, 0, src, srcOff, n);
        byte[] enc = new byte[dstOff + RansCoder.maxEncodedLength(n) + 3];
        Arrays.fill(enc, (byte) 0x5A);
        int len = coder.encode(src, srcOff, n, enc, dstOff);
        assertThat(len).isBetween(1, RansCoder.maxEncodedLength(n));
        byte[] out = new byte[n + 4];
        Arrays.fill(out, (byte) 0x11);
        coder.decode(enc, dstOff, len, out, 2, n);
        assertThat(Arrays.copyOfRange(out, 2, 2 + n)).as("n=%d", n).isEqualTo(symbols);
        assertThat(out[0]).isEqualTo((byte) 0x11);
        assertThat(out[n + 2]).isEqualTo((byte) 0x11);
    }
}
