package dev.slicer.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Least privilege: the chart grants exactly the allowlist, without wildcards, where it is needed. */
class RbacTest {

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"namespaced.yaml", "minimal.yaml", "direct.yaml"})
    void noWildcards(String values) {
        for (JsonNode role : Chart.render(values).ofKind("ClusterRole", "Role")) {
            for (JsonNode rule : role.path("rules")) {
                for (String field : List.of("apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs")) {
                    rule.path(field)
                            .forEach(v -> assertThat(v.asText()).as(field).doesNotContain("*"));
                }
                assertThat(rule.has("nonResourceURLs")).isFalse();
            }
        }
    }

    @Test
    void clusterWideByDefaultGrantsExactlyTheAllowlist() {
        Chart.Rendered rendered = Chart.render(null);
        Map<String, Set<String>> cluster = grants(rendered.ofKind("ClusterRole"));
        Map<String, Set<String>> expected = new TreeMap<>(RbacAllowlist.NAMESPACED);
        expected.putAll(RbacAllowlist.CLUSTER);
        assertThat(new TreeMap<>(cluster)).isEqualTo(expected);

        List<JsonNode> roles = rendered.ofKind("Role");
        assertThat(roles).allSatisfy(r -> assertThat(r.at("/metadata/namespace").asText())
                .isEqualTo(Chart.NAMESPACE));
        assertThat(new TreeMap<>(grants(roles))).isEqualTo(new TreeMap<>(RbacAllowlist.LEADER_ELECTION));
        assertBindingsTarget(rendered, "slicer-slicer-operator");
    }

    @Test
    void scrapingDirectlyAddsOnlyTheListOfEndpointSlices() {
        Chart.Rendered rendered = Chart.render("direct.yaml");
        Map<String, Set<String>> expected = new TreeMap<>(RbacAllowlist.NAMESPACED);
        expected.putAll(RbacAllowlist.CLUSTER);
        expected.putAll(RbacAllowlist.DIRECT_SCRAPE);
        assertThat(new TreeMap<>(grants(rendered.ofKind("ClusterRole")))).isEqualTo(expected);
        assertThat(grants(Chart.render(null).ofKind("Role", "ClusterRole")))
                .as("the default (Prometheus) needs no EndpointSlices")
                .doesNotContainKeys(RbacAllowlist.DIRECT_SCRAPE.keySet().toArray(String[]::new));
    }

    @Test
    void watchNamespacesGetOneRoleEachAndNoClusterWideWrites() {
        Chart.Rendered rendered = Chart.render("namespaced.yaml");
        assertThat(new TreeMap<>(grants(rendered.ofKind("ClusterRole"))))
                .isEqualTo(new TreeMap<>(RbacAllowlist.CLUSTER));
        for (String ns : List.of("team-a", "team-b")) {
            List<JsonNode> roles = rendered.ofKind("Role").stream()
                    .filter(r -> r.at("/metadata/namespace").asText().equals(ns))
                    .toList();
            assertThat(new TreeMap<>(grants(roles))).as(ns).isEqualTo(new TreeMap<>(RbacAllowlist.NAMESPACED));
            assertThat(rendered.ofKind("RoleBinding"))
                    .anySatisfy(b ->
                            assertThat(b.at("/metadata/namespace").asText()).isEqualTo(ns));
        }
        List<JsonNode> leaseRoles = rendered.ofKind("Role").stream()
                .filter(r -> r.at("/metadata/namespace").asText().equals(Chart.NAMESPACE))
                .toList();
        assertThat(new TreeMap<>(grants(leaseRoles))).isEqualTo(new TreeMap<>(RbacAllowlist.LEADER_ELECTION));
        assertBindingsTarget(rendered, "slicer-bot");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"namespaced.yaml", "minimal.yaml", "direct.yaml"})
    void neverGrantsWhatTheOperatorDoesNotUse(String values) {
        Map<String, Set<String>> all = grants(Chart.render(values).ofKind("Role", "ClusterRole"));
        assertThat(all).doesNotContainKeys(RbacAllowlist.NEVER.toArray(String[]::new));
        assertThat(all.get("slicer.dev/splitinferences")).doesNotContain("patch", "update");
        assertThat(all.get("slicer.dev/splitinferences/status")).containsExactly("patch");
        assertThat(all.get("apiextensions.k8s.io/customresourcedefinitions")).containsExactly("get");
        all.forEach((resource, verbs) -> {
            // the Lease and the profiling Job are updated whole (no server-side apply there)
            if (!resource.equals("coordination.k8s.io/leases") && !resource.equals("batch/jobs")) {
                assertThat(verbs)
                        .as(resource + ": server-side apply needs no update")
                        .doesNotContain("update");
            }
        });
    }

    @Test
    void noLeaseAccessWithoutLeaderElection() {
        Chart.Rendered rendered = Chart.render("minimal.yaml");
        assertThat(grants(rendered.ofKind("Role", "ClusterRole"))).doesNotContainKey("coordination.k8s.io/leases");
        assertBindingsTarget(rendered, "existing-sa");
    }

    private static void assertBindingsTarget(Chart.Rendered rendered, String serviceAccount) {
        List<JsonNode> bindings = rendered.ofKind("RoleBinding", "ClusterRoleBinding");
        assertThat(bindings).isNotEmpty();
        Set<String> roleNames = new HashSet<>();
        rendered.ofKind("Role", "ClusterRole")
                .forEach(r -> roleNames.add(r.at("/metadata/name").asText()));
        for (JsonNode binding : bindings) {
            assertThat(binding.path("subjects").size()).isEqualTo(1);
            assertThat(binding.at("/subjects/0/kind").asText()).isEqualTo("ServiceAccount");
            assertThat(binding.at("/subjects/0/name").asText()).isEqualTo(serviceAccount);
            assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo(Chart.NAMESPACE);
            assertThat(roleNames).contains(binding.at("/roleRef/name").asText());
        }
    }

    /** (group/resource) to verbs over all rules of {@code roles}; a pair granted twice must not differ. */
    static Map<String, Set<String>> grants(List<JsonNode> roles) {
        Map<String, Set<String>> grants = new HashMap<>();
        for (JsonNode role : roles) {
            for (JsonNode rule : role.path("rules")) {
                Set<String> verbs = new HashSet<>();
                rule.path("verbs").forEach(v -> verbs.add(v.asText()));
                for (JsonNode group : rule.path("apiGroups")) {
                    for (JsonNode resource : rule.path("resources")) {
                        String key = group.asText() + "/" + resource.asText();
                        Set<String> previous = grants.putIfAbsent(key, verbs);
                        if (previous != null) {
                            assertThat(previous)
                                    .as("verbs of %s granted twice", key)
                                    .isEqualTo(verbs);
                        }
                    }
                }
            }
        }
        return grants;
    }
}
