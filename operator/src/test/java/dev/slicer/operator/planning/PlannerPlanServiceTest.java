package dev.slicer.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.operator.Fixtures;
import dev.slicer.operator.metrics.FleetMetrics;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerPlanServiceTest {

    private final PlannerPlanService service = new PlannerPlanService();
    private final SplitInference si = Fixtures.splitInference("fleet", "http://x");

    private PlanOutcome plan(double queueDelay, double goodput) throws PlanningException {
        var metrics = new FleetMetrics(Map.of("phone", goodput), Map.of(), queueDelay, null, null);
        return service.plan(new PlanInputs(si.getSpec(), Fixtures.profile(), metrics));
    }

    @Test
    void samePlanningInputsGiveTheSameHash() throws Exception {
        PlanOutcome a = plan(0.01, 1e6);
        PlanOutcome b = plan(0.01, 1e6);
        assertThat(a.hash()).isNotBlank().isEqualTo(b.hash());
        assertThat(a.planJson()).isEqualTo(b.planJson());
        assertThat(a.classes()).singleElement().satisfies(c -> assertThat(c.name())
                .isEqualTo("phone"));
    }

    @Test
    void theLinkRateSelectsARowButDoesNotChangeThePlan() throws Exception {
        assertThat(plan(0.01, 1e6).hash()).isEqualTo(plan(0.01, 1e3).hash());
    }

    @Test
    void backendQueueingDelayChangesThePlan() throws Exception {
        assertThat(plan(0.2, 1e6).hash()).isNotEqualTo(plan(0.01, 1e6).hash());
    }
}
