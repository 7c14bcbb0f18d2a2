package dev.slicer.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The operator Deployment: Pod Security "restricted", probes, configuration, monitors. */
class OperatorDeploymentTest {

    static final List<String> POD_KINDS = List.of("Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job");

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"namespaced.yaml", "minimal.yaml"})
    void everyPodTemplateMeetsTheRestrictedPodSecurityStandard(String values) {
        List<JsonNode> workloads = Chart.render(values).ofKind(POD_KINDS.toArray(String[]::new));
        assertThat(workloads).isNotEmpty();
        for (JsonNode workload : workloads) {
            JsonNode pod = workload.at("/spec/template/spec");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
            assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
            assertThat(pod.path("hostNetwork").asBoolean(false)).isFalse();
            assertThat(pod.path("hostPID").asBoolean(false)).isFalse();
            assertThat(pod.path("hostIPC").asBoolean(false)).isFalse();
            JsonNode containers = pod.path("containers");
            assertThat(containers.size()).isPositive();
            for (JsonNode c : containers) {
                JsonNode sc = c.path("securityContext");
                assertThat(sc.path("allowPrivilegeEscalation").isBoolean()).isTrue();
                assertThat(sc.path("allowPrivilegeEscalation").asBoolean()).isFalse();
                assertThat(sc.path("privileged").asBoolean(false)).isFalse();
                assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
                assertThat(sc.at("/capabilities/drop").toString()).isEqualTo("[\"ALL\"]");
                assertThat(sc.at("/capabilities/add").isMissingNode()).isTrue();
                assertThat(c.path("resources").path("requests").isObject()).isTrue();
            }
            for (JsonNode volume : pod.path("volumes")) {
                assertThat(volume.has("hostPath")).as("hostPath volume").isFalse();
            }
        }
    }

    @Test
    void probesOnQuarkusHealthEndpoints() {
        JsonNode container = Chart.render(null).one("Deployment").at("/spec/template/spec/containers/0");
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");
        assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("http");
        // a slow start (cache sync over many resources) is not killed by the liveness probe
        assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/started");
        assertThat(container.at("/startupProbe/failureThreshold").asInt()
                        * container.at("/startupProbe/periodSeconds").asInt())
                .isGreaterThanOrEqualTo(60);
    }

    @Test
    void defaultValuesConfigureAllNamespacesLeaderElectionAndPrometheus() {
        Chart.Rendered rendered = Chart.render(null);
        JsonNode deployment = rendered.one("Deployment");
        Map<String, String> env = env(deployment);
        assertThat(env)
                .containsEntry("SLICER_OPERATOR_METRICS_SOURCE", "prometheus")
                .containsEntry("SLICER_OPERATOR_PROMETHEUS_URL", "http://prometheus-operated.monitoring.svc:9090")
                .containsEntry("QUARKUS_OPERATOR_SDK_NAMESPACES", "JOSDK_ALL_NAMESPACES")
                .containsEntry("QUARKUS_PROFILE", "prod,leader-election")
                .containsEntry("SLICER_OPERATOR_LEADER_ELECTION_LEASE_NAME", "slicer-operator-lease")
                .containsEntry("SLICER_OPERATOR_LEADER_ELECTION_LEASE_NAMESPACE", "<from>")
                .containsEntry("SLICER_OPERATOR_LEADER_ELECTION_IDENTITY", "<from>");
        assertThat(deployment.at("/spec/template/spec/containers/0/image").asText())
                .isEqualTo("ghcr.io/slicer-dev/slicer-operator:0.1.0");
        assertThat(deployment.at("/spec/template/spec/serviceAccountName").asText())
                .isEqualTo("slicer-slicer-operator");
        assertThat(rendered.one("ServiceAccount").at("/metadata/name").asText()).isEqualTo("slicer-slicer-operator");
    }

    @Test
    void nonDefaultValuesReachTheDeploymentAndMonitors() {
        Chart.Rendered rendered = Chart.render("namespaced.yaml");
        JsonNode deployment = rendered.one("Deployment");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertThat(container.path("image").asText()).isEqualTo("registry.example.com/slicer/slicer-operator:9.9.9");
        assertThat(container.path("imagePullPolicy").asText()).isEqualTo("Always");
        assertThat(container.at("/resources/limits/memory").asText()).isEqualTo("768Mi");
        assertThat(env(deployment))
                .containsEntry("SLICER_OPERATOR_PROMETHEUS_URL", "http://prometheus.observability.svc:9090")
                .containsEntry("QUARKUS_OPERATOR_SDK_NAMESPACES", "team-a,team-b")
                .containsEntry("SLICER_OPERATOR_LEADER_ELECTION_LEASE_NAME", "slicer-lease")
                .containsEntry("JAVA_OPTS_APPEND", "-XX:MaxRAMPercentage=75");
        assertThat(deployment.at("/spec/template/spec/serviceAccountName").asText())
                .isEqualTo("slicer-bot");

        JsonNode monitor = rendered.one("ServiceMonitor");
        assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
        assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
        assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
        assertThat(monitor.at("/spec/endpoints/0/interval").asText()).isEqualTo("15s");
        JsonNode service = rendered.one("Service");
        assertThat(monitor.at("/spec/selector/matchLabels")).isEqualTo(deployment.at("/spec/selector/matchLabels"));
        assertThat(service.at("/spec/selector")).isEqualTo(deployment.at("/spec/selector/matchLabels"));
    }

    @Test
    void prometheusAuthFleetMonitorLabelsAndPodSettingsReachThePod() {
        Chart.Rendered rendered = Chart.render("namespaced.yaml");
        JsonNode deployment = rendered.one("Deployment");
        assertThat(env(deployment))
                .containsEntry(
                        "SLICER_OPERATOR_METRICS_URL_ALLOWLIST",
                        "http://prometheus.observability.svc:9090,https://thanos.example.com/tenant-a")
                .containsEntry("SLICER_OPERATOR_PROMETHEUS_CA_FILE", "/etc/slicer/prometheus-ca/ca.crt")
                .containsEntry("SLICER_OPERATOR_PROMETHEUS_BEARER_TOKEN_FILE", "/etc/slicer/prometheus-token/token")
                .containsEntry("SLICER_OPERATOR_MONITOR_LABELS", "release=kube-prometheus-stack,team=vision");
        JsonNode pod = deployment.at("/spec/template/spec");
        Map<String, JsonNode> volumes = new HashMap<>();
        pod.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
        assertThat(volumes.get("prometheus-ca").at("/secret/secretName").asText())
                .isEqualTo("prometheus-ca");
        assertThat(volumes.get("prometheus-ca").at("/secret/items/0/key").asText())
                .isEqualTo("ca.pem");
        assertThat(volumes.get("prometheus-ca").at("/secret/items/0/path").asText())
                .isEqualTo("ca.crt");
        assertThat(volumes.get("prometheus-token").at("/secret/secretName").asText())
                .isEqualTo("prometheus-token");
        List<String> mounts = new java.util.ArrayList<>();
        pod.at("/containers/0/volumeMounts")
                .forEach(m -> mounts.add(m.path("mountPath").asText()));
        assertThat(mounts).contains("/etc/slicer/prometheus-ca", "/etc/slicer/prometheus-token");
        assertThat(pod.path("priorityClassName").asText()).isEqualTo("system-cluster-critical");
        assertThat(pod.path("runtimeClassName").asText()).isEqualTo("gvisor");
        JsonNode pdb = rendered.one("PodDisruptionBudget");
        assertThat(pdb.at("/spec/minAvailable").asInt()).isEqualTo(1);
        assertThat(pdb.at("/spec/selector/matchLabels")).isEqualTo(deployment.at("/spec/selector/matchLabels"));
        // the defaults: no secrets, no allowlist beyond the operator's Prometheus, no PDB
        Chart.Rendered defaults = Chart.render(null);
        assertThat(env(defaults.one("Deployment")))
                .doesNotContainKeys(
                        "SLICER_OPERATOR_METRICS_URL_ALLOWLIST",
                        "SLICER_OPERATOR_PROMETHEUS_CA_FILE",
                        "SLICER_OPERATOR_PROMETHEUS_BEARER_TOKEN_FILE",
                        "SLICER_OPERATOR_MONITOR_LABELS");
        assertThat(defaults.ofKind("PodDisruptionBudget")).isEmpty();
    }

    @Test
    void withoutLeaderElectionOrDashboard() {
        Chart.Rendered rendered = Chart.render("minimal.yaml");
        // the operator reads the profile at run time: without leader-election in it, no Lease is ever touched
        assertThat(env(rendered.one("Deployment")))
                .containsEntry("QUARKUS_PROFILE", "prod")
                .doesNotContainKeys(
                        "SLICER_OPERATOR_LEADER_ELECTION_LEASE_NAME",
                        "SLICER_OPERATOR_LEADER_ELECTION_LEASE_NAMESPACE");
        assertThat(rendered.ofKind("ServiceAccount")).isEmpty();
        assertThat(rendered.one("Deployment")
                        .at("/spec/template/spec/serviceAccountName")
                        .asText())
                .isEqualTo("existing-sa");
        assertThat(rendered.ofKind("ConfigMap")).isEmpty();
    }

    @Test
    void aClusterWithoutPrometheusHasTheOperatorScrapeTheReplicas() {
        assertThat(env(Chart.render("direct.yaml").one("Deployment")))
                .containsEntry("SLICER_OPERATOR_METRICS_SOURCE", "direct");
    }

    static Map<String, String> env(JsonNode deployment) {
        Map<String, String> env = new HashMap<>();
        for (JsonNode e : deployment.at("/spec/template/spec/containers/0/env")) {
            env.put(e.path("name").asText(), e.has("value") ? e.path("value").asText() : "<from>");
        }
        return env;
    }
}
