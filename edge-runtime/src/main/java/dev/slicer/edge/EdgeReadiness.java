package dev.slicer.edge;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the model is loaded and the pipeline built (the back-end is not required: see the fallback). */
@Readiness
@ApplicationScoped
public class EdgeReadiness implements HealthCheck {
    private final EdgeRuntime runtime;

    public EdgeReadiness(EdgeRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("edge-model")
                .status(runtime.ready())
                .withData("plan", runtime.ready() ? runtime.plans().current().source() : "none")
                .build();
    }
}
