package dev.slicer.codec.ms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.codec.simd.SplitRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class MagnitudeSplitTest {

    /** Expected output of a split, computed by a stable sort of each side by descending magnitude. */
    private record Expected(byte[] blockOf, int[] counts, int[] minMag, int[] maxMag, float[] grouped) {}

    private static Expected reference(int[] bits, int n, int mPos, int mNeg) {
        int total = mPos + mNeg;
        byte[] blockOf = new byte[n];
        int[] counts = new int[total];
        int[] minMag = new int[total];
        int[] maxMag = new int[total];
        Arrays.fill(minMag, Integer.MAX_VALUE);
        for (int side = 0; side < 2; side++) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if ((bits[i] >>> 31) == side) {
                    idx.add(i);
                }
            }
            // List.sort is stable: equal magnitudes keep position order
            idx.sort(
                    Comparator.comparingInt((Integer i) -> bits[i] & 0x7FFFFFFF).reversed());
            int m = side == 0 ? mPos : mNeg;
            int first = side == 0 ? 0 : mPos;
            int ns = idx.size();
            for (int j = 0; j < m; j++) {
                int start = (int) ((long) j * ns / m);
                int end = (int) ((long) (j + 1) * ns / m);
                for (int r = start; r < end; r++) {
                    int i = idx.get(r);
                    int u = bits[i] & 0x7FFFFFFF;
                    blockOf[i] = (byte) (first + j);
                    counts[first + j]++;
                    minMag[first + j] = Math.min(minMag[first + j], u);
                    maxMag[first + j] = Math.max(maxMag[first + j], u);
                }
            }
        }
        float[] grouped = new float[n];
        int w = 0;
        for (int b = 0; b < total; b++) {
            for (int i = 0; i < n; i++) {
                if (blockOf[i] == b) {
                    grouped[w++] = Float.intBitsToFloat(bits[i] & 0x7FFFFFFF);
                }
            }
        }
        return new Expected(blockOf, counts, minMag, maxMag, grouped);
    }

    private static void check(MagnitudeSplit split, int[] bits, int mPos, int mNeg) {
        int n = bits.length;
        int total = mPos + mNeg;
        Expected e = reference(bits, n, mPos, mNeg);
        // extra slack: the split must not depend on (or write beyond) the lengths it is given
        byte[] blockOf = new byte[n + 3];
        int[] counts = new int[total + 1];
        int[] minMag = new int[total + 1];
        int[] maxMag = new int[total + 1];
        float[] grouped = new float[n + 3];
        split.split(bits, n, mPos, mNeg, blockOf, counts, minMag, maxMag, grouped);
        assertThat(Arrays.copyOf(blockOf, n)).isEqualTo(e.blockOf());
        assertThat(Arrays.copyOf(counts, total)).isEqualTo(e.counts());
        assertThat(Arrays.copyOf(minMag, total)).isEqualTo(e.minMag());
        assertThat(Arrays.copyOf(maxMag, total)).isEqualTo(e.maxMag());
        assertThat(Arrays.copyOf(grouped, n)).isEqualTo(e.grouped());
    }

    /** Both routes (scalar range pass, Vector API range pass) against the reference. */
    private static void checkBothRoutes(int[] bits, int mPos, int mNeg) {
        check(new MagnitudeSplit(false), bits, mPos, mNeg);
        check(new MagnitudeSplit(true), bits, mPos, mNeg);
    }

    private static int[] sample(SplittableRandom r, int n, int kind, int signs) {
        int[] bits = new int[n];
        // survivors-like magnitudes at any scale: the histogram's bins wrap around at different places
        double scale = Math.scalb(1 + r.nextDouble(), r.nextInt(-30, 30));
        for (int i = 0; i < n; i++) {
            float v =
                    switch (kind) {
                        // survivors-like: above a threshold, long tail
                        case 0 -> (float) (0.4 + Math.abs(r.nextGaussian()) * (r.nextInt(50) == 0 ? 5 : 0.4));
                        // heavy ties
                        case 1 -> 0.25f * (1 + r.nextInt(4));
                        // all equal
                        case 2 -> 1.5f;
                        // a few distinct neighbouring values (ties inside one bin)
                        case 3 -> Float.intBitsToFloat(0x3F800000 + r.nextInt(6));
                        // huge range (magnitudes over many octaves), zeros included
                        case 4 -> r.nextInt(20) == 0 ? 0f : Float.intBitsToFloat(r.nextInt(0x7F800000));
                        // ties at random places among distinct values
                        default -> r.nextInt(3) == 0 ? 2f : (float) Math.abs(r.nextGaussian());
                    };
            boolean neg =
                    switch (signs) {
                        case 0 -> false;
                        case 1 -> true;
                        default -> r.nextBoolean();
                    };
            bits[i] = Float.floatToRawIntBits(v) | (neg ? 0x80000000 : 0);
        }
        return bits;
    }

    @Property(tries = 400)
    void matchesStableSortReference(
            @ForAll @IntRange(min = 0, max = 3000) int n,
            @ForAll @IntRange(min = 1, max = 8) int mPos,
            @ForAll @IntRange(min = 1, max = 8) int mNeg,
            @ForAll @IntRange(min = 0, max = 6) int kind,
            @ForAll @IntRange(min = 0, max = 2) int signs,
            @ForAll long seed) {
        checkBothRoutes(sample(new SplittableRandom(seed), n, kind, signs), mPos, mNeg);
    }

    @Property(tries = 300)
    void tinyInputsAndManyBlocks(
            @ForAll @IntRange(min = 0, max = 150) int n,
            @ForAll @IntRange(min = 1, max = 64) int mPos,
            @ForAll @IntRange(min = 1, max = 64) int mNeg,
            @ForAll @IntRange(min = 0, max = 6) int kind,
            @ForAll @IntRange(min = 0, max = 2) int signs,
            @ForAll long seed) {
        checkBothRoutes(sample(new SplittableRandom(seed), n, kind, signs), mPos, mNeg);
    }

    @Property(tries = 50)
    void reusedInstanceMatchesFreshOne(@ForAll long seed) {
        // scratch state (histograms, tables, tie quotas) must not leak from one call into the next
        SplittableRandom r = new SplittableRandom(seed);
        MagnitudeSplit reused = new MagnitudeSplit(false);
        MagnitudeSplit reusedVector = new MagnitudeSplit(true);
        for (int call = 0; call < 20; call++) {
            int n = r.nextInt(2500);
            int[] bits = sample(r, n, r.nextInt(7), r.nextInt(3));
            int mPos = 1 + r.nextInt(r.nextBoolean() ? 4 : 64);
            int mNeg = 1 + r.nextInt(r.nextBoolean() ? 4 : 64);
            check(reused, bits, mPos, mNeg);
            check(reusedVector, bits, mPos, mNeg);
        }
    }

    @Example
    void edgeCases() {
        for (boolean vector : new boolean[] {false, true}) {
            MagnitudeSplit s = new MagnitudeSplit(vector);
            check(s, new int[0], 3, 3);
            check(s, new int[] {Float.floatToRawIntBits(-0f)}, 3, 3);
            check(s, new int[] {Float.floatToRawIntBits(0f), Float.floatToRawIntBits(-0f)}, 1, 1);
            check(s, new int[] {Float.floatToRawIntBits(2f), Float.floatToRawIntBits(1f)}, 3, 2);
            check(
                    s,
                    new int[] {Float.floatToRawIntBits(Float.MAX_VALUE), Float.floatToRawIntBits(Float.MIN_VALUE)},
                    2,
                    2);
            // the widest magnitude range: zero to the largest NaN bits
            check(s, new int[] {0, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x3F800000, 0xBF800000}, 3, 3);
            int[] same = new int[10];
            Arrays.fill(same, Float.floatToRawIntBits(-3f));
            check(s, same, 3, 3);
            check(s, same, 64, 64);
        }
    }

    @Example
    void thresholdPathHandlesTiesAtABoundary() {
        // 3 blocks of 4 per side; each boundary falls inside a run of equal magnitudes, so the ties straddle it
        float[] v = {5, 4, 4, 4, 4, 3, 3, 3, 3, 3, 1, 0.5f};
        int[] bits = new int[2 * v.length];
        for (int i = 0; i < v.length; i++) {
            bits[2 * i] = Float.floatToRawIntBits(v[i]);
            bits[2 * i + 1] = Float.floatToRawIntBits(-v[v.length - 1 - i]);
        }
        checkBothRoutes(bits, 3, 3);
        // distinct values: every boundary sits between two different magnitudes
        for (int i = 0; i < v.length; i++) {
            bits[2 * i] = Float.floatToRawIntBits(i + 1f);
            bits[2 * i + 1] = Float.floatToRawIntBits(-(i + 1f));
        }
        checkBothRoutes(bits, 3, 3);
        checkBothRoutes(bits, 2, 1);
        checkBothRoutes(bits, 1, 3);
    }

    @Property(tries = 300)
    void vectorRangeMatchesScalarRange(@ForAll @IntRange(min = 0, max = 70) int n, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] bits = new int[n];
        int signs = r.nextInt(3);
        for (int i = 0; i < n; i++) {
            int u =
                    switch (r.nextInt(4)) {
                        case 0 -> 0;
                        case 1 -> 0x7FFFFFFF;
                        case 2 -> Float.floatToRawIntBits(1f);
                        default -> r.nextInt() & 0x7FFFFFFF;
                    };
            boolean neg = signs == 2 ? r.nextBoolean() : signs == 1;
            bits[i] = u | (neg ? 0x80000000 : 0);
        }
        int[] expected = {0x7FFFFFFF, 0, 0x7FFFFFFF, 0, 0};
        for (int v : bits) {
            int side = v < 0 ? 2 : 0;
            expected[side] = Math.min(expected[side], v & 0x7FFFFFFF);
            expected[side + 1] = Math.max(expected[side + 1], v & 0x7FFFFFFF);
            expected[4] += v >>> 31;
        }
        int[] scalar = new int[5];
        MagnitudeSplit.scanRange(bits, n, scalar);
        int[] vector = new int[5];
        SplitRange.range(bits, n, vector);
        assertThat(scalar).isEqualTo(expected);
        assertThat(vector).isEqualTo(expected);
    }

    @Example
    void negativeZeroCountsAsNegative() {
        int[] bits = {Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(1f)};
        byte[] blockOf = new byte[2];
        int[] counts = new int[2];
        new MagnitudeSplit().split(bits, 2, 1, 1, blockOf, counts, new int[2], new int[2], new float[2]);
        assertThat(blockOf).containsExactly(1, 0);
        assertThat(counts).containsExactly(1, 1);
    }
}
