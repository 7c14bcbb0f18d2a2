package dev.slicer.backend;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A queue of two and no batching, so a held compute thread fills it with three requests. */
public class SmallQueueProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "slicer.backend.queue.capacity", "2",
                "slicer.backend.batching.max-batch-size", "1",
                "slicer.backend.batching.max-queue-delay", "0s");
    }
}
