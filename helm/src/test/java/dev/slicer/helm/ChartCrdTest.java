package dev.slicer.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import dev.slicer.crds.v1alpha1.SplitInference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The chart ships exactly the CRD generated from the crds module. */
class ChartCrdTest {

    static final String REFRESH = "helm/slicer-operator/crds drifted from the generated CRD; refresh with"
            + " `./mvnw -pl crds -Pupdate-crds process-classes`";

    static String generated() throws IOException {
        try (InputStream in = SplitInference.class.getClassLoader().getResourceAsStream(SplitInference.CRD_RESOURCE)) {
            assertThat(in).as("generated CRD in the slicer-crds jar").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void chartCrdIsTheGeneratedOne() throws IOException {
        Path inChart = Chart.dir().resolve("crds").resolve(SplitInference.CRD_NAME + "-v1.yml");
        assertThat(Files.readString(inChart)).as(REFRESH).isEqualTo(generated());
    }

    @Test
    void helmSeesThatCrdAsTheChartsOnlyCrd() throws IOException {
        JsonNode expected = Chart.YAML.readTree(generated());
        String crds = new Helm(Chart.dir()).show().crds().call();
        assertThat(Chart.parse(crds)).containsExactly(expected);
    }
}
