package dev.slicer.backend.batch;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Triton's dynamic-batching rule: a batch of {@code maxBatchSize} requests goes at once; otherwise the largest
 * preferred size that the waiting requests fill goes at once; otherwise the oldest request waits at most
 * {@code maxQueueDelay}, then whatever waits goes.
 */
public record BatchPolicy(int maxBatchSize, Duration maxQueueDelay, List<Integer> preferredBatchSizes) {
    public BatchPolicy {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("max batch size must be at least 1, got " + maxBatchSize);
        }
        if (maxQueueDelay.isNegative()) {
            throw new IllegalArgumentException("max queue delay must not be negative");
        }
        for (int p : preferredBatchSizes) {
            if (p < 1 || p > maxBatchSize) {
                throw new IllegalArgumentException("preferred batch size " + p + " outside [1, " + maxBatchSize + "]");
            }
        }
        preferredBatchSizes = Arrays.stream(preferredBatchSizes.stream()
                        .mapToInt(Integer::intValue)
                        .sorted()
                        .toArray())
                .boxed()
                .toList();
    }

    /** A tail that cannot be stacked runs its requests one at a time, without waiting. */
    public BatchPolicy unbatched() {
        return new BatchPolicy(1, Duration.ZERO, List.of());
    }

    /**
     * How many of {@code waiting} requests to run now, the oldest having waited {@code oldestWaitNanos}; 0 means wait
     * (at most {@link #remainingNanos} longer).
     */
    public int take(int waiting, long oldestWaitNanos) {
        if (waiting <= 0) {
            return 0;
        }
        if (waiting >= maxBatchSize) {
            return maxBatchSize;
        }
        for (int i = preferredBatchSizes.size() - 1; i >= 0; i--) {
            if (preferredBatchSizes.get(i) <= waiting) {
                return preferredBatchSizes.get(i);
            }
        }
        return oldestWaitNanos >= maxQueueDelay.toNanos() ? waiting : 0;
    }

    public long remainingNanos(long oldestWaitNanos) {
        return Math.max(0, maxQueueDelay.toNanos() - oldestWaitNanos);
    }
}
