package dev.slicer.operator;

import dev.slicer.codec.CodecMode;
import dev.slicer.crds.ModelDigest;
import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.crds.v1alpha1.SplitInferenceSpec;
import dev.slicer.crds.v1alpha1.spec.BackendSpec;
import dev.slicer.crds.v1alpha1.spec.DeviceClassSpec;
import dev.slicer.crds.v1alpha1.spec.EdgeDaemonSetSpec;
import dev.slicer.crds.v1alpha1.spec.EdgesSpec;
import dev.slicer.crds.v1alpha1.spec.ModelSpec;
import dev.slicer.crds.v1alpha1.spec.PolicySpec;
import dev.slicer.crds.v1alpha1.spec.SloSpec;
import dev.slicer.planner.cost.LinearCodecTimeModel;
import dev.slicer.planner.model.DistortionTable;
import dev.slicer.planner.model.SplitCandidate;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.plan.PlanJson;
import dev.slicer.planner.search.Theta;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Test resources: a SplitInference and a small synthetic model profile. */
public final class Fixtures {
    /** The model of {@link #splitInference}; {@link #profileConfigMap} carries its digest. */
    public static final String MODEL_URI = "https://models.example/encoder.onnx";

    public static final String NAMESPACE = "test";

    private Fixtures() {}

    public static SplitInference splitInference(String name, String metricsUrl) {
        ModelSpec model = new ModelSpec();
        model.setUri(MODEL_URI);
        model.setTask(ModelSpec.Task.TEXT_EMBEDDING);
        DeviceClassSpec phone = new DeviceClassSpec();
        phone.setName("phone");
        phone.setMemoryBudget("512Mi");
        EdgesSpec edges = new EdgesSpec();
        edges.setSelector(new LabelSelectorBuilder()
                .addToMatchLabels("slicer.dev/edge", name)
                .build());
        edges.setDeviceClasses(List.of(phone));
        BackendSpec backend = new BackendSpec();
        backend.setImage("registry.example/slicer-backend:1.0");
        backend.setMinReplicas(1);
        backend.setMaxReplicas(4);
        SloSpec slo = new SloSpec();
        slo.setLatency("300ms");
        PolicySpec policy = new PolicySpec();
        policy.setReplanInterval("5s");
        policy.setHysteresis(0.1);
        policy.setMetricsUrl(metricsUrl);
        SplitInferenceSpec spec = new SplitInferenceSpec();
        spec.setModel(model);
        spec.setEdges(edges);
        spec.setBackend(backend);
        spec.setSlo(slo);
        spec.setPolicy(policy);
        SplitInference si = new SplitInference();
        si.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(NAMESPACE)
                .withUid("uid-" + name)
                .withGeneration(1L)
                .build());
        si.setSpec(spec);
        return si;
    }

    public static EdgeDaemonSetSpec daemonSet() {
        EdgeDaemonSetSpec ds = new EdgeDaemonSetSpec();
        ds.setImage("registry.example/slicer-edge:1.0");
        return ds;
    }

    /** Four split candidates of a small encoder; deeper splits cost more device time and less back-end time. */
    /** The profile's one top-K setting (measured 0.985-0.995 output cosine, above the default floor). */
    static final Theta TOPK = Theta.topK(0.75, 2, 2, 0.1, 8, 0.05, false);

    public static SplitProfile profile() {
        List<SplitCandidate> candidates = new ArrayList<>();
        double[] front = {0.005, 0.020, 0.060, 0.150};
        for (int i = 0; i < front.length; i++) {
            long memory = 20_000_000L * (i + 1);
            candidates.add(new SplitCandidate(
                    i,
                    "encoder.layer." + i,
                    memory,
                    front[i],
                    memory / 4,
                    front[i] * 0.7,
                    List.of(1, 16, 64),
                    16 * 64 * 4,
                    64));
        }
        Map<String, LinearCodecTimeModel.Coefficients> time = new TreeMap<>();
        for (CodecMode m : CodecMode.values()) {
            time.put(m.name(), new LinearCodecTimeModel.Coefficients(1e-4, 1e-8));
            time.put(m.name() + "/rans", new LinearCodecTimeModel.Coefficients(2e-4, 2e-8));
        }
        return new SplitProfile(
                "synthetic-encoder",
                4096,
                100_000_000L,
                0.200,
                25_000_000L,
                0.140,
                candidates,
                List.of(Theta.lossless(), TOPK),
                new DistortionTable("output-cosine-mean", 2, Map.of(TOPK.id(), List.of(0.985, 0.99, 0.99, 0.995))),
                new LinearCodecTimeModel("synthetic", time));
    }

    public static ConfigMap profileConfigMap(String fleet) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(fleet + "-profile")
                .withNamespace(NAMESPACE)
                .addToAnnotations(ModelDigest.ANNOTATION, ModelDigest.of(MODEL_URI))
                .endMetadata()
                .addToData("profile.json", PlanJson.write(profile(), false))
                .build();
    }

    /**
     * An EndpointSlice of {@code service} (as the endpoint-slice controller writes one) listing one pod at 127.0.0.1
     * (at {@code localhost} for an FQDN slice) with its {@code http} port at {@code port}; {@code ready} null leaves
     * the condition unset.
     */
    public static EndpointSlice endpointSlice(
            String name, String service, String addressType, int port, Boolean ready) {
        return new EndpointSliceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NAMESPACE)
                .addToLabels("kubernetes.io/service-name", service)
                .endMetadata()
                .withAddressType(addressType)
                .addNewEndpoint()
                .withAddresses(addressType.equals("FQDN") ? "localhost" : "127.0.0.1")
                .withNewConditions()
                .withReady(ready)
                .endConditions()
                .endEndpoint()
                .addNewPort()
                .withName("grpc")
                .withPort(9)
                .endPort()
                .addNewPort()
                .withName("http")
                .withPort(port)
                .endPort()
                .build();
    }
}
