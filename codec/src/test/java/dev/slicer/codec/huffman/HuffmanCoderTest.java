package dev.slicer.codec.huffman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.codec.MalformedFrameException;
import dev.slicer.codec.TestSymbols;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HuffmanCoderTest {

    private static final int[] LENGTHS = {2, 3, 4, 5, 15, 16, 17, 31, 33, 100, 1000, 6342, 100_003};

    @Test
    void roundTripsEveryLengthAndDistribution() {
        HuffmanCoder coder = new HuffmanCoder();
        Random r = new Random(1);
        for (int n : LENGTHS) {
            assertRoundTrip(coder, gaussianCodes(n, r, 2.0), 0, 0);
            assertRoundTrip(coder, TestSymbols.zipf(n, r, 256, 1.1), 3, 5);
            assertRoundTrip(coder, TestSymbols.uniform(n, r), 1, 2);
            assertRoundTrip(coder, twoSymbols(n, r), 0, 7);
        }
    }

    @Test
    void roundTripsRandomBlocksWithOneReusedCoder() {
        HuffmanCoder coder = new HuffmanCoder();
        Random r = new Random(2);
        for (int t = 0; t < 300; t++) {
            int n = 2 + r.nextInt(5000);
            byte[] src =
                    switch (t % 3) {
                        case 0 -> gaussianCodes(n, r, 0.3 + 4 * r.nextDouble());
                        case 1 -> TestSymbols.zipf(n, r, 2 + r.nextInt(255), 0.5 + 2 * r.nextDouble());
                        default -> TestSymbols.uniform(n, r);
                    };
            assertRoundTrip(coder, src, r.nextInt(4), r.nextInt(4));
        }
    }

    /** Weights spanning many doublings need codes longer than the table: the code is limited and still exact. */
    @Test
    void limitsCodeLengthsOnSteepDistributions() {
        HuffmanCoder coder = new HuffmanCoder();
        byte[] src = new byte[1 << 20];
        int p = 0;
        for (int s = 0; s < 20 && p < src.length; s++) {
            int count = Math.max(1, (src.length >> (s + 1)));
            for (int i = 0; i < count && p < src.length; i++) {
                src[p++] = (byte) s;
            }
        }
        shuffle(src, new Random(3));
        int[] hist = histogram(src);
        coder.plan(hist, 256, src.length);
        for (int s = 0; s < 20; s++) {
            assertThat(coder.codeLength(s)).isBetween(1, HuffmanCoder.MAX_LENGTH);
        }
        assertRoundTrip(coder, src, 0, 0);
    }

    @Test
    void sizeIsWithinAFewPercentOfTheEntropyOnPeakedCodes() {
        HuffmanCoder coder = new HuffmanCoder();
        byte[] src = gaussianCodes(100_000, new Random(4), 2.0);
        byte[] enc = encode(coder, src);
        double entropyBytes = TestSymbols.entropyBits(src) / 8;
        assertThat((double) enc.length).isLessThan(entropyBytes * 1.03).isGreaterThan(entropyBytes);
    }

    @Test
    void planIsAnUpperBoundOfTheBlockAndRefusesFewerThanTwoSymbols() {
        HuffmanCoder coder = new HuffmanCoder();
        Random r = new Random(5);
        for (int t = 0; t < 200; t++) {
            byte[] src = TestSymbols.zipf(2 + r.nextInt(3000), r, 1 + r.nextInt(256), 1.0);
            long planned = coder.plan(histogram(src), 256, src.length);
            if (Arrays.stream(histogram(src)).filter(c -> c > 0).count() < 2) {
                assertThat(planned).isEqualTo(-1);
                continue;
            }
            int written = coder.encode(src, 0, src.length, new byte[(int) planned], 0);
            assertThat(written).isLessThanOrEqualTo((int) planned).isGreaterThan((int) planned - 12);
        }
        assertThat(coder.plan(histogram(new byte[50]), 256, 50)).isEqualTo(-1);
    }

    @Test
    void everyTruncationIsRejected() {
        HuffmanCoder coder = new HuffmanCoder();
        byte[] src = gaussianCodes(777, new Random(6), 1.5);
        byte[] enc = encode(coder, src);
        byte[] out = new byte[src.length];
        for (int len = 0; len < enc.length; len++) {
            int l = len;
            assertThatThrownBy(() -> coder.decode(enc, 0, l, out, 0, src.length))
                    .as("length %d of %d", len, enc.length)
                    .isInstanceOf(MalformedFrameException.class);
        }
    }

    @Test
    void wrongCountsAndTrailingBytesAreRejected() {
        HuffmanCoder coder = new HuffmanCoder();
        byte[] src = gaussianCodes(1000, new Random(7), 1.5);
        byte[] enc = encode(coder, src);
        byte[] out = new byte[src.length + 64];
        assertThatThrownBy(() -> coder.decode(enc, 0, enc.length, out, 0, src.length + 16))
                .isInstanceOf(MalformedFrameException.class);
        assertThatThrownBy(() -> coder.decode(enc, 0, enc.length, out, 0, src.length - 16))
                .isInstanceOf(MalformedFrameException.class);
        byte[] longer = Arrays.copyOf(enc, enc.length + 1);
        assertThatThrownBy(() -> coder.decode(longer, 0, longer.length, out, 0, src.length))
                .isInstanceOf(MalformedFrameException.class);
    }

    @Test
    void badTablesAreRejected() {
        HuffmanCoder coder = new HuffmanCoder();
        byte[] src = TestSymbols.zipf(1000, new Random(8), 5, 1.0);
        byte[] enc = encode(coder, src);
        byte[] out = new byte[src.length];
        int k = (enc[0] & 0xFF) + 1;
        assertThat(k).isEqualTo(5);
        int lengthsAt = 1 + k;
        // a length of zero, one above the limit, one changed so the code is no longer complete
        for (int bad : new int[] {0, HuffmanCoder.MAX_LENGTH + 1}) {
            byte[] b = enc.clone();
            b[lengthsAt] = (byte) ((b[lengthsAt] & 0xF0) | bad);
            assertThatThrownBy(() -> coder.decode(b, 0, b.length, out, 0, src.length))
                    .isInstanceOf(MalformedFrameException.class);
        }
        byte[] incomplete = enc.clone();
        incomplete[lengthsAt] = (byte) ((incomplete[lengthsAt] & 0xF0) | ((incomplete[lengthsAt] & 0x0F) + 1));
        assertThatThrownBy(() -> coder.decode(incomplete, 0, incomplete.length, out, 0, src.length))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("complete code");
        // the unused high nibble after an odd number of lengths
        byte[] padded = enc.clone();
        padded[lengthsAt + 2] |= (byte) 0x10;
        assertThatThrownBy(() -> coder.decode(padded, 0, padded.length, out, 0, src.length))
                .isInstanceOf(MalformedFrameException.class);
        // symbol list not increasing
        byte[] list = enc.clone();
        list[2] = list[1];
        assertThatThrownBy(() -> coder.decode(list, 0, list.length, out, 0, src.length))
                .isInstanceOf(MalformedFrameException.class);
        // a stream length past the block
        byte[] sizes = enc.clone();
        sizes[lengthsAt + 3] = (byte) 0xFF;
        sizes[lengthsAt + 4] = (byte) 0x7F;
        assertThatThrownBy(() -> coder.decode(sizes, 0, sizes.length, out, 0, src.length))
                .isInstanceOf(MalformedFrameException.class);
    }

    @Test
    void nonzeroPaddingBitsAreRejected() {
        HuffmanCoder coder = new HuffmanCoder();
        Random r = new Random(9);
        int rejected = 0;
        for (int t = 0; t < 50; t++) {
            byte[] src = gaussianCodes(400 + r.nextInt(50), r, 1.5);
            byte[] enc = encode(coder, src);
            // the block's last byte ends stream 3 (symbols 3, 7, ...); its low bits past the codes are padding
            long bits = 0;
            for (int i = 3; i < src.length; i += 4) {
                bits += coder.codeLength(src[i] & 0xFF);
            }
            if (bits % 8 == 0) {
                continue;
            }
            byte[] bad = enc.clone();
            bad[bad.length - 1] |= 1;
            assertThat(enc[enc.length - 1] & 1).as("padding is written as zero").isZero();
            byte[] out = new byte[src.length];
            assertThatThrownBy(() -> coder.decode(bad, 0, bad.length, out, 0, src.length))
                    .isInstanceOf(MalformedFrameException.class)
                    .hasMessageContaining("padding");
            rejected++;
        }
        assertThat(rejected).isGreaterThan(20);
    }

    @Test
    void randomCorruptionsRaiseOnlyMalformedFrameAndManyAreCaught() {
        HuffmanCoder coder = new HuffmanCoder();
        Random r = new Random(10);
        byte[] src = gaussianCodes(5000, r, 2.0);
        byte[] enc = encode(coder, src);
        byte[] out = new byte[src.length];
        int detected = 0;
        int trials = 2000;
        for (int t = 0; t < trials; t++) {
            byte[] bad = enc.clone();
            for (int f = 1 + r.nextInt(3); f > 0; f--) {
                bad[r.nextInt(bad.length)] ^= (byte) (1 + r.nextInt(255));
            }
            try {
                coder.decode(bad, 0, bad.length, out, 0, src.length);
            } catch (MalformedFrameException e) {
                detected++;
            }
        }
        // Huffman codes resynchronise within a few codes, so a flipped code bit changes the stream's length in
        // bits only by a few, and the exact-end check sees about half of them (rANS's final states see nearly
        // all); what passes decodes to the right length, and the frame's CRC32C is what rejects it
        assertThat(detected).isGreaterThan(trials * 2 / 5);
    }

    @Test
    void hostileRandomInputOnlyRaisesMalformedFrame() {
        HuffmanCoder coder = new HuffmanCoder();
        Random r = new Random(11);
        byte[] out = new byte[512];
        for (int t = 0; t < 5000; t++) {
            byte[] junk = new byte[r.nextInt(120)];
            r.nextBytes(junk);
            if (junk.length > 6 && t % 2 == 0) {
                // a plausible table: two to five symbols, lengths 1..3
                junk[0] = (byte) (1 + r.nextInt(4));
                for (int j = 1; j <= (junk[0] + 1); j++) {
                    junk[j] = (byte) (j * 3);
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

    @Test
    void maxSymbolsBoundsWhatABlockCanHold() {
        HuffmanCoder coder = new HuffmanCoder();
        byte[] src = twoSymbols(100_000, new Random(12));
        byte[] enc = encode(coder, src);
        assertThat(HuffmanCoder.maxSymbols(enc.length)).isGreaterThanOrEqualTo(src.length);
    }

    private static byte[] encode(HuffmanCoder coder, byte[] src) {
        long planned = coder.plan(histogram(src), 256, src.length);
        assertThat(planned).isPositive();
        byte[] dst = new byte[(int) planned];
        int len = coder.encode(src, 0, src.length, dst, 0);
        return Arrays.copyOf(dst, len);
    }

    private static void assertRoundTrip(HuffmanCoder coder, byte[] symbols, int srcOff, int dstOff) {
        int n = symbols.length;
        byte[] src = new byte[srcOff + n + 2];
        System.arraycopy(symbols, 0, src, srcOff, n);
        long planned = coder.plan(histogram(symbols), 256, n);
        if (planned < 0) {
            return;
        }
        byte[] enc = new byte[dstOff + (int) planned + 3];
        Arrays.fill(enc, (byte) 0x5A);
        int len = coder.encode(src, srcOff, n, enc, dstOff);
        assertThat(len).isLessThanOrEqualTo((int) planned);
        assertThat(enc[dstOff + (int) planned])
                .as("nothing past the planned size")
                .isEqualTo((byte) 0x5A);
        byte[] out = new byte[n + 4];
        Arrays.fill(out, (byte) 0x11);
        coder.decode(enc, dstOff, len, out, 2, n);
        assertThat(Arrays.copyOfRange(out, 2, 2 + n)).as("n=%d", n).isEqualTo(symbols);
        assertThat(out[0]).isEqualTo((byte) 0x11);
        assertThat(out[n + 2]).isEqualTo((byte) 0x11);
    }

    static int[] histogram(byte[] src) {
        int[] h = new int[256];
        for (byte b : src) {
            h[b & 0xFF]++;
        }
        return h;
    }

    /** Zigzag codes of rounded Gaussians: the shape of the quantizers' symbols. */
    static byte[] gaussianCodes(int n, Random r, double sigma) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            int q = (int) Math.max(-100, Math.min(100, Math.rint(r.nextGaussian() * sigma)));
            b[i] = (byte) ((q << 1) ^ (q >> 31));
        }
        return b;
    }

    static byte[] twoSymbols(int n, Random r) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (r.nextInt(50) == 0 ? 200 : 3);
        }
        b[0] = (byte) 200;
        b[n - 1] = 3;
        return b;
    }

    /** Fisher-Yates over a byte array. */
    private static void shuffle(byte[] a, Random r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            byte t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
