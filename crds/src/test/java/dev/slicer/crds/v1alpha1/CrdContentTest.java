package dev.slicer.crds.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What users see of the CRD: names, descriptions, printer columns, subresources. */
class CrdContentTest {

    private final JsonNode crd = Resources.CRD.crd();

    @Test
    void namesGroupAndScope() {
        assertThat(crd.at("/metadata/name").asText()).isEqualTo("splitinferences.slicer.dev");
        assertThat(crd.at("/spec/group").asText()).isEqualTo("slicer.dev");
        assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
        assertThat(crd.at("/spec/names/kind").asText()).isEqualTo("SplitInference");
        assertThat(crd.at("/spec/names/shortNames/0").asText()).isEqualTo("si");
        assertThat(crd.at("/spec/versions/0/name").asText()).isEqualTo("v1alpha1");
    }

    @Test
    void everySpecAndStatusFieldIsDescribedForKubectlExplain() {
        List<String> undescribed = new ArrayList<>();
        JsonNode props = Resources.CRD.openApi().path("properties");
        collectUndescribed(props.path("spec"), "spec", undescribed);
        collectUndescribed(props.path("status"), "status", undescribed);
        assertThat(undescribed).isEmpty();
    }

    private static void collectUndescribed(JsonNode schema, String path, List<String> out) {
        schema.path("properties").fields().forEachRemaining(p -> {
            if (p.getValue().path("description").asText().isBlank()) {
                out.add(path + "." + p.getKey());
            }
            collectUndescribed(p.getValue(), path + "." + p.getKey(), out);
        });
        if (schema.path("items").isObject()) {
            collectUndescribed(schema.get("items"), path + "[]", out);
        }
        if (schema.path("additionalProperties").isObject()) {
            collectUndescribed(schema.get("additionalProperties"), path + "{}", out);
        }
    }

    @Test
    void printerColumnsShowModeSplitsReplicasReadyAndAge() {
        List<String> columns = new ArrayList<>();
        crd.at("/spec/versions/0/additionalPrinterColumns")
                .forEach(c -> columns.add(
                        c.path("name").asText() + "=" + c.path("jsonPath").asText()));
        assertThat(columns)
                .containsExactlyInAnyOrder(
                        "Mode=.spec.model.mode",
                        "Splits=.status.plan.summary",
                        "Replicas=.status.backend.replicas",
                        "Ready=.status.conditions[?(@.type==\"Ready\")].status",
                        "Age=.metadata.creationTimestamp");
    }

    @Test
    void statusAndScaleSubresourcesForTheBackEnd() {
        JsonNode sub = crd.at("/spec/versions/0/subresources");
        assertThat(sub.has("status")).isTrue();
        assertThat(sub.at("/scale/specReplicasPath").asText()).isEqualTo(".spec.backend.replicas");
        assertThat(sub.at("/scale/statusReplicasPath").asText()).isEqualTo(".status.backend.replicas");
        assertThat(sub.at("/scale/labelSelectorPath").asText()).isEqualTo(".status.backend.selector");
    }

    @Test
    void conditionsFollowMetav1Condition() {
        JsonNode item = Resources.CRD.openApi().at("/properties/status/properties/conditions/items");
        assertThat(item.path("required").toString()).contains("type", "status", "reason", "lastTransitionTime");
        assertThat(item.at("/properties/status/enum").toString()).contains("True", "False", "Unknown");
    }
}
