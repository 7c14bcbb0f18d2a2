package dev.slicer.edge.testing;

import dev.slicer.model.builtin.BuiltinModels;
import dev.slicer.model.split.SplittableModel;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Starts a {@link TestBackend} on a free loopback port before the edge and points the edge at it. */
public class BackendResource implements QuarkusTestResourceLifecycleManager {
    public static volatile TestBackend backend;

    @Override
    public Map<String, String> start() {
        try {
            backend = new TestBackend(SplittableModel.load(BuiltinModels.MINILM)).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "slicer.edge.backend-address", backend.address(),
                "slicer.edge.device-class", EdgeFixture.DEVICE,
                "slicer.edge.fallback", "fail",
                "slicer.edge.max-attempts", "2",
                "slicer.edge.backoff-initial", "1ms",
                "slicer.edge.backoff-max", "10ms",
                "quarkus.http.test-port", "0");
    }

    @Override
    public void stop() {
        if (backend != null) {
            backend.close();
        }
    }
}
