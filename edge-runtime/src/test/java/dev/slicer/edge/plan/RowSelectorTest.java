package dev.slicer.edge.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.edge.testing.EdgeFixture;
import dev.slicer.edge.testing.Plans;
import dev.slicer.edge.testing.Plans.Row;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.planner.plan.Plan;
import dev.slicer.planner.search.Theta;
import dev.slicer.planner.split.RowKind;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Plan row selection by device class and measured goodput, and the plan sources' precedence. */
class RowSelectorTest {
    static final String DC = EdgeFixture.DEVICE;
    final SplittableModel m = EdgeFixture.minilm().splittable();
    final int local = m.candidates().size();
    // below 1 Mbit/s local-only, 1-10 Mbit/s split 1 with top-K, above 10 Mbit/s split 3 lossless
    final Plan plan = Plans.plan(
            m,
            DC,
            new Row(0, local, null),
            new Row(1e6, 1, Theta.topK(0.5, 2, 2, 0, 8, 0.01, true)),
            new Row(1e7, 3, Theta.lossless()));
    final ActivePlan active = new ActivePlan(Optional.of(plan), "stream");

    @Test
    void picksTheRowOfTheMeasuredGoodput() {
        assertThat(RowSelector.select(active, DC, 10_000).kind()).isEqualTo(RowKind.LOCAL_ONLY);
        RowChoice mid = RowSelector.select(active, DC, 2e6 / 8);
        assertThat(mid.split()).isEqualTo(1);
        assertThat(mid.codec())
                .isEqualTo(Theta.topK(0.5, 2, 2, 0, 8, 0.01, true).toCodecSettings());
        assertThat(RowSelector.select(active, DC, 1e9).split()).isEqualTo(3);
        assertThat(RowSelector.select(active, DC, 1e7 / 8).split())
                .as("bucket lower bound is inclusive")
                .isEqualTo(3);
    }

    @Test
    void unknownGoodputTakesTheLowestOffloadingRowSoTheLinkGetsMeasured() {
        assertThat(RowSelector.select(active, DC, Double.NaN).split()).isEqualTo(1);
    }

    @Test
    void unknownGoodputSkipsAnUnavailableRow() {
        Plan p = Plans.plan(m, DC, new Row(0, -2, null), new Row(64e3, -1, null), new Row(1e6, 2, Theta.lossless()));
        ActivePlan a = new ActivePlan(Optional.of(p), "file");
        assertThat(RowSelector.select(a, DC, Double.NaN).kind()).isEqualTo(RowKind.CLOUD_ONLY);
        assertThat(RowSelector.select(a, DC, 10).kind()).isEqualTo(RowKind.UNAVAILABLE);
    }

    @Test
    void noUsableRowFallsBackLocallyOrElseGoesBestEffortOnTheCheapestOffload() {
        Plan p = Plans.plan(m, DC, new Row(0, -2, null), new Row(64e3, -1, null), new Row(1e6, 2, Theta.lossless()));
        ActivePlan a = new ActivePlan(Optional.of(p), "file");
        RowSelector.Decision withLocal = RowSelector.decide(a, DC, 10, true);
        assertThat(withLocal.row().kind()).isEqualTo(RowKind.UNAVAILABLE);
        assertThat(withLocal.cause()).isEqualTo("the plan has no usable link at the measured goodput of 10 bytes/s");
        RowSelector.Decision withoutLocal = RowSelector.decide(a, DC, 10, false);
        assertThat(withoutLocal.row().kind()).isEqualTo(RowKind.CLOUD_ONLY);
        assertThat(withoutLocal.cause())
                .startsWith("the plan has no usable link")
                .endsWith("sent best-effort on the cheapest offloading row (cloud), the latency budget may be missed");
        RowSelector.Decision usable = RowSelector.decide(a, DC, 1e6, false);
        assertThat(usable.row().split()).isEqualTo(2);
        assertThat(usable.cause()).as("a usable row is followed as it is").isNull();
        Plan noOffload = Plans.plan(m, DC, new Row(0, -2, null), new Row(1e6, local, null));
        RowSelector.Decision stuck = RowSelector.decide(new ActivePlan(Optional.of(noOffload), "file"), DC, 10, false);
        assertThat(stuck.row().kind())
                .as("nothing offloads: the request must fail with the cause")
                .isEqualTo(RowKind.UNAVAILABLE);
    }

    @Test
    void noPlanOrUnknownDeviceClassIsCloudOnly() {
        assertThat(RowSelector.select(ActivePlan.DEFAULT, DC, 1e6)).isEqualTo(RowChoice.CLOUD_ONLY);
        assertThat(RowSelector.select(active, "other-class", 1e6).kind()).isEqualTo(RowKind.CLOUD_ONLY);
    }

    @Test
    void streamBeatsFileBeatsDefaultAndBadPlansAreRejected() {
        PlanHolder h = new PlanHolder(m.name(), local);
        Plan other = Plans.plan(m, DC, new Row(0, 2, Theta.lossless()));
        assertThat(h.current().source()).isEqualTo("default");
        assertThat(h.fromFile(Optional.of(other)).source()).isEqualTo("file");
        assertThat(h.fromStream(Optional.of(plan)).hash()).isEqualTo(plan.sha256());
        assertThat(h.fromStream(Optional.empty()).hash())
                .as("back-end holds none: file again")
                .isEqualTo(other.sha256());
        String json = Plans.json(plan);
        assertThat(h.parse(json)).contains(plan);
        assertThatThrownBy(() -> h.parse(json.replace(plan.sha256(), "0".repeat(64))))
                .hasMessageContaining("hash");
        assertThatThrownBy(() -> new PlanHolder("builtin:tiny-resnet", local).parse(json))
                .hasMessageContaining("model");
        assertThatThrownBy(() -> new PlanHolder(m.name(), local + 1).parse(json))
                .hasMessageContaining("candidates");
        assertThat(h.parse(" ")).isEmpty();
    }
}
