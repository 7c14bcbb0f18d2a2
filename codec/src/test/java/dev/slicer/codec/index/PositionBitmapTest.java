package dev.slicer.codec.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.slicer.codec.bits.Entropy;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class PositionBitmapTest {

    @Property(tries = 200)
    void bitmapHistogramAndEntropyMatchTheDirectComputation(
            @ForAll @IntRange(min = 1, max = 40000) int t,
            @ForAll @IntRange(min = 0, max = 1000) int permille,
            @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] pos = new int[t];
        int n = 0;
        // runs as well as scattered positions, so whole words and empty words both occur
        boolean runs = r.nextBoolean();
        for (int i = 0; i < t; i++) {
            boolean on = runs ? (i / 97) % 2 == 0 && r.nextInt(1000) < permille : r.nextInt(1000) < permille;
            if (on) {
                pos[n++] = i;
            }
        }
        int len = (t + 7) / 8;
        byte[] want = new byte[len];
        for (int i = 0; i < n; i++) {
            want[pos[i] >>> 3] |= (byte) (1 << (pos[i] & 7));
        }
        PositionBitmap b = new PositionBitmap();
        // a larger bitmap first: the scratch is reused and must be cleared
        int[] all = new int[t + 100];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        b.build(all, all.length, (all.length + 7) / 8);
        b.build(pos, n, len);
        assertThat(java.util.Arrays.copyOf(b.bytes(len), len)).isEqualTo(want);
        int used = b.countBytes(len);
        int[] hist = new int[256];
        double exact = Entropy.bytes(want, 0, len, hist);
        assertThat(b.histogram()).isEqualTo(hist);
        assertThat(used).isEqualTo(Entropy.used(hist, 256));
        assertThat(b.entropyBytes(len, used)).isCloseTo(exact, within(1e-3));
    }
}
