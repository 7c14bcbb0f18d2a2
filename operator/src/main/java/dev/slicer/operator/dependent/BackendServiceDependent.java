package dev.slicer.operator.dependent;

import dev.slicer.crds.v1alpha1.SplitInference;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The back-end Service {@code <name>-backend}: HTTP 8080 (health, metrics) and gRPC 9000 (codec frames). */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_SELECTOR))
public class BackendServiceDependent extends FleetDependent<Service> {

    public BackendServiceDependent() {
        super(Service.class);
    }

    @Override
    protected Service desired(SplitInference si, Context<SplitInference> context) {
        return desired(si);
    }

    public static Service desired(SplitInference si) {
        return new ServiceBuilder()
                .withMetadata(Names.metadata(si, Names.backend(si), Names.COMPONENT_BACKEND))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(Names.selector(si, Names.COMPONENT_BACKEND))
                .withPorts(
                        new ServicePortBuilder()
                                .withName("http")
                                .withPort(Names.HTTP_PORT)
                                .withTargetPort(new IntOrString("http"))
                                .withProtocol("TCP")
                                .build(),
                        new ServicePortBuilder()
                                .withName("grpc")
                                .withPort(Names.GRPC_PORT)
                                .withTargetPort(new IntOrString("grpc"))
                                .withProtocol("TCP")
                                .withAppProtocol("grpc")
                                .build())
                .endSpec()
                .build();
    }
}
