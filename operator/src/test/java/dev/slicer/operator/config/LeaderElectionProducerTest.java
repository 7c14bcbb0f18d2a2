package dev.slicer.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class LeaderElectionProducerTest {

    /** The build-time activation list must be exactly the run-time profile the chart switches on. */
    @Test
    void electionIsActivatedOnlyByTheLeaderElectionProfile() throws Exception {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        assertThat(p.getProperty("quarkus.operator-sdk.activate-leader-election-for-profiles"))
                .isEqualTo(LeaderElectionProducer.PROFILE);
        assertThat(p.stringPropertyNames()).noneMatch(k -> k.startsWith("%prod.quarkus.operator-sdk.activate"));
    }

    @Test
    void theConfigurationCarriesNamespaceTimingAndADistinctIdentityPerProcess() {
        OperatorConfig config = config(Optional.of("ops"), Optional.empty());
        var a = new LeaderElectionProducer().leaderElection(config);
        var b = new LeaderElectionProducer().leaderElection(config);
        assertThat(a.getLeaseName()).isEqualTo("lease");
        assertThat(a.getLeaseNamespace()).contains("ops");
        assertThat(a.getLeaseDuration()).isEqualTo(Duration.ofSeconds(6));
        assertThat(a.getRenewDeadline()).isEqualTo(Duration.ofSeconds(4));
        assertThat(a.getRetryPeriod()).isEqualTo(Duration.ofSeconds(1));
        assertThat(a.getIdentity()).isPresent();
        assertThat(a.getIdentity()).isNotEqualTo(b.getIdentity());
        assertThat(new LeaderElectionProducer()
                        .leaderElection(config(Optional.empty(), Optional.of("pod-1")))
                        .getIdentity())
                .contains("pod-1");
    }

    private static OperatorConfig config(Optional<String> namespace, Optional<String> identity) {
        OperatorConfig.LeaderElection le = new OperatorConfig.LeaderElection() {
            public String leaseName() {
                return "lease";
            }

            public Optional<String> leaseNamespace() {
                return namespace;
            }

            public Duration leaseDuration() {
                return Duration.ofSeconds(6);
            }

            public Duration renewDeadline() {
                return Duration.ofSeconds(4);
            }

            public Duration retryPeriod() {
                return Duration.ofSeconds(1);
            }

            public Optional<String> identity() {
                return identity;
            }
        };
        return (OperatorConfig) java.lang.reflect.Proxy.newProxyInstance(
                OperatorConfig.class.getClassLoader(), new Class<?>[] {OperatorConfig.class}, (proxy, m, args) -> {
                    if (m.getName().equals("leaderElection")) {
                        return le;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }
}
