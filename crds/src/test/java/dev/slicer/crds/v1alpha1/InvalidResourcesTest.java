package dev.slicer.crds.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under src/test/resources/invalid is rejected, and for the intended reason. Header lines say which:
 * {@code # expect-cel: <rule message>} (the schema accepts the resource, exactly these CEL rules fail) or
 * {@code # expect-schema: <instance location> <keyword>} (the schema rejects it there). A file with two YAML
 * documents is an update: the first is the stored object, the second the new one.
 */
class InvalidResourcesTest {

    static List<Path> invalid() {
        return Resources.invalid();
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void isRejectedForTheIntendedReason(Path file) {
        List<String> expectCel = Resources.header(file, "expect-cel");
        List<String> expectSchema = Resources.header(file, "expect-schema");
        assertThat(expectCel.isEmpty() && expectSchema.isEmpty())
                .as("%s declares what it expects", file.getFileName())
                .isFalse();

        List<JsonNode> docs = Resources.read(file);
        JsonNode old = docs.size() > 1 ? Resources.defaulted(docs.get(0)) : null;
        JsonNode resource = Resources.defaulted(docs.get(docs.size() - 1));
        Set<ValidationMessage> schemaErrors = Resources.schemaErrors(resource);

        if (!expectSchema.isEmpty()) {
            Set<String> found = schemaErrors.stream()
                    .map(m -> m.getInstanceLocation() + " " + m.getType())
                    .collect(Collectors.toSet());
            assertThat(found).as("schema errors of %s", file.getFileName()).containsAll(expectSchema);
        }
        if (!expectCel.isEmpty()) {
            assertThat(schemaErrors)
                    .as("schema errors of %s", file.getFileName())
                    .isEmpty();
            List<CelRules.Outcome> outcomes = new CelRules(Resources.CRD).evaluate(resource, old);
            assertThat(outcomes)
                    .as("rules that could not be evaluated")
                    .filteredOn(o -> o.error() != null)
                    .isEmpty();
            assertThat(outcomes.stream()
                            .filter(CelRules.Outcome::failed)
                            .map(o -> o.rule().message())
                            .collect(Collectors.toSet()))
                    .as("failed rules of %s", file.getFileName())
                    .containsExactlyInAnyOrderElementsOf(expectCel);
        }
    }
}
