package dev.slicer.crds.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed CRD copies equal the one generated from the Java classes by this build. */
class CrdDriftTest {

    static final String REFRESH = "the committed CRD drifted from the Java API; refresh it with"
            + " `./mvnw -pl crds -Pupdate-crds process-classes` and commit crds/ and helm/slicer-operator/crds/";

    static String generated() throws IOException {
        try (InputStream in = CrdDriftTest.class.getClassLoader().getResourceAsStream(SplitInference.CRD_RESOURCE)) {
            assertThat(in).as(SplitInference.CRD_RESOURCE).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void moduleCopyIsUpToDate() throws IOException {
        Path committed = Resources.dir("slicer.crds.dir").resolve(SplitInference.CRD_NAME + "-v1.yml");
        assertThat(committed).as(REFRESH).exists();
        assertThat(Files.readString(committed)).as(REFRESH).isEqualTo(generated());
    }

    @Test
    void chartCopyIsUpToDate() throws IOException {
        Path committed = Resources.dir("slicer.chart.dir").resolve("crds").resolve(SplitInference.CRD_NAME + "-v1.yml");
        assertThat(committed).as(REFRESH).exists();
        assertThat(Files.readString(committed)).as(REFRESH).isEqualTo(generated());
    }
}
