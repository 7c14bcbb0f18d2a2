package dev.slicer.edge.model;

import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.ModelRunner;
import dev.slicer.model.split.SplitCandidate;
import dev.slicer.model.split.SplittableModel;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fronts of the splits in use as ONNX Runtime sessions, at most {@code capacity} of them (a plan uses a few
 * splits). The least recently used one is evicted when another is needed, and closed once no run still uses it.
 */
final class FrontCache implements AutoCloseable {
    private static final class Entry {
        final ModelRunner runner;
        int users;
        boolean evicted;

        Entry(ModelRunner runner) {
            this.runner = runner;
        }
    }

    private final SplittableModel model;
    private final int capacity;
    private final LinkedHashMap<Integer, Entry> sessions = new LinkedHashMap<>(16, 0.75f, true);

    FrontCache(SplittableModel model, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("front cache capacity must be >= 1, got " + capacity);
        }
        this.model = model;
        this.capacity = capacity;
    }

    /** Runs the front of candidate {@code split}, extracting it on first use. */
    Map<String, HostTensor> run(int split, Map<String, HostTensor> inputs) {
        Entry e = acquire(split);
        try {
            return e.runner.run(inputs);
        } finally {
            release(e);
        }
    }

    private synchronized Entry acquire(int split) {
        Entry e = sessions.get(split);
        if (e == null) {
            SplitCandidate c = model.candidate(split);
            e = new Entry(new ModelRunner(model.split(c).front(), "front of " + c.name()));
            sessions.put(split, e);
            evictOverCapacity();
        }
        e.users++;
        return e;
    }

    private synchronized void release(Entry e) {
        e.users--;
        if (e.evicted && e.users == 0) {
            e.runner.close();
        }
    }

    private void evictOverCapacity() {
        Iterator<Entry> it = sessions.values().iterator();
        while (sessions.size() > capacity && it.hasNext()) {
            Entry eldest = it.next();
            it.remove();
            eldest.evicted = true;
            if (eldest.users == 0) {
                eldest.runner.close();
            }
        }
    }

    synchronized int size() {
        return sessions.size();
    }

    @Override
    public synchronized void close() {
        for (Entry e : sessions.values()) {
            e.evicted = true;
            if (e.users == 0) {
                e.runner.close();
            }
        }
        sessions.clear();
    }
}
