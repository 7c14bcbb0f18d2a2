package dev.slicer.backend.ar;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** builtin:tiny-llama with a KV budget of 256 whole-model positions (2 KiB each), so 100 sessions must share it. */
public class TinyLlamaProfile implements QuarkusTestProfile {
    static final long BUDGET = 256 * 2048;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "slicer.backend.model-uri", "builtin:tiny-llama",
                "slicer.backend.ar.kv-memory-bytes", Long.toString(BUDGET),
                "slicer.backend.ar.session-ttl", "10m");
    }
}
