package dev.slicer.planner.cli;

import java.util.Arrays;

/**
 * The one way the CLI times model and codec runs: untimed warm-up runs, then the median of timed ones. Both the
 * profile (predictions) and {@code plan check} (measurements) use it, so they differ only by what they time.
 */
final class WarmMedian {
    static final int WARM_UP = 5;
    static final int TIMED = 11;

    private WarmMedian() {}

    static double seconds(Runnable run) {
        for (int i = 0; i < WARM_UP; i++) {
            run.run();
        }
        double[] t = new double[TIMED];
        for (int i = 0; i < TIMED; i++) {
            long start = System.nanoTime();
            run.run();
            t[i] = (System.nanoTime() - start) * 1e-9;
        }
        Arrays.sort(t);
        return t[TIMED / 2];
    }
}
