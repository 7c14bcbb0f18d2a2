package dev.slicer.backend.ar;

import dev.slicer.protocol.BackendErrors;
import dev.slicer.protocol.BackendErrors.Reason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The sessions a back-end holds and the memory budget of their KV caches. Before a step runs, the bytes its cache
 * will hold afterwards are reserved; when the total would pass the budget, the least recently used idle sessions are
 * evicted first (a running one never is), and a session that cannot fit even alone is refused. Ended sessions leave a
 * bounded tombstone so a later step hears "evicted" rather than "unknown".
 */
final class SessionStore {
    /** Why a session ended (a metric label). */
    enum End {
        CLOSED,
        TTL,
        MEMORY
    }

    interface Listener {
        void ended(End why, long freedBytes);
    }

    static final int TOMBSTONES = 4096;

    private final long budgetBytes;
    private final long ttlNanos;
    private final LongSupplier clock;
    private final Listener listener;
    private final Map<String, ArSession> sessions = new LinkedHashMap<>();
    private final LinkedHashMap<String, End> tombstones = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, End> e) {
            return size() > TOMBSTONES;
        }
    };
    private long reserved;

    SessionStore(long budgetBytes, long ttlNanos, LongSupplier clock, Listener listener) {
        if (budgetBytes <= 0 || ttlNanos <= 0) {
            throw new IllegalArgumentException("the KV budget and the session TTL must be positive");
        }
        this.budgetBytes = budgetBytes;
        this.ttlNanos = ttlNanos;
        this.clock = clock;
        this.listener = listener;
    }

    synchronized ArSession open(int split) {
        ArSession s = new ArSession(UUID.randomUUID().toString(), split, clock.getAsLong());
        s.busy = true;
        sessions.put(s.id, s);
        return s;
    }

    /** The session for a step, marked busy; typed errors when it is gone or already stepping. */
    synchronized ArSession begin(String id, long position) {
        ArSession s = sessions.get(id);
        if (s == null) {
            End why = tombstones.get(id);
            if (why == End.TTL || why == End.MEMORY) {
                throw BackendErrors.error(
                        Reason.SESSION_EVICTED,
                        "session " + id + " was evicted ("
                                + (why == End.TTL ? "idle past the TTL" : "KV-cache memory budget")
                                + "); re-open it with its prefix");
            }
            throw BackendErrors.error(
                    Reason.SESSION_UNKNOWN, "no session " + id + " on this replica; re-open it with its prefix");
        }
        if (s.busy) {
            throw BackendErrors.error(Reason.POSITION_MISMATCH, "session " + id + " already has a step running");
        }
        if (position != s.cache.length()) {
            throw BackendErrors.error(
                    Reason.POSITION_MISMATCH,
                    "session " + id + " holds " + s.cache.length() + " positions, the step is for position "
                            + position);
        }
        s.busy = true;
        s.lastUsedNanos = clock.getAsLong();
        return s;
    }

    /**
     * Reserves the bytes the sessions of a batch will hold after it ({@code after[i]} for {@code batch[i]}),
     * evicting least recently used idle sessions as needed. Members that cannot fit are ended and returned (their
     * steps fail with SESSION_LIMIT); the others may run.
     */
    synchronized List<ArSession> reserve(List<ArSession> batch, long[] after) {
        List<ArSession> refused = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            ArSession s = batch.get(i);
            if (after[i] > budgetBytes) {
                refused.add(s);
                remove(s, End.MEMORY);
                continue;
            }
            long more = after[i] - s.reservedBytes;
            if (reserved + more > budgetBytes) {
                List<ArSession> idle = new ArrayList<>(sessions.values().stream()
                        .filter(o -> !o.busy)
                        .sorted(Comparator.comparingLong(o -> o.lastUsedNanos))
                        .toList());
                for (ArSession victim : idle) {
                    if (reserved + more <= budgetBytes) {
                        break;
                    }
                    remove(victim, End.MEMORY);
                }
            }
            if (reserved + more > budgetBytes) {
                refused.add(s);
                remove(s, End.MEMORY);
                continue;
            }
            reserved += more;
            s.reservedBytes = after[i];
        }
        return refused;
    }

    /** The step of a session finished (its reply is being sent). */
    synchronized void done(ArSession s) {
        s.busy = false;
        s.lastUsedNanos = clock.getAsLong();
    }

    synchronized boolean close(String id) {
        ArSession s = sessions.get(id);
        if (s == null) {
            return false;
        }
        remove(s, End.CLOSED);
        return true;
    }

    /** Ends idle sessions unused for longer than the TTL. */
    synchronized int sweep() {
        long now = clock.getAsLong();
        List<ArSession> old = sessions.values().stream()
                .filter(s -> !s.busy && now - s.lastUsedNanos > ttlNanos)
                .toList();
        old.forEach(s -> remove(s, End.TTL));
        return old.size();
    }

    private void remove(ArSession s, End why) {
        if (sessions.remove(s.id) == null) {
            return;
        }
        long freed = s.reservedBytes;
        reserved -= freed;
        s.reservedBytes = 0;
        if (!s.busy) {
            s.cache.clear(); // a running step's cache is cleared by the compute thread when it sees the session gone
        }
        tombstones.put(s.id, why);
        listener.ended(why, freed);
    }

    synchronized boolean holds(ArSession s) {
        return sessions.get(s.id) == s;
    }

    synchronized int size() {
        return sessions.size();
    }

    /** Bytes reserved for the KV caches of all sessions (never above the budget). */
    synchronized long reservedBytes() {
        return reserved;
    }

    long budgetBytes() {
        return budgetBytes;
    }
}
