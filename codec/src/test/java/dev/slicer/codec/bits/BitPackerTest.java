package dev.slicer.codec.bits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.codec.rans.RansCoder;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class BitPackerTest {

    @Property(tries = 300)
    void packUnpackRoundTrips(
            @ForAll @IntRange(min = 0, max = 32) int bits,
            @ForAll @IntRange(min = 0, max = 700) int count,
            @ForAll @IntRange(min = 0, max = 9) int offset,
            @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] codes = new int[count];
        for (int i = 0; i < count; i++) {
            codes[i] = bits == 0 ? 0 : (int) (r.nextLong() & (bits == 32 ? 0xFFFFFFFFL : (1L << bits) - 1));
        }
        int bytes = (int) BitPacker.packedBytes(count, bits);
        byte[] buf = new byte[offset + bytes + 5];
        assertThat(BitPacker.pack(codes, 0, count, bits, buf, offset)).isEqualTo(bytes);
        int[] back = new int[count + 3];
        assertThat(BitPacker.unpack(buf, offset, bytes, count, bits, back, 3)).isEqualTo(bytes);
        for (int i = 0; i < count; i++) {
            assertThat(back[3 + i]).isEqualTo(codes[i]);
        }
    }

    /** Bit-by-bit reference of the packed layout: code i occupies bits [i bits, (i+1) bits), LSB first. */
    private static byte[] referencePack(int[] codes, int count, int bits) {
        byte[] out = new byte[(int) BitPacker.packedBytes(count, bits)];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < bits; j++) {
                if ((codes[i] >>> j & 1) != 0) {
                    long bit = (long) i * bits + j;
                    out[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
                }
            }
        }
        return out;
    }

    /** Exact bytes, and nothing outside the output touched, also when the buffer ends right at the output. */
    @Property(tries = 300)
    void packWritesTheReferenceBytesAndNothingElse(
            @ForAll @IntRange(min = 0, max = 32) int bits,
            @ForAll @IntRange(min = 0, max = 300) int count,
            @ForAll @IntRange(min = 0, max = 9) int offset,
            @ForAll @IntRange(min = 0, max = 9) int slack,
            @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] codes = new int[count + 2];
        for (int i = 0; i < count + 2; i++) {
            codes[i] = bits == 0 ? 0 : (int) (r.nextLong() & (bits == 32 ? 0xFFFFFFFFL : (1L << bits) - 1));
        }
        int bytes = (int) BitPacker.packedBytes(count, bits);
        byte[] buf = new byte[offset + bytes + slack];
        java.util.Arrays.fill(buf, (byte) 0x5A);
        assertThat(BitPacker.pack(codes, 1, count, bits, buf, offset)).isEqualTo(bytes);
        int[] shifted = java.util.Arrays.copyOfRange(codes, 1, 1 + count);
        assertThat(java.util.Arrays.copyOfRange(buf, offset, offset + bytes))
                .isEqualTo(referencePack(shifted, count, bits));
        for (int i = 0; i < offset; i++) {
            assertThat(buf[i]).isEqualTo((byte) 0x5A);
        }
        for (int i = offset + bytes; i < buf.length; i++) {
            assertThat(buf[i]).isEqualTo((byte) 0x5A);
        }
    }

    /** The log table gives the same sum as calling Math.log for every count, also past the table. */
    @Property(tries = 100)
    void entropyBytesMatchesTheDirectFormula(
            @ForAll @IntRange(min = 1, max = 256) int bins,
            @ForAll @IntRange(min = 0, max = 3) int scale,
            @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] hist = new int[bins];
        long n = 0;
        for (int b = 0; b < bins; b++) {
            hist[b] = r.nextInt(4) == 0 ? 0 : r.nextInt(new int[] {3, 300, 5000, 100_000}[scale]);
            n += hist[b];
        }
        double bits = 0;
        int used = 0;
        for (int c : hist) {
            if (c > 0) {
                bits += c * (Math.log(n) - Math.log(c));
                used++;
            }
        }
        double expect = n == 0 ? 0 : bits / Math.log(2) / 8 + (used > 1 ? 2 + 32 + used : 0);
        assertThat(Entropy.bytes(hist, bins, n)).isEqualTo(expect);
    }

    /** The bound that lets encoders skip rANS attempts never exceeds what the coder writes. */
    @Property(tries = 300)
    void ransLowerBoundNeverExceedsTheCodedSize(
            @ForAll @IntRange(min = 1, max = 5000) int n,
            @ForAll @IntRange(min = 1, max = 256) int alphabet,
            @ForAll @IntRange(min = 0, max = 3) int shape,
            @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] sym = new byte[n];
        for (int i = 0; i < n; i++) {
            int s =
                    switch (shape) {
                        case 0 -> r.nextInt(alphabet);
                        case 1 -> Math.min(alphabet - 1, (int) Math.abs(r.nextGaussian() * alphabet / 8));
                        case 2 -> r.nextInt(8) == 0 ? r.nextInt(alphabet) : 0;
                        default -> i % alphabet;
                    };
            sym[i] = (byte) s;
        }
        int[] hist = new int[256];
        double floor = Entropy.bytes(sym, 0, n, hist);
        double bound = Entropy.ransLowerBound(floor, Entropy.used(hist, 256), n);
        byte[] out = new byte[RansCoder.maxEncodedLength(n)];
        int len = new RansCoder().encode(sym, 0, n, out, 0);
        assertThat(bound).isLessThanOrEqualTo(len);
        assertThat(Entropy.ransLowerBound(hist, 256, n)).isEqualTo(bound);
    }
}
