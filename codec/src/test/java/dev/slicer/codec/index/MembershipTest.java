package dev.slicer.codec.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.codec.bits.ByteIo;
import dev.slicer.codec.rans.RansCoder;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class MembershipTest {

    /** Radix and rANS membership round-trip for every alphabet size, on and around group boundaries. */
    @Property(tries = 200)
    void roundTripsForEveryAlphabet(
            @ForAll @IntRange(min = 1, max = 40) int blocks,
            @ForAll @IntRange(min = 0, max = 3000) int n,
            @ForAll long seed,
            @ForAll boolean entropy,
            @ForAll boolean skewed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] blockOf = new byte[n];
        int[] counts = new int[blocks];
        for (int i = 0; i < n; i++) {
            int b = skewed && r.nextInt(4) != 0 ? 0 : r.nextInt(blocks);
            blockOf[i] = (byte) b;
            counts[b]++;
        }
        RansCoder rans = new RansCoder();
        Membership m = new Membership(rans);
        byte[] buf = new byte[(int) Membership.maxSectionBytes(n, blocks) + n + 64];
        int len = m.encode(blockOf, n, counts, blocks, entropy, buf, 0);
        byte[] back = new byte[n];
        int[] tally = new int[blocks];
        Membership d = new Membership(rans);
        d.decode(new ByteIo.Reader(buf, 0, len, 0), n, counts, blocks, back, tally);
        assertThat(back).isEqualTo(blockOf);
        assertThat(tally).isEqualTo(counts);
    }

    /** The 8-lane radix sum equals Horner's rule (both modulo 2^64) for every alphabet up to 256. */
    @Property(tries = 300)
    void radix8MatchesHorner(@ForAll @IntRange(min = 2, max = 256) int a, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long x = 0;
        long horner = 0;
        for (int k = 7; k >= 0; k--) {
            long b = r.nextInt(a);
            x |= b << (k << 3);
            horner = horner * a + b;
        }
        assertThat(Membership.radix8(x, a, (long) a * a, (long) a * a * a * a)).isEqualTo(horner);
    }

    /** Symbols past {@code n} in the caller's array (here garbage) never reach the section. */
    @Property(tries = 100)
    void bytesPastTheSymbolsDoNotMatter(
            @ForAll @IntRange(min = 2, max = 40) int blocks,
            @ForAll @IntRange(min = 0, max = 500) int n,
            @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] exact = new byte[n];
        byte[] padded = new byte[n + 40];
        int[] counts = new int[blocks];
        for (int i = 0; i < n; i++) {
            int b = r.nextInt(blocks);
            exact[i] = (byte) b;
            padded[i] = (byte) b;
            counts[b]++;
        }
        for (int i = n; i < padded.length; i++) {
            padded[i] = (byte) r.nextInt(256);
        }
        int cap = (int) Membership.maxSectionBytes(n, blocks) + n + 64;
        byte[] one = new byte[cap];
        byte[] two = new byte[cap];
        int l1 = new Membership(new RansCoder()).encode(exact, n, counts, blocks, false, one, 0);
        int l2 = new Membership(new RansCoder()).encode(padded, n, counts, blocks, false, two, 0);
        assertThat(java.util.Arrays.copyOf(two, l2)).isEqualTo(java.util.Arrays.copyOf(one, l1));
    }

    /**
     * Radix sections equal a plain reference (Horner per group, bits appended LSB first) for every alphabet with
     * every block used, around group and 8-symbol chunk boundaries.
     */
    @org.junit.jupiter.api.Test
    void radixSectionMatchesThePlainReference() {
        SplittableRandom r = new SplittableRandom(17);
        for (int a = 2; a <= 40; a++) {
            int g = Membership.groupSize(a);
            for (int n : new int[] {a, g, g + 1, 2 * g - 1, 2 * g, 8 * g + 3, 1585}) {
                if (n < a) {
                    continue;
                }
                byte[] blockOf = new byte[n];
                int[] counts = new int[a];
                for (int i = 0; i < n; i++) {
                    int b = i < a ? i : r.nextInt(a);
                    blockOf[i] = (byte) b;
                    counts[b]++;
                }
                byte[] got = new byte[(int) Membership.maxSectionBytes(n, a) + 16];
                int len = new Membership(new RansCoder()).encode(blockOf, n, counts, a, false, got, 0);
                assertThat(java.util.Arrays.copyOf(got, len))
                        .as("a=%d n=%d", a, n)
                        .isEqualTo(reference(blockOf, n, a));
            }
        }
    }

    private static byte[] reference(byte[] s, int n, int a) {
        int g = Membership.groupSize(a);
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        long acc = 0;
        int filled = 0;
        for (int i = 0; i < n; i += g) {
            int cnt = Math.min(g, n - i);
            long v = 0;
            for (int j = cnt - 1; j >= 0; j--) {
                v = v * a + s[i + j];
            }
            int bits = IndexCoder.bitsFor(Membership.pow(a, cnt) - 1);
            for (int k = 0; k < bits; k++) {
                acc |= ((v >>> k) & 1) << filled;
                if (++filled == 8) {
                    body.write((int) acc);
                    acc = 0;
                    filled = 0;
                }
            }
        }
        if (filled > 0) {
            body.write((int) acc);
        }
        byte[] b = body.toByteArray();
        byte[] out = new byte[1 + ByteIo.varintSize(b.length) + b.length];
        out[0] = (byte) Membership.RADIX;
        int p = 1 + ByteIo.putVarint(out, 1, b.length);
        System.arraycopy(b, 0, out, p, b.length);
        return out;
    }
}
