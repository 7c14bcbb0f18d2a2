package dev.slicer.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real Helm lints the chart and renders it for default and non-default values. */
class ChartLintTest {

    @Test
    void lintsCleanInStrictMode() {
        LintResult result = new Helm(Chart.dir()).lint().strict().call();
        assertThat(result.getMessages()).as("helm lint --strict").noneMatch(m -> m.contains("[ERROR]"));
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]"));
        assertThat(result.isFailed()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"namespaced.yaml", "minimal.yaml"})
    void rendersWithNonDefaultValues(String values) {
        Chart.Rendered rendered = Chart.render(values);
        assertThat(rendered.ofKind("Deployment")).hasSize(1);
        assertThat(rendered.objects())
                .allSatisfy(o -> assertThat(o.at("/metadata/name").asText()).isNotBlank());
    }

    @Test
    void rendersWithDefaultValues() {
        Chart.Rendered rendered = Chart.render(null);
        assertThat(rendered.ofKind(
                        "Deployment", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Service", "ConfigMap"))
                .isNotEmpty();
        assertThat(rendered.ofKind("ServiceMonitor")).isEmpty();
    }
}
