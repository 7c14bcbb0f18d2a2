package dev.slicer.e2e.demo;

import dev.slicer.planner.split.RowKind;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The demo's scenario over {@code duration} of traffic: steady state; at 20% (or once it answers from a split row,
 * by 30%) one edge's link drops to a fifth of a slow link; at 40% it is restored; at 50% the load rises to four
 * clients per edge so the back-end queues and the operator scales it (its busy seconds are a rate over 20 s, so the
 * second half of the run leaves time for the decision and the new replica's start); the run ends at 100%.
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
        at(start, duration, 0.20, progress, "degrading " + device, () -> false);
        // an edge that is cloud-only already sends the fewest bytes: degrading it then shows no adaptation
        if (!at(
                start,
                duration,
                0.30,
                progress,
                "degrading " + device + " once it splits",
                () -> splits(demo, device))) {
            demo.event(device + " is not split: degraded from its row as it is");
        }
        demo.degradeLink(device, DEGRADED_RATE);
        at(start, duration, 0.40, progress, "restoring " + device, () -> false);
        demo.restoreLink(device);
        at(start, duration, 0.50, progress, "raising the load", () -> false);
        demo.setLoad(4);
        at(start, duration, 1.0, progress, "finishing", () -> false);
        return demo.finish();
    }

    /** Whether the device's edge measured its link and answers from a split row. */
    static boolean splits(Demo demo, String device) {
        return demo.linkMeasured(device)
                && demo.rowOf(demo.stats().get(device))
                        .map(r -> r.kind() == RowKind.SPLIT)
                        .orElse(false);
    }

    /**
     * Waits until {@code fraction} of the run or until {@code reached} holds, updating the progress line.
     *
     * @return whether {@code reached} held
     */
    static boolean at(
            long start, Duration duration, double fraction, LiveTable progress, String next, BooleanSupplier reached)
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
            if (reached.getAsBoolean()) {
                return true;
            }
            if (now >= until) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(Math.min(500, Math.max(1, (until - now) / 1_000_000)));
        }
    }
}
