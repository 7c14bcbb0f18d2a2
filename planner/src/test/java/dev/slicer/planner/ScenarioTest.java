package dev.slicer.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.planner.cost.CostTable;
import dev.slicer.planner.cost.LinearCodecTimeModel;
import dev.slicer.planner.link.RateChoice;
import dev.slicer.planner.model.DistortionTable;
import dev.slicer.planner.model.SplitCandidate;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.search.KnobGrid;
import dev.slicer.planner.search.Theta;
import dev.slicer.planner.split.ArBudget;
import dev.slicer.planner.split.AutoregressiveSelector;
import dev.slicer.planner.split.Budgets;
import dev.slicer.planner.split.RowKind;
import dev.slicer.planner.split.Selection;
import dev.slicer.planner.split.SingleShotSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-built cases: the paper's AR scenarios b-1..b-3 and the SLICER-Search order. */
class ScenarioTest {
    private static final LinearCodecTimeModel FAST = new LinearCodecTimeModel(
            "test",
            Map.of(
                    "LOSSLESS", new LinearCodecTimeModel.Coefficients(0, 0),
                    "TOPK", new LinearCodecTimeModel.Coefficients(1e-5, 1e-9),
                    "TOPK/rans", new LinearCodecTimeModel.Coefficients(2e-5, 2e-9),
                    "TS_TABQ", new LinearCodecTimeModel.Coefficients(1e-5, 1e-9),
                    "TS_TABQ/rans", new LinearCodecTimeModel.Coefficients(2e-5, 2e-9),
                    "ECSQ/rans", new LinearCodecTimeModel.Coefficients(1e-5, 1e-9)));

    /** A 4-layer decoder: 10 MB and 1 ms per layer (int8: 2.5 MB, 0.8 ms), hidden 256. */
    private static SplitProfile decoder(DistortionTable distortion, List<Theta> grid) {
        return decoder(distortion, grid, 0);
    }

    /** The same decoder holding {@code kvPerLayer} KV-cache bytes per position and layer. */
    private static SplitProfile decoder(DistortionTable distortion, List<Theta> grid, long kvPerLayer) {
        List<SplitCandidate> cs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            cs.add(new SplitCandidate(
                    i,
                    "layers." + i,
                    (i + 1) * 10_000_000L,
                    (i + 1) * 1e-3,
                    (i + 1) * 2_500_000L,
                    (i + 1) * 0.8e-3,
                    List.of(1, 16, 256),
                    16 * 256 * 4,
                    0,
                    (i + 1) * kvPerLayer));
        }
        return new SplitProfile(
                "decoder",
                64,
                50_000_000L,
                5e-3,
                12_500_000L,
                4e-3,
                cs,
                grid,
                distortion,
                FAST,
                List.of(),
                4 * kvPerLayer);
    }

    private static Selection ar(SplitProfile p, double d, long m, long mAr, double rate) {
        return ar(p, d, m, mAr, rate, 16, 8);
    }

    private static Selection ar(SplitProfile p, double d, long m, long mAr, double rate, int tokens, int prompt) {
        Budgets b = new Budgets(d, m, 0, 0, new ArBudget(tokens, prompt, mAr));
        return AutoregressiveSelector.select(
                CostTable.build(p, Fixtures.SIZE, b.ar()), b, 1.0, RateChoice.goodput(rate));
    }

    @Test
    void b3EnoughResourcesMeansNoOffload() {
        Selection s = ar(decoder(null, List.of()), 1.0, 1L << 30, 1 << 20, 1e8);
        assertThat(s.kind()).isEqualTo(RowKind.LOCAL_ONLY);
        assertThat(s.split()).isEqualTo(4);
        assertThat(s.latencySeconds()).as("D is per token: one int8 step").isEqualTo(4e-3);
    }

    @Test
    void aLocalStepSlowerThanThePerTokenBudgetMeansNoLocalTokens() {
        // 4 ms int8 steps against D = 3 ms: no token can be decoded locally, the deepest front that fits D runs
        Selection s = ar(decoder(null, List.of()), 3e-3, 1L << 30, 1 << 20, 1e9);
        assertThat(s.kind()).isEqualTo(RowKind.SPLIT);
        assertThat(s.w()).isEqualTo(1);
        assertThat(s.split()).isEqualTo(2);
        assertThat(s.latencySeconds()).isLessThanOrEqualTo(3e-3);
    }

    @Test
    void b2LessMemoryForTheKvCacheHandsOffEarlier() {
        // 2 KiB per position and layer: 8 KiB for the whole net. Local decoding of 8 + 16 positions needs
        // 12.5 MB + 196,608 B + M_ar; 139,264 B of KV room leaves positions for w <= 10, 32 KiB less for w <= 6
        SplitProfile p = decoder(null, List.of(), 2048);
        long room = 12_500_000L + (1 << 20);
        Selection roomy = ar(p, 1.0, room + 139_264, 1 << 20, 1e8);
        Selection tight = ar(p, 1.0, room + 139_264 - 32_768, 1 << 20, 1e8);
        assertThat(roomy.kind()).isEqualTo(RowKind.SPLIT);
        assertThat(roomy.w()).isEqualTo(10);
        assertThat(roomy.split()).isEqualTo(3);
        assertThat(tight.w()).isEqualTo(6);
        assertThat(ar(p, 1.0, room + 196_608, 1 << 20, 1e8).kind()).isEqualTo(RowKind.LOCAL_ONLY);
    }

    @Test
    void b1TighterMemoryRetreatsTheSplit() {
        // the whole int8 net (12.5 MB) no longer fits next to M_ar: w = 1, and only shallow fronts fit
        Selection s = ar(decoder(null, List.of()), 0.05, 6_000_000L, 1_000_000L, 1e8);
        assertThat(s.kind()).isEqualTo(RowKind.SPLIT);
        assertThat(s.w()).isEqualTo(1);
        assertThat(s.split()).isEqualTo(1);
        Selection none = ar(decoder(null, List.of()), 0.05, 3_000_000L, 1_000_000L, 1e8);
        assertThat(none.kind()).isEqualTo(RowKind.CLOUD_ONLY);
        assertThat(none.split()).isEqualTo(-1);
    }

    @Test
    void searchTunesBlocksBeforeRaisingSparsityAndPicksModesByMeasuredFidelity() {
        Selection s = searchWith(0.90);
        assertThat(s.kind()).isEqualTo(RowKind.SPLIT);
        assertThat(s.split()).isEqualTo(3);
        assertThat(s.setting()).isEqualTo(1);
    }

    @Test
    void whereMeasurementsContradictThePapersOrderTheSearchFollowsTheMeasurements() {
        // s = 0.875 measures better than every s = 0.5 setting: it is the least harmful level here
        Selection s = searchWith(0.99);
        assertThat(s.kind()).isEqualTo(RowKind.SPLIT);
        assertThat(s.setting()).isEqualTo(2);
    }

    private static Selection searchWith(double aggressiveFidelity) {
        List<Theta> grid = List.of(
                Theta.topK(0.5, 1, 1, 0, 8, 0.02, false),
                Theta.topK(0.5, 4, 4, 0, 8, 0.02, false),
                Theta.topK(0.875, 1, 1, 0, 8, 0.02, false),
                Theta.tsTabq(0.01, 4, 0.02, false));
        // measured: at s = 0.5, M = 4/4 is better
        DistortionTable table = new DistortionTable(
                "output-cosine-mean",
                2,
                Map.of(
                        grid.get(0).id(), List.of(0.95, 0.95, 0.95, 0.95),
                        grid.get(1).id(), List.of(0.97, 0.97, 0.97, 0.97),
                        grid.get(2).id(),
                                List.of(aggressiveFidelity, aggressiveFidelity, aggressiveFidelity, aggressiveFidelity),
                        grid.get(3).id(), List.of(0.96, 0.96, 0.96, 0.96)));
        SplitProfile p = decoder(table, grid);
        CostTable costs = CostTable.build(p, KnobGrid.of(grid), Fixtures.SIZE, FAST, null);
        assertThat(Planner.departures(costs)).hasSize(aggressiveFidelity > 0.97 ? 4 : 0);
        return SingleShotSelector.select(costs, Budgets.singleShot(1.0, 45_000_000L, 0), 1.0, RateChoice.goodput(1e9));
    }

    @Test
    void noSplitAboveTheFloorFallsBackToCloudOnlyAndSaysWhy() {
        List<Theta> grid = List.of(Theta.lossless(), Theta.topK(0.875, 1, 1, 0, 8, 0.02, false));
        DistortionTable table =
                new DistortionTable("output-cosine-mean", 2, Map.of(grid.get(1).id(), List.of(0.80, 0.82, 0.84, 0.86)));
        CostTable costs = CostTable.build(decoder(table, grid), KnobGrid.of(grid), Fixtures.SIZE, FAST, null);
        // 10 ms at 2 Mbit/s: lossless (16 KiB) is too slow, top-K fits D but measures below 0.98
        Budgets floor = new Budgets(0.02, 45_000_000L, 0, Budgets.DEFAULT_MIN_FIDELITY, null);
        Selection s = SingleShotSelector.select(costs, floor, 1.0, RateChoice.goodput(2e6));
        assertThat(s.kind()).isEqualTo(RowKind.CLOUD_ONLY);
        assertThat(s.fidelity()).isEqualTo(1.0);
        assertThat(s.reason()).contains("fidelity floor 0.98").contains("raw input meets D");
        Selection noFloor = SingleShotSelector.select(costs, floor.withMinFidelity(0), 1.0, RateChoice.goodput(2e6));
        assertThat(noFloor.kind()).isEqualTo(RowKind.SPLIT);
        assertThat(noFloor.fidelity()).isLessThan(0.9);
    }

    @Test
    void withoutALinkTheEdgeRunsLocallyIfItFitsElseTheRowIsUnavailableWithAFiniteLatency() {
        CostTable costs = CostTable.build(decoder(null, List.of()), Fixtures.SIZE);
        // the whole model (50 MB, 5 ms) fits but misses D = 2 ms: no link, so local-only anyway
        Selection local =
                SingleShotSelector.select(costs, new Budgets(0.002, 60_000_000L, 0, 0.98, null), 1.0, RateChoice.NONE);
        assertThat(local.kind()).isEqualTo(RowKind.LOCAL_ONLY);
        assertThat(local.latencySeconds()).isEqualTo(5e-3);
        assertThat(local.reason()).contains("no usable link");
        Selection none =
                SingleShotSelector.select(costs, new Budgets(0.002, 30_000_000L, 0, 0.98, null), 1.0, RateChoice.NONE);
        assertThat(none.kind()).isEqualTo(RowKind.UNAVAILABLE);
        assertThat(none.latencySeconds()).isEqualTo(0.002);
        assertThat(none.bytes()).isZero();
    }

    @Test
    void theRowBelowTheSnrRangeIsPlannedWithoutALink() {
        SplitProfile p = decoder(null, List.of());
        var dc = new dev.slicer.planner.plan.DeviceClass(
                "radio",
                new Budgets(0.05, 30_000_000L, 0, 0.98, null),
                dev.slicer.planner.link.LinkSpec.outage(20e6, -5, 30, 7, 1e-3),
                1.0);
        var row0 = Planner.planDeviceClass(CostTable.build(p, Fixtures.SIZE), dc)
                .rows()
                .get(0);
        assertThat(row0.kind()).isEqualTo(RowKind.UNAVAILABLE);
        assertThat(row0.predictedLatencySeconds()).isFinite().isEqualTo(0.05);
    }
}
