package dev.slicer.codec;

import java.util.Arrays;
import java.util.Random;

/** Byte-symbol distributions and their entropy, for the entropy coders' tests. */
public final class TestSymbols {
    private TestSymbols() {}

    public static double entropyBits(byte[] src) {
        int[] c = new int[256];
        for (byte b : src) {
            c[b & 0xFF]++;
        }
        double bits = 0;
        for (int x : c) {
            if (x > 0) {
                bits -= x * (Math.log((double) x / src.length) / Math.log(2));
            }
        }
        return bits;
    }

    public static byte[] uniform(int n, Random r) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    public static byte[] filled(int n, byte v) {
        byte[] b = new byte[n];
        Arrays.fill(b, v);
        return b;
    }

    public static byte[] zipf(int n, Random r, int symbols, double exponent) {
        double[] cdf = new double[symbols];
        double acc = 0;
        for (int i = 0; i < symbols; i++) {
            acc += 1 / Math.pow(i + 1, exponent);
            cdf[i] = acc;
        }
        int[] perm = new int[symbols];
        for (int i = 0; i < symbols; i++) {
            perm[i] = (i * 37 + 11) & 0xFF;
        }
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            int idx = Arrays.binarySearch(cdf, r.nextDouble() * acc);
            idx = idx < 0 ? -idx - 1 : idx;
            b[i] = (byte) perm[Math.min(idx, symbols - 1)];
        }
        return b;
    }

    public static byte[] geometric(int n, Random r) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            int v = 0;
            while (v < 255 && r.nextInt(4) != 0) {
                v++;
            }
            b[i] = (byte) v;
        }
        return b;
    }

    /** Mostly one symbol, a handful of another: a probability far below 2^-scale. */
    public static byte[] twoRare(int n, Random r) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = r.nextInt(50_000) == 0 ? (byte) 200 : (byte) 1;
        }
        return b;
    }

    /** Every byte value once, then a heavily skewed tail: forces many frequency-1 symbols. */
    public static byte[] all256Skew(int n, Random r) {
        byte[] b = geometric(n, r);
        for (int i = 0; i < Math.min(n, 256); i++) {
            b[i] = (byte) i;
        }
        return b;
    }
}
