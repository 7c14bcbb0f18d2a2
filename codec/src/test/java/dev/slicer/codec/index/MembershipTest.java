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
}
