package dev.slicer.crds.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every CEL rule compiles, names only fields that exist, holds on some valid resource and fires on some invalid one. */
class RuleCoverageTest {

    private static final java.util.regex.Pattern SELF_PATH =
            java.util.regex.Pattern.compile("\\b(?:self|oldSelf)((?:\\.[A-Za-z_][A-Za-z0-9_]*)+)");

    private final List<CrdSchema.Rule> rules = Resources.CRD.rules();
    private final CelRules cel = new CelRules(Resources.CRD);

    @Test
    void everyRuleCompiles() {
        assertThat(rules).hasSizeGreaterThanOrEqualTo(15);
        rules.forEach(r -> cel.compile(r.rule()));
    }

    @Test
    void everyFieldARuleSelectsExistsInTheSchema() {
        List<String> missing = new ArrayList<>();
        for (CrdSchema.Rule rule : rules) {
            JsonNode at = Resources.CRD.openApi().at(rule.schemaPointer());
            Matcher m = SELF_PATH.matcher(rule.rule());
            while (m.find()) {
                JsonNode schema = at;
                List<String> fields =
                        new ArrayList<>(List.of(m.group(1).substring(1).split("\\.")));
                if (m.end() < rule.rule().length() && rule.rule().charAt(m.end()) == '(') {
                    fields.remove(fields.size() - 1); // a method call such as .all(...), not a field
                }
                for (String field : fields) {
                    schema = schema.path("properties").path(field);
                    if (schema.isMissingNode()) {
                        missing.add(rule.schemaPointer() + ": " + rule.rule() + " -> " + field);
                        break;
                    }
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void everyRuleHoldsOnSomeValidResource() {
        Set<String> evaluatedTrue = new TreeSet<>();
        for (Path example : Resources.examples()) {
            JsonNode resource = Resources.defaulted(Resources.read(example).get(0));
            JsonNode updated = resource.deepCopy();
            cel.evaluate(updated, resource).stream()
                    .filter(o -> o.passed())
                    .forEach(o -> evaluatedTrue.add(o.rule().message()));
        }
        assertThat(evaluatedTrue).containsAll(messages(rules));
    }

    @Test
    void everyRuleIsTheIntendedFailureOfSomeInvalidResource() {
        Set<String> intended = Resources.invalid().stream()
                .flatMap(f -> Resources.header(f, "expect-cel").stream())
                .collect(Collectors.toSet());
        assertThat(intended).containsAll(messages(rules));
    }

    private static Set<String> messages(List<CrdSchema.Rule> rules) {
        return rules.stream().map(CrdSchema.Rule::message).collect(Collectors.toCollection(TreeSet::new));
    }
}
