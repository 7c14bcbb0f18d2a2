package dev.slicer.operator.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scale-down stabilisation, as the HorizontalPodAutoscaler does it: a fleet's back-end gets the highest replica
 * count recommended within the window, so a load dip shorter than the window never removes replicas that the next
 * burst needs again (a new replica loads the model: seconds to minutes). Scaling up is immediate, since the newest
 * recommendation is always in the window.
 *
 * <p>Per fleet (by UID) it keeps a monotonic queue: each recommendation drops the older ones that are not larger,
 * so the head is the window's maximum and the queue holds at most one entry per distinct replica count (bounded by
 * maxReplicas). After an operator restart a fleet's queue starts with the Deployment's current replicas, so a
 * restart never scales down before a full window has passed. Fleets not seen for {@link #FORGET_AFTER} are dropped.
 */
public final class ScaleDownStabilizer {
    /** A fleet reconciled at least every replanInterval (at most 1h) is seen well within this. */
    static final Duration FORGET_AFTER = Duration.ofHours(2);

    private record Recommendation(Instant at, int replicas) {}

    private static final class Window {
        final Deque<Recommendation> queue = new ArrayDeque<>();
        Instant lastSeen;
    }

    private final Map<String, Window> fleets = new ConcurrentHashMap<>();
    private volatile Instant lastSweep = Instant.MIN;

    /**
     * The replicas to run: the highest of {@code recommended} and the recommendations of the last {@code window}.
     *
     * @param fleet the fleet's UID
     * @param current the Deployment's replicas now ({@code null}: no Deployment yet), seeds a fleet first seen
     */
    public int stabilize(String fleet, int recommended, Integer current, Duration window, Instant now) {
        forgetIdle(now);
        Window w = fleets.computeIfAbsent(fleet, k -> {
            Window fresh = new Window();
            if (current != null) {
                fresh.queue.addLast(new Recommendation(now, current));
            }
            return fresh;
        });
        synchronized (w) {
            w.lastSeen = now;
            Instant oldest = now.minus(window);
            while (!w.queue.isEmpty() && w.queue.peekFirst().at().isBefore(oldest)) {
                w.queue.removeFirst();
            }
            while (!w.queue.isEmpty() && w.queue.peekLast().replicas() <= recommended) {
                w.queue.removeLast();
            }
            w.queue.addLast(new Recommendation(now, recommended));
            return w.queue.peekFirst().replicas();
        }
    }

    /** How many fleets are tracked (for tests). */
    int fleets() {
        return fleets.size();
    }

    /** How many recommendations a fleet's window holds (for tests). */
    int queued(String fleet) {
        Window w = fleets.get(fleet);
        if (w == null) {
            return 0;
        }
        synchronized (w) {
            return w.queue.size();
        }
    }

    /** At most once a minute: a sweep costs one look at every fleet. */
    private void forgetIdle(Instant now) {
        if (now.isBefore(lastSweep.plus(Duration.ofMinutes(1)))) {
            return;
        }
        lastSweep = now;
        Instant cutoff = now.minus(FORGET_AFTER);
        fleets.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return e.getValue().lastSeen != null && e.getValue().lastSeen.isBefore(cutoff);
            }
        });
    }
}
