package dev.slicer.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Expected forms are what kube-apiserver stores (apimachinery resource.Quantity canonical strings). */
class QuantitiesTest {

    @ParameterizedTest
    @CsvSource({
        "0.5, 500m",
        "0.1, 100m",
        "1000m, 1",
        "1500m, 1500m",
        "1000, 1k",
        "1500, 1500",
        "1024Mi, 1Gi",
        "1536Mi, 1536Mi",
        "0.5Gi, 512Mi",
        "1.5Gi, 1536Mi",
        "2000Mi, 2000Mi",
        "1Ki, 1Ki",
        "0.5Ki, 512",
        "1e3, 1e3",
        "1.5e3, 1500",
        "1E6, 1e6",
        "1.1m, 1100u",
        "0.0000000001, 1n",
        "0, 0",
        "0Mi, 0",
        "2, 2",
        "100M, 100M",
        "1G, 1G",
        "-2048Ki, -2Mi",
        "512Mi, 512Mi",
        "1Ti, 1Ti"
    })
    void matchesTheApiServersCanonicalForm(String in, String out) {
        assertThat(Quantities.canonical(new Quantity(in)).toString()).isEqualTo(out);
        // canonical forms are fixed points
        assertThat(Quantities.canonical(new Quantity(out)).toString()).isEqualTo(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "1Xi", "1..5", "--1"})
    void rejectsNonQuantities(String in) {
        assertThatThrownBy(() -> Quantities.canonical(new Quantity(in))).isInstanceOf(IllegalArgumentException.class);
    }

    @org.junit.jupiter.api.Test
    void resourceRequirementsAreCanonicalizedKeyByKey() {
        var r = Quantities.canonical(new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("0.5"))
                .addToRequests("memory", new Quantity("1024Mi"))
                .addToLimits("memory", new Quantity("2048Mi"))
                .build());
        assertThat(r.getRequests().get("cpu").toString()).isEqualTo("500m");
        assertThat(r.getRequests().get("memory").toString()).isEqualTo("1Gi");
        assertThat(r.getLimits().get("memory").toString()).isEqualTo("2Gi");
        assertThat(Quantities.canonical((io.fabric8.kubernetes.api.model.ResourceRequirements) null))
                .isNull();
    }
}
