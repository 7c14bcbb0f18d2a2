package dev.slicer.backend;

import dev.slicer.backend.config.BackendConfig;
import dev.slicer.backend.tail.TailModel;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/** The model this back-end serves, loaded at start-up (a bad URI stops the process with the reason). */
@Startup
@ApplicationScoped
public class ServedModel {
    private final TailModel tails;

    public ServedModel(BackendConfig config) {
        long t0 = System.nanoTime();
        this.tails = TailModel.load(config.modelUri());
        Log.infof(
                "model %s loaded in %.1f s: %d split candidates; execution provider %s%s",
                config.modelUri(),
                (System.nanoTime() - t0) / 1e9,
                tails.splitCount(),
                config.executionProvider(),
                config.executionProvider() == dev.slicer.backend.config.ExecutionProvider.CUDA
                        ? " (unverified: needs -Pcuda and a GPU)"
                        : "");
    }

    public TailModel tails() {
        return tails;
    }
}
