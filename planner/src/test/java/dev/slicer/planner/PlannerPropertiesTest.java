package dev.slicer.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.planner.cost.CostTable;
import dev.slicer.planner.link.LinkSpec;
import dev.slicer.planner.link.RateChoice;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.plan.DeviceClass;
import dev.slicer.planner.plan.DeviceClassTable;
import dev.slicer.planner.plan.Plan;
import dev.slicer.planner.plan.PlanJson;
import dev.slicer.planner.plan.PlanRow;
import dev.slicer.planner.search.KnobGrid;
import dev.slicer.planner.split.AutoregressiveSelector;
import dev.slicer.planner.split.Budgets;
import dev.slicer.planner.split.Selection;
import dev.slicer.planner.split.SingleShotSelector;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Property tests over seeded random profiles, budgets and links (single-shot and AR). */
class PlannerPropertiesTest {
    private static final KnobGrid GRID = Fixtures.smallGrid();

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    private record Case(SplitProfile profile, DeviceClass dc, CostTable costs) {}

    private static Case scenario(long seed, boolean ar) {
        Random r = new Random(seed);
        SplitProfile p = Fixtures.profile(r, 8, GRID);
        DeviceClass dc = Fixtures.deviceClass(r, ar);
        return new Case(p, dc, CostTable.build(p, Fixtures.SIZE, dc.budgets().ar()));
    }

    private static Selection select(CostTable costs, Budgets b, double scale, RateChoice rate) {
        return b.ar() == null
                ? SingleShotSelector.select(costs, b, scale, rate)
                : AutoregressiveSelector.select(costs, b, scale, rate);
    }

    @Property(tries = 150)
    void everySingleShotRowPassesTheIndependentEvaluator(@ForAll("seeds") long seed) {
        everyRowPasses(scenario(seed, false));
    }

    @Property(tries = 100)
    void everyAutoregressiveRowPassesTheIndependentEvaluator(@ForAll("seeds") long seed) {
        everyRowPasses(scenario(seed, true));
    }

    private static void everyRowPasses(Case c) {
        DeviceClassTable table = Planner.planDeviceClass(c.costs, c.dc);
        ConstraintEvaluator eval = new ConstraintEvaluator(c.profile, GRID.thetas(), Fixtures.SIZE, c.dc);
        for (PlanRow row : table.rows()) {
            assertThat(eval.check(row)).as("row %s", row).isEmpty();
        }
    }

    @Property(tries = 150)
    void aWorseLinkNeverGivesADeeperSplit(@ForAll("seeds") long seed, @ForAll boolean ar) {
        Case c = scenario(seed, ar);
        List<PlanRow> rows = Planner.planDeviceClass(c.costs, c.dc).rows();
        List<PlanRow> kept = rows.stream()
                .filter(r -> meetsBudgets(r.kind(), r.transmissions(), r.predictedLatencySeconds(), c.dc.budgets()))
                .toList();
        rows = kept;
        List<Selection> sel =
                rows.stream().map(PlannerPropertiesTest::selectionOf).toList();
        for (int i = 1; i < sel.size(); i++) {
            assertThat(depth(c, c.dc.budgets(), sel.get(i - 1), sel.get(i)))
                    .as("bucket %d (%s) deeper than bucket %d (%s)", i - 1, rows.get(i - 1), i, rows.get(i))
                    .isLessThanOrEqualTo(0);
        }
    }

    @Property(tries = 100)
    void aLowerSnrWithTheOptimalRateNeverGivesADeeperSplit(
            @ForAll("seeds") long seed, @ForAll boolean ar, @ForAll double u1, @ForAll double u2) {
        Case c = scenario(seed, ar);
        double w = 1e5 + Math.abs(seed % 10_000_000);
        double lo = -10 + 45 * Math.abs(u1 % 1);
        double hi = lo + 20 * Math.abs(u2 % 1);
        LinkSpec link = LinkSpec.outage(w, -5, 30, 8, 1e-3);
        Selection worse = select(c.costs, c.dc.budgets(), c.dc.computeScale(), link.rateAt(lo));
        Selection better = select(c.costs, c.dc.budgets(), c.dc.computeScale(), link.rateAt(hi));
        if (!meetsBudgets(worse, link.rateAt(lo), c.dc.budgets())) {
            return;
        }
        assertThat(depth(c, c.dc.budgets(), worse, better)).isLessThanOrEqualTo(0);
    }

    @Property(tries = 150)
    void tighterBudgetsOrMoreQueueingNeverGiveADeeperSplit(
            @ForAll("seeds") long seed, @ForAll boolean ar, @ForAll double shrink) {
        Case c = scenario(seed, ar);
        Budgets b = c.dc.budgets();
        double f = 0.05 + 0.95 * Math.abs(shrink % 1);
        double q = b.queueDelaySeconds() + (1 - f) * b.latencySeconds();
        long tighterM = Math.max(b.ar() == null ? 1 : b.ar().arMemoryBytes() + 1, (long) (b.memoryBytes() * f));
        List<Budgets> tighter =
                List.of(b.withLatency(b.latencySeconds() * f), b.withMemory(tighterM), b.withQueueDelay(q));
        for (var bucket : c.dc.link().bucketList()) {
            Selection base = select(c.costs, b, c.dc.computeScale(), bucket.rate());
            for (Budgets t : tighter) {
                Selection s = select(c.costs, t, c.dc.computeScale(), bucket.rate());
                if (!meetsBudgets(s, bucket.rate(), t)) {
                    continue;
                }
                assertThat(depth(c, b, s, base)).as("%s vs %s", t, b).isLessThanOrEqualTo(0);
            }
        }
    }

    @Property(tries = 40)
    void sameInputsGiveTheSameHashAndJsonRoundTrips(@ForAll("seeds") long seed, @ForAll boolean ar) {
        Random r1 = new Random(seed);
        Random r2 = new Random(seed);
        Plan a = plan(r1, ar);
        Plan b = plan(r2, ar);
        assertThat(a.sha256()).isEqualTo(b.sha256()).hasSize(64);
        String json = PlanJson.write(a, false);
        Plan back = PlanJson.readPlan(json);
        assertThat(back).isEqualTo(a);
        assertThat(PlanJson.write(back, false)).isEqualTo(json);
        SplitProfile p = scenario(seed, ar).profile;
        assertThat(PlanJson.read(PlanJson.write(p, true), SplitProfile.class)).isEqualTo(p);
    }

    private static Plan plan(Random r, boolean ar) {
        SplitProfile p = Fixtures.profile(r, 6, GRID);
        DeviceClass one = Fixtures.deviceClass(r, ar);
        DeviceClass two = new DeviceClass("other", Fixtures.budgets(r, ar), LinkSpec.defaultGoodput(), 1.5);
        return new Planner(Fixtures.SIZE).plan(p, List.of(one, two));
    }

    @Property(tries = 60)
    void lookupAgreesWithALinearScanAndNeverThrows(@ForAll("seeds") long seed, @ForAll double measured) {
        Case c = scenario(seed, false);
        DeviceClassTable t = Planner.planDeviceClass(c.costs, c.dc);
        PlanRow expected = t.rows().get(0);
        for (PlanRow row : t.rows()) {
            if (row.lower() <= measured) {
                expected = row;
            }
        }
        assertThat(t.lookup(measured)).isEqualTo(expected);
        assertThat(t.lookup(Double.NaN)).isEqualTo(t.rows().get(0));
        assertThat(t.lookup(Double.POSITIVE_INFINITY))
                .isEqualTo(t.rows().get(t.rows().size() - 1));
    }

    /**
     * Single-shot: {@link Selection#compareDepth}. AR: the kind, then the edge work of the (w, l) choice (what the AR
     * selector maximises), equal within rounding.
     */
    static int depth(Case c, Budgets b, Selection x, Selection y) {
        if (b.ar() == null || x.kind() != dev.slicer.planner.split.RowKind.SPLIT || x.kind() != y.kind()) {
            return Selection.compareDepth(x, y);
        }
        double wx = AutoregressiveSelector.edgeWork(c.profile, b.ar(), x.w(), x.split());
        double wy = AutoregressiveSelector.edgeWork(c.profile, b.ar(), y.w(), y.split());
        return Math.abs(wx - wy) <= 1e-12 * Math.max(1, Math.abs(wy)) ? 0 : Double.compare(wx, wy);
    }

    static Selection selectionOf(PlanRow row) {
        return new Selection(row.kind(), row.split(), row.w(), -1, row.predictedBytes(), 0.0, 1, row.reason());
    }

    /**
     * Depth is monotone only among rows that meet their budgets: fallbacks that miss D (local-only when cloud-only
     * is slower, rows without a usable link) trade depth for latency and are left out of the ordering properties.
     */
    static boolean meetsBudgets(Selection s, RateChoice rate, Budgets b) {
        return meetsBudgets(s.kind(), rate.usable() ? 1 : 0, s.latencySeconds(), b);
    }

    private static boolean meetsBudgets(
            dev.slicer.planner.split.RowKind kind, long transmissions, Double latency, Budgets b) {
        return switch (kind) {
            case UNAVAILABLE -> false;
            case LOCAL_ONLY -> transmissions != 0 && latency <= b.latencySeconds();
            case SPLIT, CLOUD_ONLY -> true;
        };
    }
}
