package dev.slicer.bench;

import dev.slicer.bench.data.TensorSet;
import dev.slicer.bench.method.MethodSpec;
import dev.slicer.bench.method.TensorCompressor;
import java.util.ArrayList;
import java.util.List;

/**
 * Warms the JIT before in-process (fork 0) JMH runs: cycles encode + decode of a whole data set through every method
 * until a time budget is spent, so the in-process measurements that follow see compiled code instead of paying the
 * compilation of the codec's stages inside a short JMH warm-up.
 */
public final class JitWarmup {

    private JitWarmup() {}

    /** Returns the number of complete passes (all methods over the whole set) done. */
    public static int run(List<MethodSpec> methods, TensorSet set, long budgetNanos) {
        List<TensorCompressor> compressors = new ArrayList<>();
        for (MethodSpec m : methods) {
            compressors.add(m.create());
        }
        try {
            int maxFrame = 0;
            for (TensorCompressor c : compressors) {
                for (int i = 0; i < set.count(); i++) {
                    maxFrame = Math.max(maxFrame, c.maxEncodedBytes(set.rows(i), set.cols()));
                }
            }
            byte[] frame = new byte[maxFrame];
            float[] out = new float[set.maxElements()];
            long deadline = System.nanoTime() + budgetNanos;
            int passes = 0;
            while (System.nanoTime() - deadline < 0) {
                for (TensorCompressor c : compressors) {
                    for (int i = 0; i < set.count(); i++) {
                        int len = c.encode(set.data(), set.offset(i), set.rows(i), set.cols(), frame, 0);
                        c.decode(frame, 0, len, set.rows(i), set.cols(), out, 0);
                    }
                    if (System.nanoTime() - deadline >= 0) {
                        return passes;
                    }
                }
                passes++;
            }
            return passes;
        } finally {
            compressors.forEach(TensorCompressor::close);
        }
    }
}
