package dev.slicer.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slicer.crds.v1alpha1.SplitInferenceSpec;
import dev.slicer.crds.v1alpha1.spec.ModelSpec;
import dev.slicer.crds.v1alpha1.spec.PodOptionsSpec;
import dev.slicer.operator.Fixtures;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {

    private static SplitInferenceSpec autoregressive(Integer maxNewTokens, Integer promptTokens) {
        SplitInferenceSpec spec = Fixtures.splitInference("llm", "http://x").getSpec();
        spec.getModel().setTask(ModelSpec.Task.TEXT_GENERATION);
        spec.getModel().setMode(ModelSpec.Mode.AUTOREGRESSIVE);
        spec.getModel().setMaxNewTokens(maxNewTokens);
        spec.getModel().setPromptTokens(promptTokens);
        spec.getEdges().getDeviceClasses().get(0).setArBuffer("4Mi");
        return spec;
    }

    @Test
    void arTokenCountsWithinTheModelledSequenceAreAccepted() {
        assertThat(SpecValidator.standard().validate(autoregressive(4096, 4096)))
                .isEmpty();
        assertThat(SpecValidator.standard().validate(autoregressive(null, null)))
                .isEmpty();
    }

    @Test
    void arTokenCountsBeyondTheModelledSequenceAreRejected() {
        assertThat(SpecValidator.standard().validate(autoregressive(4096, 4097)))
                .hasValueSatisfying(m -> assertThat(m).contains("must not exceed 8192"));
        assertThat(SpecValidator.standard().validate(autoregressive(0, 32)))
                .hasValueSatisfying(m -> assertThat(m).contains(">= 1"));
    }

    @Test
    void aPodTemplateOverrideWithAnUnknownFieldIsRefusedNamingIt() throws Exception {
        SplitInferenceSpec spec = Fixtures.splitInference("fleet", "http://x").getSpec();
        spec.getEdges().setDaemonSet(Fixtures.daemonSet());
        spec.getEdges().getDaemonSet().setPod(new PodOptionsSpec());
        spec.getEdges()
                .getDaemonSet()
                .getPod()
                .setTemplate(new ObjectMapper().readTree("{\"spec\": {\"nodeSelectr\": {}}}"));
        assertThat(SpecValidator.standard().validate(spec))
                .hasValueSatisfying(m -> assertThat(m).contains("spec.edges.daemonSet.pod.template.spec.nodeSelectr"));
        spec.getEdges()
                .getDaemonSet()
                .getPod()
                .setTemplate(new ObjectMapper().readTree("{\"spec\": {\"nodeSelector\": {}}}"));
        assertThat(SpecValidator.standard().validate(spec)).isEmpty();
        spec.getBackend().setPod(new PodOptionsSpec());
        spec.getBackend().getPod().setTemplate(new ObjectMapper().readTree("\"a string\""));
        assertThat(SpecValidator.standard().validate(spec))
                .hasValueSatisfying(m -> assertThat(m).startsWith("spec.backend.pod.template must be an object"));
    }
}
