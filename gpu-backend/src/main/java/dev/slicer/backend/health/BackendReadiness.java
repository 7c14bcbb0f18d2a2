package dev.slicer.backend.health;

import dev.slicer.backend.Drain;
import dev.slicer.backend.ServedModel;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the model is loaded (the bean exists only then) and not draining. */
@Readiness
@ApplicationScoped
public class BackendReadiness implements HealthCheck {
    private final ServedModel model;
    private final Drain drain;

    public BackendReadiness(ServedModel model, Drain drain) {
        this.model = model;
        this.drain = drain;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("slicer-backend")
                .status(!drain.draining())
                .withData("model", model.tails().modelId())
                .withData("draining", drain.draining())
                .build();
    }
}
