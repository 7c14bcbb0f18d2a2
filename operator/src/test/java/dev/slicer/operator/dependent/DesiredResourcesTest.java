package dev.slicer.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.crds.v1alpha1.spec.BackendSpec;
import dev.slicer.operator.Fixtures;
import dev.slicer.operator.reconcile.PublishedPlan;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DesiredResourcesTest {

    private final SplitInference si = Fixtures.splitInference("fleet", "http://127.0.0.1:9");

    @Test
    void deploymentRunsTheSpecImageWithRestrictedSecurity() {
        Deployment d = BackendDeploymentDependent.desired(si, 3);
        assertThat(d.getMetadata().getName()).isEqualTo("fleet-backend");
        assertThat(d.getMetadata().getLabels()).containsEntry(Names.MANAGED_BY, Names.OPERATOR);
        assertThat(d.getSpec().getReplicas()).isEqualTo(3);
        assertThat(d.getSpec().getSelector().getMatchLabels()).isEqualTo(Names.selector(si, Names.COMPONENT_BACKEND));
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
        assertRestricted(pod);
        Container c = pod.getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("registry.example/slicer-backend:1.0");
        assertThat(c.getPorts())
                .extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("http:8080", "grpc:9000");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(c.getResources().getRequests()).isNull();
    }

    @Test
    void backendGetsTheModelThePlanMountAndTheBatchingInTheFormItReads() {
        si.getSpec().getBackend().getBatching().setMaxBatchSize(16);
        si.getSpec().getBackend().getBatching().setMaxDelay("7ms");
        PodSpec pod = BackendDeploymentDependent.desired(si, 1)
                .getSpec()
                .getTemplate()
                .getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(env(c))
                .containsEntry("SLICER_BACKEND_MODEL_URI", "https://models.example/encoder.onnx")
                .containsEntry("SLICER_BACKEND_PLAN_FILE", "/etc/slicer/plan/plan.json")
                .containsEntry("SLICER_BACKEND_EXECUTION_PROVIDER", "CPU")
                .containsEntry("SLICER_BACKEND_BATCHING_MAX_BATCH_SIZE", "16")
                .containsEntry("SLICER_BACKEND_BATCHING_MAX_QUEUE_DELAY", "7ms");
        assertThat(c.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/etc/slicer/plan") && m.getReadOnly());
        String volume = c.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals("/etc/slicer/plan"))
                .findFirst()
                .orElseThrow()
                .getName();
        assertThat(pod.getVolumes())
                .anyMatch(v -> v.getName().equals(volume)
                        && v.getConfigMap().getName().equals("fleet-plan")
                        && v.getConfigMap().getOptional());
        assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
    }

    @Test
    void resourcesAreWrittenInTheApiServersCanonicalForm() {
        si.getSpec()
                .getBackend()
                .setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                        .addToRequests("cpu", new Quantity("0.5"))
                        .addToRequests("memory", new Quantity("1024Mi"))
                        .build());
        var requests = BackendDeploymentDependent.desired(si, 1)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getResources()
                .getRequests();
        assertThat(requests.get("cpu").toString()).isEqualTo("500m");
        assertThat(requests.get("memory").toString()).isEqualTo("1Gi");
    }

    private static Map<String, String> env(Container c) {
        Map<String, String> m = new java.util.TreeMap<>();
        c.getEnv().forEach(e -> m.put(e.getName(), e.getValue()));
        return m;
    }

    @Test
    void cudaRequestsGpusAsRequestAndLimit() {
        BackendSpec b = si.getSpec().getBackend();
        b.setExecutionProvider(BackendSpec.ExecutionProvider.CUDA);
        b.setGpus(2);
        b.setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("2"))
                .build());
        Container c = BackendDeploymentDependent.desired(si, 1)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertThat(c.getResources().getRequests())
                .containsEntry("nvidia.com/gpu", new Quantity("2"))
                .containsEntry("cpu", new Quantity("2"));
        assertThat(c.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("2"));
        assertThat(env(c)).containsEntry("SLICER_BACKEND_EXECUTION_PROVIDER", "CUDA");
    }

    @Test
    void cpuProviderRequestsNoGpu() {
        Container c = BackendDeploymentDependent.desired(si, 1)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertThat(c.getResources().getLimits()).isNull();
    }

    @Test
    void serviceExposesHttpAndGrpc() {
        var svc = BackendServiceDependent.desired(si);
        assertThat(svc.getSpec().getSelector()).isEqualTo(Names.selector(si, Names.COMPONENT_BACKEND));
        assertThat(svc.getSpec().getPorts())
                .extracting(ServicePort::getName, ServicePort::getPort)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("http", 8080),
                        org.assertj.core.groups.Tuple.tuple("grpc", 9000));
    }

    @Test
    void planConfigMapHoldsPlanHashAndInputs() {
        var cm = PlanConfigMapDependent.desired(si, new PublishedPlan("{\"format\":1}", "abc", "{}"));
        assertThat(cm.getMetadata().getName()).isEqualTo("fleet-plan");
        assertThat(cm.getData())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("plan.json", "{\"format\":1}", "plan.hash", "abc", "inputs.json", "{}"));
    }

    @Test
    void edgeDaemonSetPodsCarryTheEdgeSelectorLabels() {
        si.getSpec().getEdges().setDaemonSet(Fixtures.daemonSet());
        DaemonSet ds = EdgeDaemonSetDependent.desired(si);
        assertThat(ds.getMetadata().getName()).isEqualTo("fleet-edge");
        assertThat(ds.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("slicer.dev/edge", "fleet")
                .containsAllEntriesOf(ds.getSpec().getSelector().getMatchLabels());
        assertRestricted(ds.getSpec().getTemplate().getSpec());
        Container c = ds.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(env(c))
                .containsEntry("SLICER_EDGE_BACKEND_ADDRESS", "fleet-backend." + Fixtures.NAMESPACE + ".svc:9000")
                .containsEntry("SLICER_EDGE_MODEL_URI", "https://models.example/encoder.onnx")
                .containsEntry("SLICER_EDGE_DEVICE_CLASS", "phone")
                .containsEntry("SLICER_EDGE_MEMORY_BUDGET", "512Mi");
        assertThat(c.getEnv())
                .anyMatch(e -> e.getName().equals("SLICER_EDGE_EDGE_ID")
                        && e.getValueFrom().getFieldRef().getFieldPath().equals("spec.nodeName"));
    }

    @Test
    void edgeDeviceClassIsTheFirstWhoseSelectorMatchesTheDaemonSetPods() {
        si.getSpec().getEdges().setDaemonSet(Fixtures.daemonSet());
        var other = new dev.slicer.crds.v1alpha1.spec.DeviceClassSpec();
        other.setName("gateway");
        other.setSelector(new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
                .addToMatchLabels("slicer.dev/edge", "fleet")
                .build());
        var phone = si.getSpec().getEdges().getDeviceClasses().get(0);
        phone.setSelector(new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
                .addToMatchLabels("tier", "phone")
                .build());
        si.getSpec().getEdges().setDeviceClasses(List.of(phone, other));
        Container c = EdgeDaemonSetDependent.desired(si)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertThat(env(c))
                .containsEntry("SLICER_EDGE_DEVICE_CLASS", "gateway")
                .doesNotContainKey("SLICER_EDGE_MEMORY_BUDGET");
    }

    @Test
    @SuppressWarnings("unchecked")
    void monitorsScrapeQuarkusMetricsAndLabelTheFleet() {
        var sm = Monitors.serviceMonitor(si, MonitorLabels.NONE);
        assertThat(sm.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(sm.getKind()).isEqualTo("ServiceMonitor");
        var spec = sm.getSpec();
        var endpoint = ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
        assertThat(endpoint).containsEntry("path", "/q/metrics").containsEntry("port", "http");
        assertThat((List<Map<String, Object>>) endpoint.get("relabelings"))
                .anyMatch(r ->
                        Names.FLEET_METRIC_LABEL.equals(r.get("targetLabel")) && "fleet".equals(r.get("replacement")));
        var pm = Monitors.podMonitor(si, MonitorLabels.NONE);
        var podSpec = pm.getSpec();
        // the fleet's own edges only: the user's selector AND the fleet label, in the fleet's namespace
        assertThat(podSpec.get("selector"))
                .isEqualTo(Map.of("matchLabels", Map.of("slicer.dev/edge", "fleet", Names.FLEET, "fleet")));
        assertThat(podSpec.get("namespaceSelector")).isEqualTo(Map.of("matchNames", List.of("test")));
        assertThat(((Map<String, Map<String, String>>) spec.get("selector")).get("matchLabels"))
                .containsEntry(Names.FLEET, "fleet")
                .containsEntry("app.kubernetes.io/component", "backend");
        assertThat(spec.get("namespaceSelector")).isEqualTo(Map.of("matchNames", List.of("test")));
    }

    @Test
    void twoFleetsWithTheSameEdgeSelectorScrapeDisjointPods() {
        var other = Fixtures.splitInference("other", "http://127.0.0.1:9");
        other.getSpec().getEdges().setSelector(si.getSpec().getEdges().getSelector());
        var mine = Monitors.podMonitor(si, MonitorLabels.NONE).getSpec().get("selector");
        var theirs = Monitors.podMonitor(other, MonitorLabels.NONE).getSpec().get("selector");
        assertThat(mine).isNotEqualTo(theirs);
        // the operator's DaemonSet pods carry the label the monitor requires
        var podLabels = EdgeDaemonSetDependent.desired(withEdges(si))
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels();
        @SuppressWarnings("unchecked")
        Map<String, String> required = ((Map<String, Map<String, String>>) mine).get("matchLabels");
        assertThat(podLabels).containsAllEntriesOf(required);
    }

    @Test
    void configuredLabelsReachBothMonitorsWithoutReplacingTheOperatorsOwn() {
        var extra = MonitorLabels.parse(java.util.Optional.of(List.of("release=kube-prometheus-stack", "team=a")));
        assertThat(Monitors.serviceMonitor(si, extra).getMetadata().getLabels())
                .containsEntry("release", "kube-prometheus-stack")
                .containsEntry("team", "a")
                .containsEntry(Names.MANAGED_BY, Names.OPERATOR);
        assertThat(Monitors.podMonitor(si, extra).getMetadata().getLabels())
                .containsEntry("release", "kube-prometheus-stack");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {
                "release",
                "=x",
                "bad key=x",
                "release=has space",
                "app.kubernetes.io/name=x",
                "slicer.dev/fleet=x",
                "UPPER.case/x=y",
                "a=b,a=c"
            })
    void badMonitorLabelsAreRefusedWithTheEntry(String entries) {
        var list = List.of(entries.split(","));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MonitorLabels.parse(java.util.Optional.of(list)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slicer.operator.monitor-labels");
    }

    private static SplitInference withEdges(SplitInference si) {
        si.getSpec().getEdges().setDaemonSet(Fixtures.daemonSet());
        return si;
    }

    private static void assertRestricted(PodSpec pod) {
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        for (Container c : pod.getContainers()) {
            var sc = c.getSecurityContext();
            assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
            assertThat(sc.getRunAsNonRoot()).isTrue();
            assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
            assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(c.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/tmp"));
        }
        assertThat(pod.getVolumes()).anyMatch(v -> v.getName().equals("tmp") && v.getEmptyDir() != null);
    }
}
