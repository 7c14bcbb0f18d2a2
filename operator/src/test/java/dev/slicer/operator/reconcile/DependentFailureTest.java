package dev.slicer.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DependentFailureTest {

    static KubernetesClientException immutableSelector() {
        return new KubernetesClientException(new StatusBuilder()
                .withCode(422)
                .withReason("Invalid")
                .withMessage("DaemonSet.apps \"f-edge\" is invalid: spec.selector: Invalid value: field is immutable")
                .build());
    }

    @Test
    void keepsTheServersCodeAndMessageFromAWrappedClientException() {
        var f = DependentFailure.of("edge", new RuntimeException("workflow", immutableSelector()));
        assertThat(f.code()).isEqualTo(422);
        assertThat(f.describe())
                .startsWith("edge: 422 DaemonSet.apps \"f-edge\" is invalid")
                .contains("immutable");
    }

    @Test
    void otherErrorsKeepTheirMessageAndLongMessagesAreBounded() {
        assertThat(DependentFailure.of("plan", new IllegalStateException("boom"))
                        .describe())
                .isEqualTo("plan: boom");
        assertThat(DependentFailure.of("plan", new IllegalStateException()).describe())
                .isEqualTo("plan: IllegalStateException");
        var longOne = DependentFailure.of("plan", new IllegalStateException("x".repeat(10_000)));
        assertThat(longOne.message()).hasSize(DependentFailure.MAX_MESSAGE);
    }

    @Test
    void failuresAreOrderedByDependent() {
        Map<String, Exception> errors = new LinkedHashMap<>();
        errors.put("plan", new IllegalStateException("b"));
        errors.put("edge", immutableSelector());
        assertThat(DependentFailure.of(errors))
                .extracting(DependentFailure::dependent)
                .containsExactly("edge", "plan");
        assertThat(DependentFailure.of(Map.of())).isEmpty();
    }
}
