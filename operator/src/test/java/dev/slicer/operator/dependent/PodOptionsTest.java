package dev.slicer.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.crds.v1alpha1.spec.PodDisruptionBudgetSpec;
import dev.slicer.crds.v1alpha1.spec.PodOptionsSpec;
import dev.slicer.operator.Fixtures;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code pod}: the pod-level settings and the unsupported template override, on both workloads. */
class PodOptionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SplitInference si = Fixtures.splitInference("fleet", "http://127.0.0.1:9");

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    private static PodOptionsSpec options(String template) throws Exception {
        PodOptionsSpec pod = new PodOptionsSpec();
        pod.setTemplate(template == null ? null : json(template));
        return pod;
    }

    private PodSpec backendPod() {
        return BackendDeploymentDependent.desired(si, 1).getSpec().getTemplate().getSpec();
    }

    @Test
    void identityPullSecretsAndPlacementReachTheBackendPods() {
        PodOptionsSpec pod = new PodOptionsSpec();
        pod.setServiceAccountName("gpu-runner");
        pod.setImagePullSecrets(List.of(new LocalObjectReference("registry-cred")));
        pod.setRuntimeClassName("nvidia");
        pod.setPriorityClassName("inference-critical");
        pod.setAffinity(new AffinityBuilder()
                .withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution()
                .withWeight(50)
                .withNewPodAffinityTerm()
                .withTopologyKey("kubernetes.io/hostname")
                .endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity()
                .build());
        si.getSpec().getBackend().setPod(pod);
        PodSpec spec = backendPod();
        assertThat(spec.getServiceAccountName()).isEqualTo("gpu-runner");
        assertThat(spec.getImagePullSecrets())
                .extracting(LocalObjectReference::getName)
                .containsExactly("registry-cred");
        assertThat(spec.getRuntimeClassName()).isEqualTo("nvidia");
        assertThat(spec.getPriorityClassName()).isEqualTo("inference-critical");
        assertThat(spec.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
                .singleElement()
                .satisfies(t -> assertThat(t.getWeight()).isEqualTo(50));
        // a service account does not bring its token: the pods never talk to the API server
        assertThat(spec.getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void withoutOptionsThePodsAreAsGenerated() {
        PodSpec before = backendPod();
        si.getSpec().getBackend().setPod(new PodOptionsSpec());
        assertThat(backendPod()).isEqualTo(before);
        assertThat(before.getServiceAccountName()).isNull();
    }

    @Test
    void theOverrideMergesContainersAndEnvByNameAndKeepsTheRest() throws Exception {
        si.getSpec()
                .getBackend()
                .setPod(
                        options(
                                """
                {"metadata": {"annotations": {"sidecar.istio.io/inject": "false"}},
                 "spec": {
                   "hostNetwork": true,
                   "containers": [
                     {"name": "backend", "imagePullPolicy": "Always",
                      "env": [{"name": "SLICER_BACKEND_EXECUTION_PROVIDER", "value": "CUDA"},
                              {"name": "OMP_NUM_THREADS", "value": "4"}]},
                     {"name": "log-shipper", "image": "registry.example/shipper:2"}]}}
                """));
        Deployment d = BackendDeploymentDependent.desired(si, 1);
        PodSpec spec = d.getSpec().getTemplate().getSpec();
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("sidecar.istio.io/inject", "false");
        assertThat(spec.getHostNetwork()).isTrue();
        assertThat(spec.getContainers()).extracting(Container::getName).containsExactly("backend", "log-shipper");
        Container backend = spec.getContainers().get(0);
        assertThat(backend.getImagePullPolicy()).isEqualTo("Always");
        assertThat(backend.getImage())
                .as("unset in the override: kept")
                .isEqualTo("registry.example/slicer-backend:1.0");
        assertThat(backend.getStartupProbe()).isNotNull();
        assertThat(backend.getEnv())
                .extracting(EnvVar::getName)
                .as("replaced in place by name, the new one appended, none lost")
                .startsWith("SLICER_FLEET", "SLICER_BACKEND_MODEL_URI")
                .contains("SLICER_BACKEND_PLAN_FILE", "OMP_NUM_THREADS")
                .doesNotHaveDuplicates();
        assertThat(backend.getEnv())
                .filteredOn(e -> e.getName().equals("SLICER_BACKEND_EXECUTION_PROVIDER"))
                .singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("CUDA"));
        assertThat(spec.getVolumes()).extracting(v -> v.getName()).contains("plan", "tmp");
    }

    @Test
    void nullRemovesAFieldAndOtherListsReplace() throws Exception {
        si.getSpec()
                .getBackend()
                .setPod(
                        options(
                                """
                {"spec": {"securityContext": null,
                          "containers": [{"name": "backend", "livenessProbe": null,
                                          "args": ["--verbose"]}]}}
                """));
        PodSpec spec = backendPod();
        assertThat(spec.getSecurityContext()).isNull();
        assertThat(spec.getContainers().get(0).getLivenessProbe()).isNull();
        assertThat(spec.getContainers().get(0).getReadinessProbe()).isNotNull();
        assertThat(spec.getContainers().get(0).getArgs()).containsExactly("--verbose");
    }

    @Test
    void theSelectorLabelsAlwaysWin() throws Exception {
        si.getSpec()
                .getBackend()
                .setPod(
                        options(
                                """
                {"metadata": {"labels": {"app.kubernetes.io/instance": "someone-else", "team": "ml"}}}
                """));
        Deployment d = BackendDeploymentDependent.desired(si, 1);
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels())
                .containsEntry("team", "ml");
    }

    @Test
    void theEdgeDaemonSetTakesTheSameOptions() throws Exception {
        si.getSpec().getEdges().setDaemonSet(Fixtures.daemonSet());
        PodOptionsSpec pod = options("{\"spec\": {\"dnsPolicy\": \"ClusterFirstWithHostNet\"}}");
        pod.setPriorityClassName("edge-high");
        si.getSpec().getEdges().getDaemonSet().setPod(pod);
        DaemonSet ds = EdgeDaemonSetDependent.desired(si);
        assertThat(ds.getSpec().getTemplate().getSpec().getPriorityClassName()).isEqualTo("edge-high");
        assertThat(ds.getSpec().getTemplate().getSpec().getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
        assertThat(ds.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(ds.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void aValidOverrideHasNoProblem() throws Exception {
        assertThat(PodTemplateOverride.problem(
                        json("{\"spec\": {\"containers\": [{\"name\": \"backend\", \"resources\":"
                                + " {\"limits\": {\"cpu\": \"2\"}}, \"ports\": [{\"containerPort\": 1}]}],"
                                + " \"terminationGracePeriodSeconds\": 60}}"),
                        "spec.backend.pod.template"))
                .isEmpty();
        assertThat(PodTemplateOverride.problem(null, "x")).isEmpty();
    }

    @Test
    void unknownFieldsAreNamedWithTheirPath() throws Exception {
        assertThat(PodTemplateOverride.problem(
                        json("{\"spec\": {\"containers\": [{\"name\": \"backend\", \"imagePullPolicyy\": \"Always\"}],"
                                + " \"hostnetwork\": true}, \"kind\": \"Pod\"}"),
                        "spec.backend.pod.template"))
                .hasValueSatisfying(m -> assertThat(m)
                        .contains("spec.backend.pod.template.spec.containers[0].imagePullPolicyy")
                        .contains("spec.backend.pod.template.spec.hostnetwork")
                        .contains("spec.backend.pod.template.kind"));
    }

    @Test
    void mistypedValuesAndNonObjectsAreRefused() throws Exception {
        assertThat(PodTemplateOverride.problem(json("{\"spec\": {\"containers\": \"backend\"}}"), "t"))
                .hasValueSatisfying(m -> assertThat(m).startsWith("t is not a pod template"));
        assertThat(PodTemplateOverride.problem(json("{\"spec\": {\"hostNetwork\": {\"on\": true}}}"), "t"))
                .hasValueSatisfying(m -> assertThat(m).startsWith("t is not a pod template"));
        assertThat(PodTemplateOverride.problem(json("[1, 2]"), "t")).hasValueSatisfying(m -> assertThat(m)
                .isEqualTo("t must be an object (a pod template: metadata and spec)"));
    }

    @Test
    void theBudgetSelectsTheBackendPodsAndFollowsTheSpec() {
        PodDisruptionBudgetSpec budget = new PodDisruptionBudgetSpec();
        budget.setMaxUnavailable(2);
        si.getSpec().getBackend().setPodDisruptionBudget(budget);
        PodDisruptionBudget pdb = BackendPodDisruptionBudgetDependent.desired(si);
        assertThat(pdb.getMetadata().getName()).isEqualTo("fleet-backend");
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(2);
        assertThat(pdb.getSpec().getMinAvailable()).isNull();
        assertThat(pdb.getSpec().getSelector().getMatchLabels())
                .isEqualTo(BackendDeploymentDependent.desired(si, 1)
                        .getSpec()
                        .getSelector()
                        .getMatchLabels());
        assertThat(new PodDisruptionBudgetRequested().isMet(null, si, null)).isTrue();
        si.getSpec().getBackend().setPodDisruptionBudget(null);
        assertThat(new PodDisruptionBudgetRequested().isMet(null, si, null)).isFalse();
    }
}
