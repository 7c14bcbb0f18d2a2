package dev.slicer.planner.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.slicer.codec.TimeModel;
import dev.slicer.planner.Planner;
import dev.slicer.planner.link.LinkSpec;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.model.SyntheticProfiles;
import dev.slicer.planner.plan.DeviceClass;
import dev.slicer.planner.plan.Plan;
import dev.slicer.planner.plan.PlanJson;
import dev.slicer.planner.search.KnobGrid;
import dev.slicer.planner.search.Theta;
import dev.slicer.planner.split.Budgets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The codec's time model as zeta, its stored linear form, and profile assumptions reaching the plan. */
class CodecTimeAndAssumptionsTest {

    /** Fixed stage costs (ns), so nothing here depends on this machine's speed. */
    private static final CalibratedCodecTime CODEC = new CalibratedCodecTime(
            TimeModel.of(new TimeModel.Costs(2.0, 1.5, 3.0, 0.5, 1.0, 0.25, 4.0, 1.0, 2.0, 3.0, 0.75, 0.5, 6.0, 5.0)));

    @Test
    void theAdapterIsTheCodecsModel() {
        for (Theta t : KnobGrid.standard().thetas()) {
            assertThat(CODEC.encodeSeconds(49_152, t))
                    .isEqualTo(CODEC.model().encodeSeconds(49_152, t.toCodecSettings()));
        }
    }

    @Test
    void theStoredLinearFormMatchesTheCodecModelAndNeverUnderEstimates() {
        List<Theta> grid = KnobGrid.standard().thetas();
        LinearCodecTimeModel stored = LinearCodecTimeModel.sampled("test", CODEC, grid);
        for (Theta t : grid) {
            for (long n : new long[] {1_000, 6_144, 49_152, 1 << 20}) {
                double exact = CODEC.encodeSeconds(n, t);
                assertThat(stored.encodeSeconds(n, t)).isGreaterThanOrEqualTo(exact * (1 - 1e-12));
                // at most one TOPK survivor apart (floor((1-s)T) rounding): 13.5 ns with these costs
                assertThat(stored.encodeSeconds(n, t)).isCloseTo(exact, within(1.4e-8));
            }
        }
        Theta offGrid = Theta.topK(0.3, 3, 5, 0.05, 6, 0.01, true);
        assertThat(stored.entries()).doesNotContainKey(offGrid.id());
        assertThat(stored.encodeSeconds(49_152, offGrid)).isGreaterThanOrEqualTo(CODEC.encodeSeconds(49_152, offGrid));
    }

    @Test
    void profileAssumptionsAreListedInThePlanAndSurviveJson() {
        SplitProfile base = SyntheticProfiles.encoder(4);
        SplitProfile p = new SplitProfile(
                base.model(),
                base.inputBytes(),
                base.fullMemoryBytes(),
                base.fullSeconds(),
                base.compressedFullMemoryBytes(),
                base.compressedFullSeconds(),
                base.candidates(),
                base.settings(),
                base.distortion(),
                base.encodeTime(),
                List.of("the int8 network is no faster than the float network"));
        assertThat(PlanJson.read(PlanJson.write(p, false), SplitProfile.class)).isEqualTo(p);
        assertThat(PlanJson.write(base, false)).doesNotContain("assumptions");
        DeviceClass dc = new DeviceClass("d", new Budgets(0.05, 512L << 20, 0, 0, null), LinkSpec.defaultGoodput(), 1);
        Plan plan = new Planner(CodecSizeBound.INSTANCE).plan(p, List.of(dc));
        assertThat(plan.assumptions()).contains("the int8 network is no faster than the float network");
        assertThat(p.withDistortion(List.of(), null).assumptions()).isEqualTo(p.assumptions());
    }
}
