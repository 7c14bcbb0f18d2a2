package dev.slicer.operator.dependent;

import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.crds.v1alpha1.spec.DeviceClassSpec;
import dev.slicer.crds.v1alpha1.spec.EdgeDaemonSetSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The optional in-cluster edge runtime {@code <name>-edge}, one pod per selected node. Its pods carry
 * {@code spec.edges.selector.matchLabels}, so the edge selector (and the PodMonitor) find them.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_SELECTOR))
public class EdgeDaemonSetDependent extends FleetDependent<DaemonSet> {

    public EdgeDaemonSetDependent() {
        super(DaemonSet.class);
    }

    /** The target is known without {@code desired()}, which needs inputs absent while the precondition fails. */
    @Override
    protected ResourceID targetSecondaryResourceID(SplitInference si, Context<SplitInference> context) {
        return new ResourceID(Names.edge(si), si.getMetadata().getNamespace());
    }

    @Override
    protected DaemonSet desired(SplitInference si, Context<SplitInference> context) {
        return desired(si);
    }

    /**
     * The edge's configuration, exactly the properties its {@code EdgeConfig} reads (edge-runtime/README.md). The
     * back-end address is the Service's in-cluster name; the device class is the first class whose selector matches
     * the DaemonSet's pod labels (a class without selector matches every edge), else the first class: one DaemonSet
     * serves one device class, so fleets with several in-cluster classes label their pods per class.
     */
    static List<EnvVar> env(SplitInference si, Map<String, String> podLabels) {
        DeviceClassSpec dc = deviceClass(si, podLabels);
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVar("SLICER_FLEET", si.getMetadata().getName(), null));
        env.add(new EnvVar(
                "SLICER_EDGE_BACKEND_ADDRESS",
                Names.backend(si) + "." + si.getMetadata().getNamespace() + ".svc:" + Names.GRPC_PORT,
                null));
        env.add(new EnvVar("SLICER_EDGE_MODEL_URI", si.getSpec().getModel().getUri(), null));
        env.add(new EnvVar("SLICER_EDGE_DEVICE_CLASS", dc.getName(), null));
        if (dc.getMemoryBudget() != null) {
            env.add(new EnvVar("SLICER_EDGE_MEMORY_BUDGET", dc.getMemoryBudget(), null));
        }
        // the node name identifies the edge in reports and plan acknowledgements; apiVersion as the API server
        // defaults it, or the applied object never matches the stored one and every reconcile patches it
        env.add(new EnvVarBuilder()
                .withName("SLICER_EDGE_EDGE_ID")
                .withNewValueFrom()
                .withNewFieldRef()
                .withApiVersion("v1")
                .withFieldPath("spec.nodeName")
                .endFieldRef()
                .endValueFrom()
                .build());
        return env;
    }

    static DeviceClassSpec deviceClass(SplitInference si, Map<String, String> podLabels) {
        List<DeviceClassSpec> classes = si.getSpec().getEdges().getDeviceClasses();
        for (DeviceClassSpec dc : classes) {
            LabelSelector sel = dc.getSelector();
            boolean matches = sel == null
                    || ((sel.getMatchExpressions() == null
                                    || sel.getMatchExpressions().isEmpty())
                            && podLabels
                                    .entrySet()
                                    .containsAll((sel.getMatchLabels() == null
                                                    ? Map.<String, String>of()
                                                    : sel.getMatchLabels())
                                            .entrySet()));
            if (matches) {
                return dc;
            }
        }
        return classes.get(0);
    }

    public static DaemonSet desired(SplitInference si) {
        EdgeDaemonSetSpec ds = si.getSpec().getEdges().getDaemonSet();
        Map<String, String> selector =
                new LinkedHashMap<>(si.getSpec().getEdges().getSelector().getMatchLabels());
        selector.put("app.kubernetes.io/instance", si.getMetadata().getName());
        Map<String, String> podLabels = new LinkedHashMap<>(Names.labels(si, Names.COMPONENT_EDGE));
        podLabels.putAll(selector);
        var container = PodSecurity.hardenedContainer("edge", ds.getImage())
                .addToPorts(PodSecurity.port("http", Names.HTTP_PORT))
                .withResources(Quantities.canonical(ds.getResources()))
                .withEnv(env(si, podLabels))
                .build();
        return new DaemonSetBuilder()
                .withMetadata(Names.metadata(si, Names.edge(si), Names.COMPONENT_EDGE))
                .withNewSpec()
                .withNewSelector()
                .withMatchLabels(selector)
                .endSelector()
                .withTemplate(PodOptions.apply(
                        PodSecurity.restrictedPodTemplate(
                                podLabels, container, ds.getNodeSelector(), ds.getTolerations()),
                        ds.getPod()))
                .endSpec()
                .build();
    }
}
