package dev.slicer.operator;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Starts the stub Prometheus before the application, so the operator's metricsUrl allowlist can name its URL. */
public class StubPrometheusResource implements QuarkusTestResourceLifecycleManager {

    static StubPrometheus instance;

    @Override
    public Map<String, String> start() {
        try {
            instance = new StubPrometheus();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("slicer.operator.metrics-url-allowlist", instance.url());
    }

    @Override
    public void stop() {
        instance.close();
    }
}
