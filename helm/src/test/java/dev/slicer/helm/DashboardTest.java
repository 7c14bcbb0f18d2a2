package dev.slicer.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard ConfigMap: sidecar label, valid JSON, and only contract metrics in its queries. */
class DashboardTest {

    /** PromQL functions, aggregations and keywords the dashboard may use besides metric names. */
    static final Set<String> PROMQL_WORDS = Set.of(
            "sum",
            "avg",
            "min",
            "max",
            "count",
            "count_values",
            "rate",
            "irate",
            "increase",
            "histogram_quantile",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "and",
            "or",
            "unless",
            "bool",
            "topk",
            "bottomk",
            "clamp_min",
            "clamp_max",
            "offset");

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([A-Za-z_:][A-Za-z0-9_:]*)");
    private static final Pattern SELECTOR = Pattern.compile("([A-Za-z_:][A-Za-z0-9_:]*)\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*\"([^\"]*)\"");

    static JsonNode configMap;
    static JsonNode dashboard;
    static final MetricsContract CONTRACT = MetricsContract.load();

    @BeforeAll
    static void render() throws Exception {
        configMap = Chart.render(null)
                .one("ConfigMap", c -> c.at("/metadata/name").asText().endsWith("-dashboard"));
        dashboard = new ObjectMapper()
                .readTree(configMap.at("/data/slicer-fleet.json").asText());
    }

    @Test
    void carriesTheGrafanaSidecarLabel() {
        assertThat(configMap.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
    }

    @Test
    void isAGrafanaDashboardWithTheExpectedPanels() {
        assertThat(dashboard.path("uid").asText()).isEqualTo("slicer-fleet");
        List<String> titles = new ArrayList<>();
        panels(dashboard.path("panels"), new ArrayList<>())
                .forEach(p -> titles.add(p.path("title").asText()));
        assertThat(titles)
                .contains(
                        "Uplink bytes per request",
                        "Compression ratio",
                        "Split-layer distribution",
                        "End-to-end latency by stage (mean)",
                        "End-to-end latency by stage (p95)",
                        "Back-end time per request",
                        "Queueing delay",
                        "Batch size",
                        "Back-end replicas",
                        "Re-plans",
                        "Plan duration");
        Set<Integer> ids = new TreeSet<>();
        panels(dashboard.path("panels"), new ArrayList<>())
                .forEach(p -> assertThat(ids.add(p.path("id").asInt()))
                        .as("unique panel id %s", p.path("id"))
                        .isTrue());
    }

    /** The variables come from back-end series, so they work when only the back-end is scraped (edges elsewhere). */
    @Test
    void namespaceAndFleetVariablesNeedOnlyTheBackEndAndFilterEveryFleetPanel() {
        List<String> names = new ArrayList<>();
        for (JsonNode variable : dashboard.at("/templating/list")) {
            if ("query".equals(variable.path("type").asText())) {
                names.add(variable.path("name").asText());
                assertThat(seriesNames(variable.at("/query/query").asText()))
                        .allSatisfy(n -> assertThat(n).startsWith("slicer_backend_"));
            }
        }
        assertThat(names).containsExactly("namespace", "fleet");
        for (String query : queries()) {
            if (query.contains("namespace=~\"$namespace\"") && !query.startsWith("label_values")) {
                assertThat(query).contains("slicer_dev_fleet=~\"$fleet\"");
            }
        }
    }

    @Test
    void everyQueriedMetricIsInTheContractAndEveryContractMetricIsShown() {
        List<String> queries = queries();
        assertThat(queries).isNotEmpty();
        Set<String> used = new TreeSet<>();
        List<String> unknown = new ArrayList<>();
        for (String query : queries) {
            for (String name : seriesNames(query)) {
                CONTRACT.resolve(name).ifPresentOrElse(used::add, () -> unknown.add(name + " in: " + query));
            }
        }
        assertThat(unknown)
                .as("names that are neither PromQL nor contract metrics")
                .isEmpty();
        assertThat(used).containsExactlyInAnyOrderElementsOf(CONTRACT.metrics().keySet());
    }

    @Test
    void labelValuesInQueriesAreThoseOfTheContract() {
        for (String query : queries()) {
            Matcher selector = SELECTOR.matcher(query);
            while (selector.find()) {
                String metric = CONTRACT.resolve(selector.group(1)).orElseThrow();
                Matcher m = MATCHER.matcher(selector.group(2));
                while (m.find()) {
                    String label = m.group(1);
                    String value = m.group(2);
                    CONTRACT.labelValues(metric, label).ifPresent(values -> assertThat(values)
                            .as("%s{%s}", metric, label)
                            .contains(value));
                }
            }
        }
    }

    /** Series names in a PromQL expression: everything left once strings, matchers, ranges and labels go. */
    static List<String> seriesNames(String query) {
        List<String> names = new ArrayList<>();
        Matcher lv = LABEL_VALUES.matcher(query);
        if (lv.find()) {
            names.add(lv.group(1));
            return names;
        }
        String stripped = query.replaceAll("\"[^\"]*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " ");
        Matcher m = IDENTIFIER.matcher(stripped);
        while (m.find()) {
            String word = m.group();
            if (!PROMQL_WORDS.contains(word)) {
                names.add(word);
            }
        }
        return names;
    }

    static List<String> queries() {
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : panels(dashboard.path("panels"), new ArrayList<>())) {
            panel.path("targets").forEach(t -> queries.add(t.path("expr").asText()));
        }
        for (JsonNode variable : dashboard.at("/templating/list")) {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode q = variable.path("query");
                queries.add(q.isObject() ? q.path("query").asText() : q.asText());
            }
        }
        queries.removeIf(String::isBlank);
        return queries;
    }

    private static List<JsonNode> panels(JsonNode panels, List<JsonNode> out) {
        for (JsonNode panel : panels) {
            out.add(panel);
            panels(panel.path("panels"), out);
        }
        return out;
    }
}
