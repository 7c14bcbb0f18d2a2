package dev.slicer.codec.simd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class VectorMagnitudeScanTest {
    private static final int MAG = 0x7FFFFFFF;

    @Test
    void theBuildsTestJvmRunsTheKernels() {
        // the codec's surefire argLine adds the module: without it every test here would only see the scalar code
        assertThat(Simd.available()).isTrue();
    }

    @Property(tries = 300)
    void bandAndAboveMatchAScalarScan(
            @ForAll @IntRange(min = 0, max = 200) int n,
            @ForAll @IntRange(min = 0, max = 9) int off,
            @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] src = new float[off + n + 3];
        for (int i = 0; i < src.length; i++) {
            src[i] = switch (r.nextInt(6)) {
                case 0 -> 0f;
                case 1 -> -0f;
                case 2 -> r.nextBoolean() ? 1f : -1f;
                case 3 -> Float.intBitsToFloat(r.nextInt()); // any bits: NaN, infinities, subnormals
                default -> (float) r.nextGaussian();
            };
        }
        int[] keys = {0, 1, Float.floatToRawIntBits(0.5f), Float.floatToRawIntBits(1f), 0x7F800000, MAG};
        int a = r.nextBoolean() ? keys[r.nextInt(keys.length)] : r.nextInt() & MAG;
        int b = r.nextBoolean() ? keys[r.nextInt(keys.length)] : r.nextInt() & MAG;
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);

        int[] band = new int[n + VectorMagnitudeScan.SLACK];
        long counts = VectorMagnitudeScan.band(src, off, n, lo, hi, band);
        int[] expected = new int[n];
        int w = 0;
        int above = 0;
        for (int i = 0; i < n; i++) {
            int u = Float.floatToRawIntBits(src[off + i]) & MAG;
            if (u >= hi) {
                above++;
            } else if (u >= lo) {
                expected[w++] = i;
            }
        }
        assertThat((int) counts).isEqualTo(w);
        assertThat((int) (counts >>> 32)).isEqualTo(above);
        assertThat(Arrays.copyOf(band, w)).isEqualTo(Arrays.copyOf(expected, w));

        int[] out = new int[n + VectorMagnitudeScan.SLACK];
        int kept = VectorMagnitudeScan.above(src, off, n, lo, out);
        int e = 0;
        for (int i = 0; i < n; i++) {
            if ((Float.floatToRawIntBits(src[off + i]) & MAG) > lo) {
                expected[e++] = i;
            }
        }
        assertThat(kept).isEqualTo(e);
        assertThat(Arrays.copyOf(out, kept)).isEqualTo(Arrays.copyOf(expected, e));
    }
}
