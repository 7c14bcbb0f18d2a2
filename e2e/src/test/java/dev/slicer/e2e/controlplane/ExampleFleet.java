package dev.slicer.e2e.controlplane;

import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.e2e.demo.Demo;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The example fleet the operator tests run ({@code examples/minilm.yaml}) on the shared real control plane: the CRD
 * and the namespaces it needs, and the model profile the operator plans from (calibrated once, cached).
 */
final class ExampleFleet {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private ExampleFleet() {}

    /** Installs the CRD and creates {@code namespaces}; idempotent, as tests share the control plane. */
    static void prepare(KubernetesClient admin, String... namespaces) {
        SplitInferenceCrd.install(admin);
        for (String ns : namespaces) {
            admin.resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(ns)
                            .endMetadata()
                            .build())
                    .serverSideApply();
        }
    }

    /** The example resource as its file holds it. */
    static SplitInference read(KubernetesClient admin) throws IOException {
        return admin.getKubernetesSerialization()
                .unmarshal(Files.readString(ROOT.resolve(Demo.EXAMPLE)), SplitInference.class);
    }

    /** The example resource, with the profile ConfigMap it plans from applied in {@code ns}. */
    static SplitInference withProfile(KubernetesClient admin, String ns) throws IOException {
        SplitInference si = read(admin);
        admin.configMaps()
                .inNamespace(ns)
                .resource(Demo.profileConfigMap(
                        ns, si, Demo.profile(ROOT, si.getSpec().getModel().getUri())))
                .serverSideApply();
        return si;
    }
}
