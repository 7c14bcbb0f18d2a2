package dev.slicer.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Leader election for running more than one operator replica: only the Lease holder reconciles. The Lease lives
 * in the operator's own namespace. Activated for the profiles in
 * {@code quarkus.operator-sdk.activate-leader-election-for-profiles} (prod by default).
 */
public class LeaderElectionProducer {

    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(OperatorConfig config) {
        return new LeaderElectionConfiguration(config.leaderElection().leaseName());
    }
}
