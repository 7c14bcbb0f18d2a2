package dev.slicer.codec.bits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BitWriterTest {

    /** One bit at a time: the LSB-first layout BitWriter must reproduce. */
    private static final class Reference {
        final BitSet bits = new BitSet();
        int len;

        void write(long value, int n) {
            for (int k = 0; k < n; k++) {
                bits.set(len++, ((value >>> k) & 1) != 0);
            }
        }

        void rice(long v, int r) {
            for (long q = v >>> r; q > 0; q--) {
                bits.set(len++);
            }
            len++;
            write(v, r);
        }

        byte[] bytes() {
            byte[] b = new byte[(len + 7) / 8];
            for (int i = 0; i < len; i++) {
                if (bits.get(i)) {
                    b[i >>> 3] |= (byte) (1 << (i & 7));
                }
            }
            return b;
        }
    }

    private static final byte GUARD = (byte) 0xA5;

    /** Writes at {@code off} with {@code end} exactly after the last byte; the guards around must stay intact. */
    private static void check(Reference ref, java.util.function.Consumer<BitWriter> writes, int off) {
        byte[] want = ref.bytes();
        byte[] buf = new byte[off + want.length + 16];
        java.util.Arrays.fill(buf, GUARD);
        BitWriter w = new BitWriter().reset(buf, off, off + want.length);
        writes.accept(w);
        assertThat(w.finish()).isEqualTo(off + want.length);
        assertThat(java.util.Arrays.copyOfRange(buf, off, off + want.length)).isEqualTo(want);
        for (int i = 0; i < off; i++) {
            assertThat(buf[i]).isEqualTo(GUARD);
        }
        for (int i = off + want.length; i < buf.length; i++) {
            assertThat(buf[i]).isEqualTo(GUARD);
        }
    }

    @Property(tries = 300)
    void randomWritesMatchTheReference(
            @ForAll long seed, @ForAll @IntRange(min = 0, max = 400) int count, @ForAll @IntRange(max = 9) int off) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] values = new long[count];
        int[] widths = new int[count];
        int[] kinds = new int[count];
        Reference ref = new Reference();
        for (int i = 0; i < count; i++) {
            kinds[i] = r.nextInt(3);
            values[i] = r.nextLong();
            switch (kinds[i]) {
                case 0 -> {
                    // widths 0, 32 and 56 are the edges
                    int[] edges = {0, 1, 31, 32, 33, 55, 56};
                    widths[i] = r.nextInt(4) == 0 ? edges[r.nextInt(edges.length)] : r.nextInt(57);
                    ref.write(values[i], widths[i]);
                }
                case 1 -> {
                    // quotients from short to runs of several accumulator lengths
                    widths[i] = r.nextInt(31);
                    int q = r.nextInt(4) == 0 ? r.nextInt(300) : r.nextInt(8);
                    values[i] = ((long) q << widths[i]) | (values[i] & ((1L << widths[i]) - 1));
                    ref.rice(values[i], widths[i]);
                }
                default -> {
                    int n = r.nextInt(4) == 0 ? r.nextInt(200) : r.nextInt(60);
                    values[i] = n;
                    for (int k = 0; k < n; k++) {
                        ref.bits.set(ref.len++);
                    }
                    ref.len++;
                }
            }
        }
        check(
                ref,
                w -> {
                    for (int i = 0; i < count; i++) {
                        switch (kinds[i]) {
                            case 0 -> w.write(values[i], widths[i]);
                            case 1 -> w.rice((int) (values[i] >>> widths[i]), (int) values[i], widths[i]);
                            default -> w.unary((int) values[i]);
                        }
                    }
                },
                off);
    }

    @Property(tries = 300)
    void riceAllMatchesTheReference(
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 3000) int n,
            @ForAll @IntRange(min = 0, max = 30) int param,
            @ForAll @IntRange(max = 9) int off,
            @ForAll @IntRange(max = 40) int lead) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] v = new int[n];
        // mostly small values (the paired table path), some large and a few huge (long unary runs)
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(20);
            int base =
                    kind == 0 ? r.nextInt(1 << Math.min(30, param + 8)) : kind == 1 ? r.nextInt(1000) : r.nextInt(40);
            v[i] = param >= 20 && kind > 1 ? r.nextInt(1 << param) : base;
        }
        Reference ref = new Reference();
        ref.write(0x5A5A5A5A5AL, lead);
        for (int i = 0; i < n; i++) {
            ref.rice(v[i], param);
        }
        check(
                ref,
                w -> {
                    w.write(0x5A5A5A5A5AL, lead);
                    w.riceAll(v, n, param);
                },
                off);
    }

    @Test
    void theParameterCanChangeBetweenCalls() {
        int[] v = {0, 1, 2, 3, 31, 30, 16, 15, 100, 7};
        for (int pass = 0; pass < 2; pass++) {
            for (int param = 0; param <= 30; param++) {
                Reference ref = new Reference();
                for (int x : v) {
                    ref.rice(x, param);
                }
                int p = param;
                check(ref, w -> w.riceAll(v, v.length, p), 3);
            }
        }
    }

    @Test
    void nothingWrittenLeavesTheBufferAlone() {
        check(new Reference(), w -> w.write(-1L, 0), 0);
        check(new Reference(), w -> w.riceAll(new int[0], 0, 5), 2);
    }
}
