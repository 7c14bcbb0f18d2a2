package dev.slicer.backend.ar;

import dev.slicer.model.ar.KvCache;
import dev.slicer.protocol.TokenFrames;

/**
 * One AR session: the split it entered at, the KV cache of the layers after it, and when it was last used. Its
 * fields change only under the {@link SessionStore}'s lock or on the compute thread while the session is busy.
 */
final class ArSession {
    final String id;
    final int split;
    final KvCache cache = new KvCache();
    volatile long lastUsedNanos;
    /** A step is queued or running: the next one must wait for its reply (one position at a time). */
    boolean busy;
    /** Bytes reserved in the store's budget (the cache after the running step). */
    long reservedBytes;
    /** The header the session's steps imply (set by an Open with a frame, before the session id is known). */
    volatile TokenFrames.Template template;

    ArSession(String id, int split, long now) {
        this.id = id;
        this.split = split;
        this.lastUsedNanos = now;
    }
}
