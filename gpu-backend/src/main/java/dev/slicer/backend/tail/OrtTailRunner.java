package dev.slicer.backend.tail;

import dev.slicer.backend.ServedModel;
import dev.slicer.backend.config.BackendConfig;
import dev.slicer.backend.metrics.BackendMetrics;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.ModelRunner;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX Runtime sessions of the tails, created on first use and kept in an LRU of {@code tail-sessions} entries (an
 * evicted session is closed). Only the compute thread calls {@link #run}, so the map needs no lock.
 */
@ApplicationScoped
public class OrtTailRunner implements TailRunner {
    private final ServedModel served;
    private final BackendConfig config;
    private final BackendMetrics metrics;
    private final LinkedHashMap<Integer, ModelRunner> sessions = new LinkedHashMap<>(16, 0.75f, true);

    public OrtTailRunner(ServedModel served, BackendConfig config, BackendMetrics metrics) {
        this.served = served;
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    public Map<String, HostTensor> run(TailSpec tail, Map<String, HostTensor> inputs) {
        return session(tail).run(inputs);
    }

    private ModelRunner session(TailSpec tail) {
        ModelRunner r = sessions.get(tail.index());
        if (r != null) {
            return r;
        }
        var provider = config.executionProvider();
        r = new ModelRunner(
                served.tails().tailModel(tail.index()),
                "tail " + tail.index() + " of " + served.tails().modelId(),
                provider::apply);
        Log.infof("tail session for split %d (%s) created on %s", tail.index(), tail.name(), provider);
        sessions.put(tail.index(), r);
        while (sessions.size() > Math.max(1, config.tailSessions())) {
            var eldest = sessions.entrySet().iterator().next();
            sessions.remove(eldest.getKey());
            eldest.getValue().close();
            Log.infof("tail session for split %d evicted (LRU bound %d)", eldest.getKey(), config.tailSessions());
        }
        metrics.sessions(sessions.size());
        return r;
    }

    @PreDestroy
    void close() {
        sessions.values().forEach(ModelRunner::close);
        sessions.clear();
    }
}
