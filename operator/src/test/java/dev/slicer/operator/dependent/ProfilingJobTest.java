package dev.slicer.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.crds.ModelDigest;
import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.operator.Fixtures;
import dev.slicer.operator.config.ProfilerConfig;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The profiling Job as rendered: back-end image and hardware, calibrate on the URI, digest-annotated publish. */
class ProfilingJobTest {

    private static final ProfilerConfig CONFIG = new ProfilerConfig() {
        @Override
        public String serviceAccount() {
            return "profiler-sa";
        }

        @Override
        public String kubectlImage() {
            return "kubectl:test";
        }

        @Override
        public int samples() {
            return 3;
        }

        @Override
        public Duration deadline() {
            return Duration.ofMinutes(90);
        }
    };

    @Test
    void calibratesTheModelUriWithTheBackEndImageOnItsHardwareAndPublishesUnderItsDigest() {
        SplitInference si = Fixtures.splitInference("demo", "http://prometheus.invalid");
        si.getSpec().getBackend().setNodeSelector(Map.of("gpu", "a100"));
        si.getSpec()
                .getBackend()
                .setResources(new ResourceRequirementsBuilder()
                        .addToLimits("memory", new Quantity("4Gi"))
                        .build());
        Job job = ProfilingJobDependent.desired(si, CONFIG, "profile.json");
        String digest = ModelDigest.of(Fixtures.MODEL_URI);

        assertThat(job.getMetadata().getName()).isEqualTo("demo-profiler-" + digest.substring(0, 12));
        assertThat(job.getMetadata().getLabels()).containsEntry(Names.MANAGED_BY, Names.OPERATOR);
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(5400L);
        var pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getServiceAccountName()).isEqualTo("profiler-sa");
        assertThat(pod.getNodeSelector()).containsEntry("gpu", "a100");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();

        var calibrate = pod.getInitContainers().get(0);
        assertThat(calibrate.getImage()).isEqualTo(si.getSpec().getBackend().getImage());
        assertThat(calibrate.getCommand()).containsExactly(ProfilingJobDependent.CALIBRATE);
        assertThat(calibrate.getArgs())
                .containsExactly(
                        "calibrate", "--model", Fixtures.MODEL_URI, "--out", "/work/profile.json", "--samples", "3");
        assertThat(calibrate.getResources().getLimits()).containsKey("memory");

        var publish = pod.getContainers().get(0);
        assertThat(publish.getImage()).isEqualTo("kubectl:test");
        assertThat(publish.getEnv())
                .extracting(EnvVar::getName, EnvVar::getValue)
                .contains(
                        org.assertj.core.groups.Tuple.tuple("PROFILE", "demo-profile"),
                        org.assertj.core.groups.Tuple.tuple("KEY", "profile.json"),
                        org.assertj.core.groups.Tuple.tuple("DIGEST", digest));
        assertThat(publish.getCommand().get(2))
                .contains("kubectl annotate --local -f - \"" + ModelDigest.ANNOTATION + "=$DIGEST\"")
                .contains("kubectl apply --server-side");
    }

    @Test
    void aNewModelUriIsANewJobAndTheDigestIsTheUrisSha256() {
        SplitInference si = Fixtures.splitInference("demo", "http://prometheus.invalid");
        String before = Names.profiler(si);
        si.getSpec().getModel().setUri("builtin:minilm");
        assertThat(Names.profiler(si)).isNotEqualTo(before);
        // printf %s builtin:minilm | sha256sum, as the README's offline command computes it
        assertThat(ModelDigest.of("builtin:minilm"))
                .isEqualTo("39ce5fd0a2ba6196a7cbce6bdcd6d997f421e6e69e5087f208608d6aa5d09bf5");
    }
}
