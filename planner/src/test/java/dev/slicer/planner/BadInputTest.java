package dev.slicer.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.codec.CodecRevision;
import dev.slicer.planner.cost.CostTable;
import dev.slicer.planner.model.SplitCandidate;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.plan.DeviceClass;
import dev.slicer.planner.plan.Plan;
import dev.slicer.planner.plan.PlanJson;
import dev.slicer.planner.split.ArBudget;
import dev.slicer.planner.split.Budgets;
import dev.slicer.planner.split.RowKind;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BadInputTest {
    private final SplitProfile profile = Fixtures.profile(new Random(7), 4, Fixtures.smallGrid());

    private SplitProfile withCandidates(List<SplitCandidate> cs) {
        return new SplitProfile("m", 10, 10, 0.1, 5, 0.05, cs, List.of(), null, profile.encodeTime());
    }

    @Test
    void profileWithoutCandidatesIsRejected() {
        assertThatThrownBy(() -> withCandidates(List.of()))
                .isInstanceOf(InvalidPlanInputException.class)
                .hasMessageContaining("no split candidates");
    }

    @Test
    void negativeOrNanFiguresAreRejected() {
        assertThatThrownBy(() -> new SplitCandidate(0, "a", -1, 0.1, 1, 0.1, List.of(1, 4), 16, 0))
                .isInstanceOf(InvalidPlanInputException.class);
        assertThatThrownBy(() -> new SplitCandidate(0, "a", 1, Double.NaN, 1, 0.1, List.of(1, 4), 16, 0))
                .isInstanceOf(InvalidPlanInputException.class);
        assertThatThrownBy(() -> new SplitCandidate(0, "a", 1, 0.1, 1, Double.POSITIVE_INFINITY, List.of(1, 4), 16, 0))
                .isInstanceOf(InvalidPlanInputException.class);
        assertThatThrownBy(() -> new SplitCandidate(0, "a", 1, 0.1, 1, 0.1, List.of(0, 4), 16, 0))
                .isInstanceOf(InvalidPlanInputException.class);
    }

    @Test
    void candidateIndicesMustMatchPositions() {
        SplitCandidate misplaced = new SplitCandidate(3, "a", 1, 0.1, 1, 0.1, List.of(1, 4), 16, 0);
        assertThatThrownBy(() -> withCandidates(List.of(misplaced)))
                .isInstanceOf(InvalidPlanInputException.class)
                .hasMessageContaining("index 3");
    }

    @Test
    void impossibleBudgetsAreRejected() {
        assertThatThrownBy(() -> Budgets.singleShot(0, 100, 0)).isInstanceOf(InvalidPlanInputException.class);
        assertThatThrownBy(() -> Budgets.singleShot(-1, 100, 0)).isInstanceOf(InvalidPlanInputException.class);
        assertThatThrownBy(() -> Budgets.singleShot(Double.NaN, 100, 0)).isInstanceOf(InvalidPlanInputException.class);
        assertThatThrownBy(() -> Budgets.singleShot(0.05, 0, 0)).isInstanceOf(InvalidPlanInputException.class);
        assertThatThrownBy(() -> Budgets.singleShot(0.05, 100, -0.001)).isInstanceOf(InvalidPlanInputException.class);
        assertThatThrownBy(() -> new Budgets(0.05, 100, 0, 1.5, null)).isInstanceOf(InvalidPlanInputException.class);
        assertThatThrownBy(() -> new Budgets(0.05, 100, 0, 0, new ArBudget(4, 4, 200)))
                .isInstanceOf(InvalidPlanInputException.class)
                .hasMessageContaining("M_ar");
        assertThatThrownBy(() -> new ArBudget(0, 4, 10)).isInstanceOf(InvalidPlanInputException.class);
        assertThatThrownBy(() -> new DeviceClass("d", Budgets.singleShot(1, 1, 0), null, 1))
                .isInstanceOf(InvalidPlanInputException.class);
        assertThatThrownBy(() -> new DeviceClass(
                        "d", Budgets.singleShot(1, 1, 0), dev.slicer.planner.link.LinkSpec.defaultGoodput(), -2))
                .isInstanceOf(InvalidPlanInputException.class);
    }

    @Test
    void queueDelayBeyondTheBudgetIsNotAnErrorButLeavesOnlyFallbacks() {
        Budgets b = new Budgets(0.001, 1L << 40, 5, 0, null);
        Plan plan = new Planner(Fixtures.SIZE).plan(profile, List.of(DeviceClass.of("d", b)));
        assertThat(plan.tables().get(0).rows())
                .allSatisfy(r -> assertThat(r.kind()).isIn(RowKind.LOCAL_ONLY, RowKind.CLOUD_ONLY));
    }

    @Test
    void tamperedOrMalformedPlanJsonIsRejected() {
        Plan plan = new Planner(Fixtures.SIZE)
                .plan(profile, List.of(DeviceClass.of("d", Budgets.singleShot(0.05, 1L << 30, 0))));
        String json = PlanJson.write(plan, false);
        assertThatThrownBy(() -> PlanJson.readPlan(json.replace("\"model\":\"", "\"model\":\"x")))
                .isInstanceOf(InvalidPlanInputException.class)
                .hasMessageContaining("hash");
        assertThatThrownBy(() -> PlanJson.readPlan("{not json")).isInstanceOf(InvalidPlanInputException.class);
        assertThatThrownBy(() -> PlanJson.read("{\"model\":\"m\",\"candidates\":[]}", SplitProfile.class))
                .isInstanceOf(InvalidPlanInputException.class);
    }

    @Test
    void aProfileMeasuredWithAnotherCodecRevisionIsRefused() {
        SplitProfile measured = profile.distortion() != null
                ? profile
                : profile.withDistortion(
                        Fixtures.smallGrid().thetas(),
                        Fixtures.distortion(new Random(3), profile.candidates().size(), Fixtures.smallGrid()));
        String json = PlanJson.write(measured, false);
        String stamp = "\"codecRevision\":" + CodecRevision.CURRENT;
        assertThat(json).contains(stamp);
        assertThat(PlanJson.read(json, SplitProfile.class)).isEqualTo(measured);
        // a table of another codec revision, and one from before tables carried the revision
        assertThatThrownBy(() -> PlanJson.read(
                        json.replace(stamp, "\"codecRevision\":" + (CodecRevision.CURRENT + 1)), SplitProfile.class))
                .isInstanceOf(InvalidPlanInputException.class)
                .hasMessageContaining("measured with codec revision " + (CodecRevision.CURRENT + 1))
                .hasMessageContaining("slicer plan calibrate");
        assertThatThrownBy(
                        () -> PlanJson.read(json.replace(stamp + ",", "").replace("," + stamp, ""), SplitProfile.class))
                .isInstanceOf(InvalidPlanInputException.class)
                .hasMessageContaining("before codec revisions were recorded");
    }

    @Test
    void lookupNeverThrowsEvenForAbsurdMeasurements() {
        Plan plan = new Planner(Fixtures.SIZE)
                .plan(profile, List.of(DeviceClass.of("d", Budgets.singleShot(0.05, 1L << 30, 0))));
        for (double m : new double[] {Double.NaN, -1, 0, 1e-300, 1e300, Double.NEGATIVE_INFINITY}) {
            assertThat(plan.lookup("d", m)).isPresent();
        }
        assertThat(plan.lookup("unknown", 1e6)).isEmpty();
    }

    @Test
    void costTableRejectsAMissingDistortionEntry() {
        SplitProfile measured = Fixtures.profile(new Random(3), 3, Fixtures.smallGrid());
        while (measured.distortion() == null) {
            measured = Fixtures.profile(new Random(measured.hashCode()), 3, Fixtures.smallGrid());
        }
        SplitProfile wrongGrid = measured.withDistortion(
                dev.slicer.planner.search.KnobGrid.standard().thetas(), measured.distortion());
        assertThatThrownBy(() -> CostTable.build(wrongGrid, Fixtures.SIZE))
                .isInstanceOf(InvalidPlanInputException.class)
                .hasMessageContaining("distortion table has no value");
    }
}
