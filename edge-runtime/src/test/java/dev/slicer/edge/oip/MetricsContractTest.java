package dev.slicer.edge.oip;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.edge.testing.BackendResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Scrapes the running edge's /q/metrics: every edge metric of helm/metrics-contract.txt is exported with its type and
 * label values, and every slicer_edge_ metric exported is in the contract.
 */
@QuarkusTest
@QuarkusTestResource(value = BackendResource.class, restrictToAnnotatedClass = true)
class MetricsContractTest {
    static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$", Pattern.MULTILINE);
    static final Pattern STAGE = Pattern.compile("slicer_edge_stage_duration_seconds_count\\{[^}]*stage=\"(\\w+)\"");

    @Test
    void exportedEdgeMetricsEqualTheContract() throws IOException {
        given().contentType(ContentType.JSON)
                .body(OipResourceTest.TEXT)
                .post("/v2/models/minilm/infer")
                .then()
                .statusCode(200);
        String scrape =
                given().get("/q/metrics").then().statusCode(200).extract().asString();

        Map<String, String> contract = new HashMap<>();
        Set<String> stages = new HashSet<>();
        for (String line : Files.readAllLines(Path.of("..", "helm", "metrics-contract.txt"))) {
            String[] p = line.strip().split("\\s+");
            if (p.length >= 2 && p[0].startsWith("slicer_edge_")) {
                contract.put(p[0], p[1]);
                if (p.length > 2 && p[2].startsWith("stage=")) {
                    stages.addAll(Set.of(p[2].substring("stage=".length()).split("\\|")));
                }
            }
        }
        assertThat(contract).hasSize(6);

        Map<String, String> exported = new HashMap<>();
        Matcher m = TYPE.matcher(scrape);
        while (m.find()) {
            if (m.group(1).startsWith("slicer_edge_")) {
                // a counter's # TYPE line names the family, its samples carry _total
                boolean counter = m.group(2).equals("counter") && !m.group(1).endsWith("_total");
                exported.put(counter ? m.group(1) + "_total" : m.group(1), m.group(2));
            }
        }
        // Micrometer exports a timer's window maximum beside the histogram (see the contract file's header)
        exported.remove("slicer_edge_stage_duration_seconds_max");
        assertThat(exported).isEqualTo(contract);

        Set<String> exportedStages = new HashSet<>();
        Matcher s = STAGE.matcher(scrape);
        while (s.find()) {
            exportedStages.add(s.group(1));
        }
        assertThat(exportedStages).isEqualTo(stages);
        assertThat(scrape).contains("slicer_edge_stage_duration_seconds_bucket{");
        assertThat(scrape).containsPattern("(?m)^slicer_edge_if_bytes_total(\\{[^}]*\\})? [1-9]");
        assertThat(scrape).containsPattern("(?m)^slicer_edge_if_raw_bytes_total(\\{[^}]*\\})? [1-9]");
    }
}
