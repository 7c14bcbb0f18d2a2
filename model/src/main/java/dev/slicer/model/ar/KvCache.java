package dev.slicer.model.ar;

import dev.slicer.model.split.HostTensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The KV cache one session holds for the layers one decoder part runs: per {@code past_key_values.N.key/value} input
 * a float tensor {@code [1, heads, length, head_dim]}. A part that owns no layers (a tail after the last block) holds
 * an empty map and only counts positions.
 */
public final class KvCache {
    private Map<String, HostTensor> tensors = Map.of();
    private int length;

    /** Positions held. */
    public int length() {
        return length;
    }

    /** Bytes held by the cached tensors. */
    public long bytes() {
        long b = 0;
        for (HostTensor t : tensors.values()) {
            b += t.byteSize();
        }
        return b;
    }

    /** Bytes this cache would hold at {@code positions} positions (its layers' width times positions). */
    public long bytesAt(int positions) {
        return length == 0 ? 0 : bytes() / length * positions;
    }

    /** The cached tensor for a {@code past_key_values.*} input; null when empty. */
    HostTensor past(String input) {
        return tensors.get(input);
    }

    Map<String, HostTensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    void replace(Map<String, HostTensor> next, int newLength) {
        this.tensors = new LinkedHashMap<>(next);
        this.length = newLength;
    }

    /** Frees the tensors (the session ends). */
    public void clear() {
        tensors = Map.of();
        length = 0;
    }
}
