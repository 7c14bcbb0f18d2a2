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
