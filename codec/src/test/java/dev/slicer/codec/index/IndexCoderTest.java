package dev.slicer.codec.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.codec.bits.ByteIo;
import dev.slicer.codec.rans.RansCoder;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class IndexCoderTest {

    private static int[] positions(int t, double density, long seed, int[] count) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] p = new int[t + 1];
        int n = 0;
        for (int i = 0; i < t; i++) {
            if (r.nextDouble() < density) {
                p[n++] = i;
            }
        }
        count[0] = n;
        return p;
    }

    @Property(tries = 120)
    void everyModeRoundTripsAndTheChosenOneIsSmallest(
            @ForAll @IntRange(min = 1, max = 20000) int t,
            @ForAll @IntRange(min = 0, max = 1000) int permille,
            @ForAll long seed,
            @ForAll boolean entropy) {
        int[] nn = new int[1];
        int[] pos = positions(t, permille / 1000.0, seed, nn);
        int n = nn[0];
        RansCoder rans = new RansCoder();
        IndexCoder coder = new IndexCoder(rans);
        long bound = IndexCoder.maxSectionBytes(t, n);
        byte[] buf = new byte[(int) Math.max(bound, (t + 7) / 8 + 16) + 16];
        int chosen = coder.encode(pos, n, t, entropy, buf, 0);
        assertThat((long) chosen).isLessThanOrEqualTo(bound);
        check(coder, buf, chosen, t, n, pos);
        if (n == 0 || n == t) {
            return;
        }
        for (int mode : new int[] {IndexCoder.BITMAP, IndexCoder.BITMAP_RANS, IndexCoder.RICE, IndexCoder.CSR}) {
            coder.force(mode);
            byte[] b = new byte[(int) ((t + 7) / 8 + 4L * t + 64)];
            int len = coder.encode(pos, n, t, entropy, b, 0);
            assertThat(b[0]).isEqualTo((byte) mode);
            check(coder, b, len, t, n, pos);
            if (mode != IndexCoder.BITMAP_RANS || entropy) {
                assertThat(chosen).as("mode %d", mode).isLessThanOrEqualTo(len);
            }
        }
    }

    /** The Vector API gap kernel and the scalar loops choose and write the same bytes. */
    @Property(tries = 80)
    void vectorAndScalarGapsCodeTheSameBytes(
            @ForAll @IntRange(min = 1, max = 20000) int t,
            @ForAll @IntRange(min = 0, max = 1000) int permille,
            @ForAll long seed,
            @ForAll boolean entropy) {
        int[] nn = new int[1];
        int[] pos = positions(t, permille / 1000.0, seed, nn);
        int n = nn[0];
        int cap = (int) Math.max(IndexCoder.maxSectionBytes(t, n), (t + 7) / 8 + 16) + 16;
        byte[] a = new byte[cap];
        byte[] b = new byte[cap];
        int la = new IndexCoder(new RansCoder(), true).encode(pos, n, t, entropy, a, 0);
        int lb = new IndexCoder(new RansCoder(), false).encode(pos, n, t, entropy, b, 0);
        assertThat(java.util.Arrays.copyOf(a, la)).isEqualTo(java.util.Arrays.copyOf(b, lb));
    }

    /** The shared bound memo returns the computed bound, whatever shapes came before (slots collide and refill). */
    @Property(tries = 20)
    void memoizedSectionBoundEqualsTheComputedOne(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 500; i++) {
            long t = 1 + r.nextLong(r.nextBoolean() ? 100 : 1L << 33);
            long k = r.nextInt(8) == 0 ? r.nextLong(-2, 2) : 1 + r.nextLong(t);
            long want = k <= 0 ? 2 : IndexCoder.sectionBound(t, k);
            assertThat(IndexCoder.maxSectionBytes(t, k)).as("t=%d k=%d", t, k).isEqualTo(want);
            assertThat(IndexCoder.maxSectionBytes(t, k)).isEqualTo(want);
        }
    }

    /** One coder over frames of many shapes (memo slots collide and refill) codes each as a fresh coder does. */
    @Property(tries = 20)
    void reusedCoderMatchesAFreshOne(@ForAll long seed, @ForAll boolean entropy) {
        SplittableRandom r = new SplittableRandom(seed);
        IndexCoder reused = new IndexCoder(new RansCoder());
        for (int frame = 0; frame < 300; frame++) {
            int t = 1 + r.nextInt(r.nextBoolean() ? 64 : 9000);
            int[] nn = new int[1];
            int[] pos = positions(t, r.nextInt(1001) / 1000.0, r.nextLong(), nn);
            int cap = (int) Math.max(IndexCoder.maxSectionBytes(t, nn[0]), (t + 7) / 8 + 16) + 16;
            byte[] a = new byte[cap];
            byte[] b = new byte[cap];
            int la = reused.encode(pos, nn[0], t, entropy, a, 0);
            int lb = new IndexCoder(new RansCoder()).encode(pos, nn[0], t, entropy, b, 0);
            assertThat(java.util.Arrays.copyOf(a, la)).isEqualTo(java.util.Arrays.copyOf(b, lb));
        }
    }

    private static void check(IndexCoder coder, byte[] buf, int len, int t, int n, int[] pos) {
        int[] back = new int[n + 1];
        ByteIo.Reader in = new ByteIo.Reader(buf, 0, len, 0);
        new IndexCoder(new RansCoder()).decode(in, t, n, back, 0);
        assertThat(in.remaining()).isZero();
        for (int i = 0; i < n; i++) {
            assertThat(back[i]).isEqualTo(pos[i]);
        }
    }

    @Property(tries = 60)
    void membershipRoundTrips(
            @ForAll @IntRange(min = 0, max = 5000) int n,
            @ForAll @IntRange(min = 2, max = 128) int blocks,
            @ForAll @IntRange(min = 1, max = 128) int used,
            @ForAll long seed,
            @ForAll boolean entropy) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] of = new byte[n];
        int[] counts = new int[blocks];
        int span = Math.min(used, blocks);
        for (int i = 0; i < n; i++) {
            int b = r.nextInt(span) * (blocks / span);
            of[i] = (byte) b;
            counts[b]++;
        }
        Membership m = new Membership(new RansCoder());
        byte[] buf = new byte[(int) Membership.maxSectionBytes(n, blocks) + 8];
        int len = m.encode(of, n, counts, blocks, entropy, buf, 0);
        assertThat((long) len).isLessThanOrEqualTo(Membership.maxSectionBytes(n, blocks));
        byte[] back = new byte[n];
        ByteIo.Reader in = new ByteIo.Reader(buf, 0, len, 0);
        new Membership(new RansCoder()).decode(in, n, counts, blocks, back, new int[blocks]);
        assertThat(back).isEqualTo(of);
        assertThat(in.remaining()).isZero();
    }
}
