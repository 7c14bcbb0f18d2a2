package dev.slicer.e2e.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.slicer.e2e.Ports;
import dev.slicer.e2e.ServiceProcess;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator chart rendered by real Helm (helm-java), installed the way {@code helm install} would put the
 * operator's identity on a cluster: its ServiceAccount, (Cluster)Roles and bindings applied as rendered. The operator
 * Deployment itself is not applied (no kubelet runs it); instead {@link #operatorEnv} gives its container's
 * environment as a kubelet would resolve it, so the operator process the test starts runs with the chart's settings.
 */
record OperatorChart(String release, String namespace, List<JsonNode> objects) {

    private static final YAMLMapper YAML = new YAMLMapper();
    /** What a cluster install applies for the operator's identity. */
    private static final Set<String> IDENTITY =
            Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");

    /**
     * These tests run no Prometheus: the operator is pointed at a loopback port that refuses at once. The chart's
     * default (a cluster Service name) resolves nowhere off-cluster, and every reconcile would wait on this machine's
     * resolver for an answer that may be slow to come.
     */
    static final String NO_PROMETHEUS = "http://127.0.0.1:9";

    /** Renders the chart with {@code values} (--set style, e.g. {@code leaderElection.enabled=false}). */
    static OperatorChart render(String release, String namespace, Map<String, String> values) {
        String dir = System.getProperty("slicer.chart.dir");
        if (dir == null) {
            throw new IllegalStateException("system property slicer.chart.dir not set (run the tests with Maven)");
        }
        TemplateCommand template = new Helm(Path.of(dir))
                .template()
                .withName(release)
                .withNamespace(namespace)
                .set("prometheus.url", NO_PROMETHEUS);
        for (Map.Entry<String, String> v : values.entrySet()) {
            template = template.set(v.getKey(), v.getValue());
        }
        return new OperatorChart(release, namespace, parse(template.call()));
    }

    private static List<JsonNode> parse(String yaml) {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            List<JsonNode> docs = new ArrayList<>();
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && doc.isObject() && doc.has("kind")) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Applies the rendered ServiceAccount, Roles and bindings (cluster-admin, as {@code helm install} would). */
    void installIdentity(KubernetesClient admin) {
        for (JsonNode o : objects) {
            if (IDENTITY.contains(o.path("kind").asText())) {
                GenericKubernetesResource r =
                        admin.getKubernetesSerialization().convertValue(o, GenericKubernetesResource.class);
                if (isNamespaced(r) && r.getMetadata().getNamespace() == null) {
                    r.getMetadata().setNamespace(namespace);
                }
                admin.resource(r).fieldManager("helm").forceConflicts().serverSideApply();
            }
        }
    }

    private static boolean isNamespaced(GenericKubernetesResource r) {
        return !r.getKind().startsWith("Cluster");
    }

    /** The rendered operator's ServiceAccount name. */
    String serviceAccount() {
        return one("Deployment")
                .path("spec")
                .path("template")
                .path("spec")
                .path("serviceAccountName")
                .asText();
    }

    /** The rendered objects of {@code kind}. */
    List<JsonNode> ofKind(String kind) {
        return objects.stream()
                .filter(o -> kind.equals(o.path("kind").asText()))
                .toList();
    }

    private JsonNode one(String kind) {
        List<JsonNode> found = ofKind(kind);
        if (found.size() != 1) {
            throw new IllegalStateException("expected one " + kind + " in the rendered chart, found " + found.size());
        }
        return found.get(0);
    }

    /**
     * Starts the packaged operator as the chart's Deployment would run it in pod {@code pod}: its container's
     * environment and a token of its ServiceAccount; waits (bounded) until it is ready. Logs go to
     * {@code run/logs/POD.log}.
     */
    ServiceProcess startOperator(RealControlPlane cp, Path root, Path run, String pod, Duration ready)
            throws IOException, InterruptedException {
        return startOperator(cp, root, run, pod, ready, Map.of());
    }

    /** As {@link #startOperator(RealControlPlane, Path, Path, String, Duration)}, with {@code extraEnv} on top. */
    ServiceProcess startOperator(
            RealControlPlane cp, Path root, Path run, String pod, Duration ready, Map<String, String> extraEnv)
            throws IOException, InterruptedException {
        Map<String, String> env = new LinkedHashMap<>(operatorEnv(pod));
        env.putAll(extraEnv);
        env.put(
                "KUBECONFIG",
                cp.kubeconfigAs(namespace, serviceAccount(), run.resolve(pod + ".kubeconfig"))
                        .toString());
        ServiceProcess p =
                ServiceProcess.start(root, "operator", pod, Ports.free(), Map.of(), env, run.resolve("logs"));
        try {
            return p.awaitReady(ready);
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /**
     * The operator container's environment as a kubelet would give it to pod {@code podName}: literal values, and
     * the downward API's {@code metadata.namespace} / {@code metadata.name}. Anything else is refused, so a chart
     * change the test cannot honour fails loudly rather than running the operator differently from a cluster.
     */
    Map<String, String> operatorEnv(String podName) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode container = one("Deployment")
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0);
        for (JsonNode e : container.path("env")) {
            String name = e.path("name").asText();
            if (e.has("value")) {
                env.put(name, e.path("value").asText());
            } else {
                String field =
                        e.path("valueFrom").path("fieldRef").path("fieldPath").asText();
                switch (field) {
                    case "metadata.namespace" -> env.put(name, namespace);
                    case "metadata.name" -> env.put(name, podName);
                    default -> throw new IllegalStateException("env " + name + ": cannot resolve " + e);
                }
            }
        }
        return env;
    }
}
