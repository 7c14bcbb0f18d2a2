package dev.slicer.planner.cost;

import static org.assertj.core.api.Assertions.assertThat;

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

/** The warm encode-time model's shape, and profile assumptions reaching the plan. */
class CodecTimeAndAssumptionsTest {

    @Test
    void warmTimingCoversEverySettingAndEveryModeAndNeverGoesNegative() {
        // the figures depend on this machine; only their structure is asserted (no timing assertions in tests)
        float[] values = new float[16 * 384];
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) r.nextGaussian();
        }
        List<Theta> grid = KnobGrid.standard().thetas();
        LinearCodecTimeModel m = WarmEncodeTimer.measure("test", values, 16, 384, grid);
        for (Theta t : grid) {
            assertThat(m.entries()).containsKey(t.id());
            for (long n : new long[] {0, 6_144, 1 << 20}) {
                assertThat(m.encodeSeconds(n, t)).isFinite().isNotNegative();
            }
        }
        for (String mode : List.of("LOSSLESS", "LOSSLESS/rans", "TOPK", "TOPK/rans", "TS_TABQ", "TS_TABQ/rans")) {
            assertThat(m.entries()).containsKey(mode);
        }
        Theta offGrid = Theta.topK(0.3, 3, 5, 0.05, 6, 0.01, true);
        assertThat(m.coefficients(offGrid)).isEqualTo(m.entries().get("TOPK/rans"));
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
