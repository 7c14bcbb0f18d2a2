package dev.slicer.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.UUID;

/**
 * Leader election for running more than one operator replica: only the Lease holder reconciles.
 *
 * <p>Switched at run time: the Quarkus extension reads {@code quarkus.operator-sdk.activate-leader-election-for-profiles}
 * at build time, but compares it with the profiles active at run time. That list is the single profile
 * {@value #PROFILE}, so {@code QUARKUS_PROFILE=prod,leader-election} turns election on and {@code QUARKUS_PROFILE=prod}
 * leaves it off (the operator then never touches a Lease, and needs no Lease permission). The chart sets it from
 * {@code leaderElection.enabled}.
 */
public class LeaderElectionProducer {

    /** The run-time profile that activates leader election (application.properties and the chart name it too). */
    public static final String PROFILE = "leader-election";

    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(OperatorConfig config) {
        OperatorConfig.LeaderElection le = config.leaderElection();
        return new LeaderElectionConfiguration(
                le.leaseName(),
                le.leaseNamespace().orElse(null),
                le.leaseDuration(),
                le.renewDeadline(),
                le.retryPeriod(),
                identity(le),
                null,
                true);
    }

    /** The configured identity, else host name plus a random suffix: two processes on one host never share one. */
    static String identity(OperatorConfig.LeaderElection le) {
        return le.identity().orElseGet(() -> {
            String host = System.getenv().getOrDefault("HOSTNAME", "slicer-operator");
            return host + "-" + UUID.randomUUID().toString().substring(0, 8);
        });
    }
}
