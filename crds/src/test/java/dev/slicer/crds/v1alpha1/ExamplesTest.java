package dev.slicer.crds.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slicer.crds.v1alpha1.spec.CompressionSpec;
import dev.slicer.crds.v1alpha1.spec.ModelSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The resources under examples/ are valid: schema, CEL rules, and the Java API reads them. */
class ExamplesTest {

    static List<Path> examples() {
        return Resources.examples();
    }

    @Test
    void theThreeExamplesExist() {
        assertThat(examples())
                .extracting(p -> p.getFileName().toString())
                .contains(
                        "vision-single-shot.yaml",
                        "llm-autoregressive.yaml",
                        "fixed-compression.yaml",
                        "minilm.yaml",
                        "tiny-llama.yaml");
    }

    @ParameterizedTest
    @MethodSource("examples")
    void matchesTheSchemaAsWrittenAndDefaulted(Path example) {
        JsonNode resource = Resources.read(example).get(0);
        assertThat(Resources.schemaErrors(resource)).as("schema errors").isEmpty();
        assertThat(Resources.schemaErrors(Resources.defaulted(resource)))
                .as("schema errors after defaulting")
                .isEmpty();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void satisfiesEveryCelRule(Path example) {
        JsonNode resource = Resources.defaulted(Resources.read(example).get(0));
        List<CelRules.Outcome> outcomes = new CelRules(Resources.CRD).evaluate(resource);
        assertThat(outcomes).isNotEmpty();
        assertThat(outcomes).filteredOn(CelRules.Outcome::failed).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void updatingWithoutChangingTheModeSatisfiesTransitionRules(Path example) {
        JsonNode old = Resources.defaulted(Resources.read(example).get(0));
        ObjectNode updated = old.deepCopy();
        ((ObjectNode) updated.at("/spec/slo")).put("latency", "300ms");
        List<CelRules.Outcome> outcomes = new CelRules(Resources.CRD).evaluate(updated, old);
        assertThat(outcomes).filteredOn(o -> o.rule().isTransition()).isNotEmpty();
        assertThat(outcomes).filteredOn(CelRules.Outcome::failed).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void deserializesIntoTheJavaApiAndBackIntoAValidResource(Path example) {
        SplitInference si =
                Serialization.unmarshal(Resources.read(example).get(0).toString(), SplitInference.class);
        assertThat(si.getSpec().getModel().getUri()).isNotBlank();
        assertThat(si.getSpec().getEdges().getDeviceClasses()).isNotEmpty();
        // Absent optional sections come back with the schema's defaults, as on a cluster.
        assertThat(si.getSpec().getPolicy().getReplanInterval()).isNotBlank();
        assertThat(Durations.parse(si.getSpec().getSlo().getLatency())).isPositive();

        JsonNode back = CrdSchema.YAML.valueToTree(si);
        assertThat(Resources.schemaErrors(back)).isEmpty();
        assertThat(new CelRules(Resources.CRD).evaluate(back))
                .filteredOn(CelRules.Outcome::failed)
                .isEmpty();
    }

    @Test
    void examplesCoverBothModesAndBothCompressionModes() {
        List<SplitInference> all = examples().stream()
                .map(p -> Serialization.unmarshal(Resources.read(p).get(0).toString(), SplitInference.class))
                .toList();
        assertThat(all)
                .extracting(s -> s.getSpec().getModel().getMode())
                .contains(ModelSpec.Mode.SINGLE_SHOT, ModelSpec.Mode.AUTOREGRESSIVE);
        assertThat(all)
                .extracting(s -> s.getSpec().getCompression().getMode())
                .contains(CompressionSpec.Mode.AUTO, CompressionSpec.Mode.FIXED);
    }
}
