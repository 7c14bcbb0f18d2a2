package dev.slicer.operator.dependent;

import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.crds.v1alpha1.spec.EdgeDaemonSetSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The optional in-cluster edge runtime {@code <name>-edge}, one pod per selected node. Its pods carry
 * {@code spec.edges.selector.matchLabels}, so the edge selector (and the PodMonitor) find them.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_SELECTOR))
public class EdgeDaemonSetDependent extends CRUDKubernetesDependentResource<DaemonSet, SplitInference> {

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

    public static DaemonSet desired(SplitInference si) {
        EdgeDaemonSetSpec ds = si.getSpec().getEdges().getDaemonSet();
        Map<String, String> selector =
                new LinkedHashMap<>(si.getSpec().getEdges().getSelector().getMatchLabels());
        selector.put("app.kubernetes.io/instance", si.getMetadata().getName());
        Map<String, String> podLabels = new LinkedHashMap<>(Names.labels(si, Names.COMPONENT_EDGE));
        podLabels.putAll(selector);
        var container = PodSecurity.hardenedContainer("edge", ds.getImage())
                .addToPorts(PodSecurity.port("http", Names.HTTP_PORT))
                .withResources(ds.getResources())
                .withEnv(
                        new EnvVar("SLICER_FLEET", si.getMetadata().getName(), null),
                        new EnvVar("SLICER_PLAN_CONFIGMAP", Names.plan(si), null),
                        new EnvVar("SLICER_BACKEND_ADDRESS", Names.backend(si) + ":" + Names.GRPC_PORT, null),
                        new EnvVarBuilder()
                                .withName("NODE_NAME")
                                .withNewValueFrom()
                                .withNewFieldRef()
                                .withFieldPath("spec.nodeName")
                                .endFieldRef()
                                .endValueFrom()
                                .build())
                .build();
        return new DaemonSetBuilder()
                .withNewMetadata()
                .withName(Names.edge(si))
                .withNamespace(si.getMetadata().getNamespace())
                .withLabels(Names.labels(si, Names.COMPONENT_EDGE))
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .withMatchLabels(selector)
                .endSelector()
                .withTemplate(PodSecurity.restrictedPodTemplate(
                        podLabels, container, ds.getNodeSelector(), ds.getTolerations()))
                .endSpec()
                .build();
    }
}
