package dev.slicer.operator.dependent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.List;
import java.util.Map;

/**
 * Shared pieces of the pods the operator runs: the Pod Security "restricted" profile, a read-only root file system
 * with a writable emptyDir at /tmp, the Quarkus health probes and named ports.
 */
public final class PodSecurity {

    static final String TMP_VOLUME = "tmp";

    private PodSecurity() {}

    public static PodSecurityContext podSecurityContext() {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .build();
    }

    public static SecurityContext containerSecurityContext() {
        return new SecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities()
                .addToDrop("ALL")
                .endCapabilities()
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .build();
    }

    public static Volume tmpVolume() {
        return new VolumeBuilder()
                .withName(TMP_VOLUME)
                .withNewEmptyDir()
                .endEmptyDir()
                .build();
    }

    public static VolumeMount tmpMount() {
        return new VolumeMountBuilder()
                .withName(TMP_VOLUME)
                .withMountPath("/tmp")
                .build();
    }

    public static ContainerPort port(String name, int port) {
        return new ContainerPortBuilder()
                .withName(name)
                .withContainerPort(port)
                .withProtocol("TCP")
                .build();
    }

    public static Probe httpProbe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet()
                .withPath(path)
                .withNewPort("http")
                .endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    /** A container hardened for the restricted profile, with health probes and /tmp mounted. */
    public static ContainerBuilder hardenedContainer(String name, String image) {
        Container base = new ContainerBuilder()
                .withName(name)
                .withImage(image)
                .withSecurityContext(containerSecurityContext())
                .withLivenessProbe(httpProbe("/q/health/live", 10, 3))
                .withReadinessProbe(httpProbe("/q/health/ready", 5, 3))
                .addToVolumeMounts(tmpMount())
                .build();
        return new ContainerBuilder(base);
    }

    /** A pod template under the restricted profile: one hardened container, /tmp emptyDir, no API token. */
    public static PodTemplateSpec restrictedPodTemplate(
            Map<String, String> labels,
            Container container,
            Map<String, String> nodeSelector,
            List<Toleration> tolerations) {
        return new PodTemplateSpecBuilder()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withAutomountServiceAccountToken(false)
                .withSecurityContext(podSecurityContext())
                .withContainers(container)
                .withVolumes(tmpVolume())
                .withNodeSelector(nodeSelector)
                .withTolerations(tolerations)
                .endSpec()
                .build();
    }
}
