package dev.slicer.e2e.demo;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The demo's scenario over {@code duration} of traffic: steady state; at 30% one edge's link drops to a fifth of
 * a slow link; at 55% it is restored; at 70% the load rises to four clients per edge so the back-end queues; the run
 * ends at 100%.
 */
public final class Scenario {
    /** The degraded link, bytes/s (80 kbit/s): below every split row of the demo's plan (cloud-only territory). */
    public static final long DEGRADED_RATE = 10_000;

    private Scenario() {}

    /** The device whose link is degraded: the second one (a slow link that still splits), or the only one. */
    public static String degradedDevice(Demo demo) {
        List<String> names = List.copyOf(demo.stats().keySet());
        return names.get(Math.min(1, names.size() - 1));
    }

    public static Demo.Result run(Demo demo, Duration duration, LiveTable progress) throws Exception {
        long start = System.nanoTime();
        String device = degradedDevice(demo);
        at(start, duration, 0.30, progress, "degrading " + device);
        demo.degradeLink(device, DEGRADED_RATE);
        at(start, duration, 0.55, progress, "restoring " + device);
        demo.restoreLink(device);
        at(start, duration, 0.70, progress, "raising the load");
        demo.setLoad(4);
        at(start, duration, 1.0, progress, "finishing");
        return demo.finish();
    }

    /** Waits until {@code fraction} of the run, updating the progress line. */
    static void at(long start, Duration duration, double fraction, LiveTable progress, String next)
            throws InterruptedException {
        long until = start + (long) (duration.toNanos() * fraction);
        while (true) {
            long now = System.nanoTime();
            double t = (now - start) / 1e9;
            double total = duration.toNanos() / 1e9;
            int width = 40;
            int done = (int) Math.min(width, Math.round(width * t / total));
            if (progress != null) {
                progress.progress(String.format(
                        Locale.ROOT,
                        "[%s%s] %3.0f/%3.0fs  next: %s",
                        "#".repeat(done),
                        ".".repeat(width - done),
                        t,
                        total,
                        next));
            }
            if (now >= until) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(Math.min(500, Math.max(1, (until - now) / 1_000_000)));
        }
    }
}
