package dev.slicer.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.crds.v1alpha1.spec.ModelSpec;
import dev.slicer.operator.Fixtures;
import dev.slicer.operator.metrics.FleetMetrics;
import dev.slicer.planner.Planner;
import dev.slicer.planner.cost.CodecSizeBound;
import java.util.List;
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
    void thePlanNamesTheResourcesModelUriTheServicesLoaded() throws Exception {
        var plan =
                dev.slicer.planner.plan.PlanJson.read(plan(0.01, 1e6).planJson(), dev.slicer.planner.plan.Plan.class);
        assertThat(plan.model()).isEqualTo("https://models.example/encoder.onnx");
        assertThat(plan.hashValid()).isTrue();
    }

    @Test
    void theLinkRateSelectsARowButDoesNotChangeThePlan() throws Exception {
        assertThat(plan(0.01, 1e6).hash()).isEqualTo(plan(0.01, 1e3).hash());
    }

    @Test
    void backendQueueingDelayChangesThePlan() throws Exception {
        assertThat(plan(0.2, 1e6).hash()).isNotEqualTo(plan(0.01, 1e6).hash());
    }

    @Test
    void framesAreSizedWithTheCodecsBound() throws Exception {
        var metrics = new FleetMetrics(Map.of("phone", 1e6), Map.of(), 0.01, null, null);
        var dc = PlannerPlanService.deviceClass(
                si.getSpec(), si.getSpec().getEdges().getDeviceClasses().get(0), metrics);
        String expected = new Planner(CodecSizeBound.INSTANCE)
                .plan(Fixtures.profile(), List.of(dc))
                .forModel(si.getSpec().getModel().getUri())
                .sha256();
        assertThat(plan(0.01, 1e6).hash()).isEqualTo(expected);
    }

    @Test
    void theArShapeComesFromTheModelSpec() throws Exception {
        ModelSpec model = si.getSpec().getModel();
        model.setTask(ModelSpec.Task.TEXT_GENERATION);
        model.setMode(ModelSpec.Mode.AUTOREGRESSIVE);
        si.getSpec().getEdges().getDeviceClasses().get(0).setArBuffer("4Mi");
        assertThat(plan(0.01, 1e6).planJson()).contains("\"tokens\":128", "\"promptTokens\":32");

        model.setMaxNewTokens(48);
        model.setPromptTokens(20);
        assertThat(plan(0.01, 1e6).planJson()).contains("\"tokens\":48", "\"promptTokens\":20");
    }

    @Test
    void theFidelityFloorAndComputeScaleComeFromTheSpec() throws Exception {
        var metrics = new FleetMetrics(Map.of("phone", 1e6), Map.of(), 0.01, null, null);
        var spec = si.getSpec();
        var phone = spec.getEdges().getDeviceClasses().get(0);
        var dc = PlannerPlanService.deviceClass(spec, phone, metrics);
        assertThat(dc.budgets().minFidelity()).isEqualTo(0.98);
        assertThat(dc.computeScale()).isEqualTo(1.0);
        assertThat(plan(0.01, 1e6).planJson()).contains("\"minFidelity\":0.98", "\"reason\":");

        spec.getSlo().setMinFidelity(0.5);
        phone.setComputeScale(2.5);
        dc = PlannerPlanService.deviceClass(spec, phone, metrics);
        assertThat(dc.budgets().minFidelity()).isEqualTo(0.5);
        assertThat(dc.computeScale()).isEqualTo(2.5);
        assertThat(plan(0.01, 1e6).planJson()).contains("\"minFidelity\":0.5", "\"computeScale\":2.5");
    }

    @Test
    void aProfileWithoutMeasuredFidelityIsRefusedWithTheCommandThatMakesOne() {
        var noTable = Fixtures.profile().withDistortion(Fixtures.profile().settings(), null);
        var metrics = new FleetMetrics(Map.of("phone", 1e6), Map.of(), 0.01, null, null);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> service.plan(new PlanInputs(si.getSpec(), noTable, metrics)))
                .isInstanceOf(PlanningException.class)
                .hasMessageContaining("slicer plan calibrate");
    }

    @Test
    void edgesMeasuredFrontLatencyReplacesTheSpecsComputeScale() throws Exception {
        var spec = si.getSpec();
        var phone = spec.getEdges().getDeviceClasses().get(0);
        var none = new FleetMetrics(Map.of("phone", 1e6), Map.of(), 0.01, null, null);
        var dc = PlannerPlanService.deviceClass(spec, phone, none);
        var row = new Planner(CodecSizeBound.INSTANCE)
                .plan(Fixtures.profile(), List.of(dc))
                .lookup("phone", 8e6)
                .orElseThrow();
        assertThat(PlannerPlanService.withMeasuredSpeed(dc, row, Fixtures.profile(), none))
                .isEqualTo(dc);
        double predicted =
                switch (row.kind()) {
                    case SPLIT ->
                        Fixtures.profile().candidates().get(row.split()).frontSeconds();
                    case LOCAL_ONLY -> Fixtures.profile().fullSeconds();
                    default -> 0;
                };
        assertThat(predicted)
                .as("the fixture's row at 8 Mbit/s runs a front: %s", row)
                .isPositive();
        var reported = new FleetMetrics(
                Map.of("phone", 1e6), Map.of("phone", Map.of("front", 3 * predicted)), 0.01, null, null);
        assertThat(PlannerPlanService.withMeasuredSpeed(dc, row, Fixtures.profile(), reported)
                        .computeScale())
                .isCloseTo(3.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(service.plan(new PlanInputs(spec, Fixtures.profile(), reported))
                        .planJson())
                .contains("\"computeScale\":3.0");
    }

    @Test
    void noiseWithinTheHysteresisReproducesThePublishedPlanAndRealDriftDoesNot() throws Exception {
        var spec = si.getSpec();
        var published =
                new FleetMetrics(Map.of("phone", 60_000.0), Map.of("phone", Map.of("front", 0.004)), 0.005, null, null);
        var noisy =
                new FleetMetrics(Map.of("phone", 64_000.0), Map.of("phone", Map.of("front", 0.0044)), 0.0054, 0.3, 2.0);
        var moved =
                new FleetMetrics(Map.of("phone", 64_000.0), Map.of("phone", Map.of("front", 0.012)), 0.0054, 0.3, 2.0);
        String base = service.plan(new PlanInputs(spec, Fixtures.profile(), published))
                .hash();
        assertThat(service.plan(new PlanInputs(spec, Fixtures.profile(), noisy)).hash())
                .as("unheld noise changes the plan (else this test proves nothing)")
                .isNotEqualTo(base);
        assertThat(service.plan(new PlanInputs(spec, Fixtures.profile(), noisy.heldWithin(published, 0.1)))
                        .hash())
                .isEqualTo(base);
        assertThat(service.plan(new PlanInputs(spec, Fixtures.profile(), moved.heldWithin(published, 0.1)))
                        .hash())
                .isNotEqualTo(base);
    }

    @Test
    void theCompressionObjectiveReachesTheBudgetsAndChangesTheKnobsNotTheSplits() throws Exception {
        var spec = si.getSpec();
        var metrics = new FleetMetrics(Map.of("phone", 1e6), Map.of(), 0.01, null, null);
        var phone = spec.getEdges().getDeviceClasses().get(0);
        assertThat(PlannerPlanService.deviceClass(spec, phone, metrics)
                        .budgets()
                        .objective())
                .isEqualTo(dev.slicer.planner.search.Objective.FIDELITY);
        var fidelity =
                dev.slicer.planner.plan.PlanJson.read(plan(0.01, 1e6).planJson(), dev.slicer.planner.plan.Plan.class);
        spec.getCompression().setObjective(dev.slicer.crds.v1alpha1.spec.CompressionSpec.Objective.BYTES);
        assertThat(PlannerPlanService.deviceClass(spec, phone, metrics)
                        .budgets()
                        .objective())
                .isEqualTo(dev.slicer.planner.search.Objective.BYTES);
        String bytesJson = plan(0.01, 1e6).planJson();
        assertThat(bytesJson).as("the plan records its objective").contains("\"objective\":\"BYTES\"");
        var bytes = dev.slicer.planner.plan.PlanJson.read(bytesJson, dev.slicer.planner.plan.Plan.class);
        var a = fidelity.tables().get(0).rows();
        var b = bytes.tables().get(0).rows();
        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).split()).isEqualTo(a.get(i).split());
            assertThat(b.get(i).predictedBytes()).isLessThanOrEqualTo(a.get(i).predictedBytes());
        }
    }
}
