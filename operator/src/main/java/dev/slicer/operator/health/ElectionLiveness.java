package dev.slicer.operator.health;

import dev.slicer.operator.config.LeaderElectionProducer;
import dev.slicer.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.jboss.logging.Logger;

/**
 * Liveness of the leader election ({@link LeaseProgress}): down when the Lease has not moved for longer than any live
 * elector allows, so the kubelet restarts a replica whose elector died instead of leaving it a standby for ever. The
 * Lease is read in the background every retry period; the probe only reads the verdict, so a slow API server never
 * makes the probe itself time out. Up, with the reason, while leader election is off.
 */
@Liveness
@ApplicationScoped
public class ElectionLiveness implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(ElectionLiveness.class);
    static final String NAME = "leader-election";

    private final KubernetesClient client;
    private final OperatorConfig.LeaderElection config;
    private volatile LeaseProgress progress;
    private ScheduledExecutorService reader;

    public ElectionLiveness(KubernetesClient client, OperatorConfig config) {
        this.client = client;
        this.config = config.leaderElection();
    }

    void start(@Observes StartupEvent ev) {
        if (!ConfigUtils.isProfileActive(LeaderElectionProducer.PROFILE)) {
            return;
        }
        progress = new LeaseProgress(
                LeaseProgress.window(config.leaseDuration(), config.renewDeadline(), config.retryPeriod()),
                System::nanoTime);
        String namespace = config.leaseNamespace()
                .orElseGet(() -> client.getConfiguration().getNamespace());
        reader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-liveness");
            t.setDaemon(true);
            return t;
        });
        long every = config.retryPeriod().toMillis();
        reader.scheduleWithFixedDelay(() -> read(namespace), every, every, TimeUnit.MILLISECONDS);
    }

    private void read(String namespace) {
        try {
            Lease lease = client.leases()
                    .inNamespace(namespace)
                    .withName(config.leaseName())
                    .get();
            progress.observed(
                    Optional.ofNullable(lease).map(l -> l.getMetadata().getResourceVersion()));
        } catch (RuntimeException e) {
            progress.unreadable();
            LOG.debugf("cannot read the Lease %s/%s: %s", namespace, config.leaseName(), e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        if (reader != null) {
            reader.shutdownNow();
        }
    }

    @Override
    public HealthCheckResponse call() {
        LeaseProgress p = progress;
        if (p == null) {
            return HealthCheckResponse.named(NAME)
                    .up()
                    .withData("election", "off")
                    .build();
        }
        Optional<String> stalled = p.stalled();
        if (stalled.isPresent()) {
            LOG.error(stalled.get());
            return HealthCheckResponse.named(NAME)
                    .down()
                    .withData("reason", stalled.get())
                    .build();
        }
        return HealthCheckResponse.named(NAME)
                .up()
                .withData("lease", config.leaseName())
                .build();
    }
}
