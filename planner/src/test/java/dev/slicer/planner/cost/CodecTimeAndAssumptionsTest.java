package dev.slicer.planner.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.codec.CodecMode;
import dev.slicer.planner.InvalidPlanInputException;
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
import java.util.Map;
import java.util.TreeMap;
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
                assertThat(m.encodeSeconds(0, n, t)).isFinite().isNotNegative();
            }
        }
        for (String mode : List.of("LOSSLESS", "LOSSLESS/rans", "TOPK", "TOPK/rans", "TS_TABQ", "TS_TABQ/rans")) {
            assertThat(m.entries()).containsKey(mode);
        }
        Theta offGrid = Theta.topK(0.3, 3, 5, 0.05, 6, 0.01, true);
        assertThat(m.coefficients(offGrid)).isEqualTo(m.entries().get("TOPK/rans"));
    }

    @Test
    void aCandidatesOwnTimingCoversItsValueDependentSettingsAndTakesPrecedenceThereOnly() {
        List<Theta> grid = KnobGrid.standard().thetas();
        float[] shared = gaussian(16 * 384, 7, 1);
        float[] spiky = gaussian(16 * 384, 8, 1);
        for (int i = 0; i < spiky.length; i += 97) {
            spiky[i] *= 40; // a feature of another shape of distribution: the budget search probes differently
        }
        LinearCodecTimeModel base = WarmEncodeTimer.measure("test", shared, 16, 384, grid);
        Map<String, LinearCodecTimeModel.Coefficients> own =
                WarmEncodeTimer.measureAt(3, List.of(spiky, shared), 16, 384, grid);
        List<Theta> ecsq = grid.stream().filter(t -> t.mode() == CodecMode.ECSQ).toList();
        assertThat(ecsq).isNotEmpty();
        assertThat(own.keySet())
                .containsExactlyInAnyOrderElementsOf(ecsq.stream()
                        .map(t -> LinearCodecTimeModel.candidateKey(3, t))
                        .toList());
        Map<String, LinearCodecTimeModel.Coefficients> entries = new TreeMap<>(base.entries());
        entries.putAll(own);
        LinearCodecTimeModel m = new LinearCodecTimeModel("test", entries);
        for (Theta t : ecsq) {
            assertThat(m.coefficients(3, t)).isEqualTo(own.get(LinearCodecTimeModel.candidateKey(3, t)));
            assertThat(m.coefficients(2, t)).isEqualTo(base.coefficients(t));
        }
        Theta topK = grid.stream()
                .filter(t -> t.mode() == CodecMode.TOPK)
                .findFirst()
                .orElseThrow();
        assertThat(m.coefficients(3, topK)).isEqualTo(base.coefficients(topK));
        // the per-candidate keys are plain entries: they survive the profile's JSON
        assertThat(PlanJson.read(PlanJson.write(m, false), LinearCodecTimeModel.class))
                .isEqualTo(m);
    }

    @Test
    void aCandidateTimingRefusesFeaturesThatAreNotItsShapeOrNone() {
        assertThatThrownBy(() -> WarmEncodeTimer.measureAt(
                        0,
                        List.of(new float[8], new float[10]),
                        2,
                        4,
                        KnobGrid.standard().thetas()))
                .isInstanceOf(InvalidPlanInputException.class)
                .hasMessageContaining("2x4");
        assertThatThrownBy(() -> WarmEncodeTimer.measureAt(
                        0, List.of(), 2, 4, KnobGrid.standard().thetas()))
                .isInstanceOf(InvalidPlanInputException.class);
    }

    private static float[] gaussian(int n, long seed, double scale) {
        float[] v = new float[n];
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
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
        assertThat(plan.assumptions())
                .as("what the rows' latency leaves out is said in the plan")
                .anySatisfy(a -> assertThat(a).contains("downlink"));
        assertThat(p.withDistortion(List.of(), null).assumptions()).isEqualTo(p.assumptions());
    }
}
