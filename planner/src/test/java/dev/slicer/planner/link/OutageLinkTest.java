package dev.slicer.planner.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.planner.InvalidPlanInputException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class OutageLinkTest {

    @Test
    void eq1AtAModerateOperatingPoint() {
        OutageLink link = new OutageLink(1e6, 10, 1e-3);
        double r = 1.5e6;
        double po = 1 - Math.exp(-(Math.pow(2, 1.5) - 1) / 10);
        long n = (long) Math.ceil(Math.log(1e-3) / Math.log(po));
        assertThat(link.outageProbability(r)).isCloseTo(po, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(link.transmissions(r)).isEqualTo(n);
        assertThat(link.latencySeconds(8e6, r, 0.002))
                .isCloseTo(8e6 / r * n + 0.002, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void outageNearZeroNeedsOneTransmissionAndNearOneIsUnusable() {
        OutageLink link = new OutageLink(1e6, 1e6, 1e-6);
        assertThat(link.transmissions(1)).isEqualTo(1);
        assertThat(link.logOutageProbability(1)).isLessThan(-20);
        assertThat(link.transmissions(1e9)).isEqualTo(RateChoice.UNBOUNDED);
        assertThat(link.at(1e9).transferSeconds(100)).isInfinite();
        assertThat(link.transmissions(0)).isEqualTo(RateChoice.UNBOUNDED);
        assertThat(link.transmissions(Double.NaN)).isEqualTo(RateChoice.UNBOUNDED);
        // Po just below 1: log1p branch keeps a finite, huge-but-bounded count
        OutageLink weak = new OutageLink(1e6, 1, 0.5);
        assertThat(weak.transmissions(3e6)).isBetween(2L, 10_000L);
    }

    @Test
    void epsilonAndFiguresAreValidated() {
        assertThatThrownBy(() -> new OutageLink(1e6, 10, 0)).isInstanceOf(InvalidPlanInputException.class);
        assertThatThrownBy(() -> new OutageLink(1e6, 10, 1)).isInstanceOf(InvalidPlanInputException.class);
        assertThatThrownBy(() -> new OutageLink(1e6, 10, Double.NaN)).isInstanceOf(InvalidPlanInputException.class);
        assertThatThrownBy(() -> new OutageLink(-1, 10, 1e-3)).isInstanceOf(InvalidPlanInputException.class);
        assertThatThrownBy(() -> new OutageLink(1e6, -1, 1e-3)).isInstanceOf(InvalidPlanInputException.class);
        assertThatThrownBy(() -> new OutageLink(Double.NaN, 1, 1e-3)).isInstanceOf(InvalidPlanInputException.class);
    }

    @Property(tries = 200)
    void optimalRateMinimisesEq1OverADenseGrid(
            @ForAll @DoubleRange(min = 1e4, max = 1e8) double w,
            @ForAll @DoubleRange(min = -10, max = 40) double snrDb,
            @ForAll @DoubleRange(min = -9, max = -0.5) double log10Eps) {
        OutageLink link = OutageLink.ofDb(w, snrDb, Math.pow(10, log10Eps));
        RateChoice best = link.optimalRate();
        assertThat(best.usable()).isTrue();
        assertThat(best.transmissions()).isEqualTo(link.transmissions(best.rateBitsPerSecond()));
        double bestCost = best.transferSeconds(1e6);
        for (int i = 0; i <= 4000; i++) {
            double r = w * Math.pow(10, -6 + 8.0 * i / 4000);
            double cost = link.at(r).transferSeconds(1e6);
            assertThat(bestCost).as("R=%s", r).isLessThanOrEqualTo(cost * (1 + 1e-8));
        }
    }

    @Property(tries = 200)
    void effectiveRateIsNonDecreasingInSnr(
            @ForAll @DoubleRange(min = 1e4, max = 1e8) double w,
            @ForAll @DoubleRange(min = -30, max = 40) double snrDb,
            @ForAll @DoubleRange(min = 0, max = 10) double step) {
        double lo = OutageLink.ofDb(w, snrDb, 1e-3).optimalRate().effectiveRateBitsPerSecond();
        double hi = OutageLink.ofDb(w, snrDb + step, 1e-3).optimalRate().effectiveRateBitsPerSecond();
        assertThat(hi).isGreaterThanOrEqualTo(lo);
    }

    @Test
    void goodputBucketsAreGeometricAndOutageBucketsLinearInDb() {
        var g = LinkSpec.defaultGoodput().bucketList();
        assertThat(g).hasSize(33);
        assertThat(g.get(0).lower()).isZero();
        assertThat(g.get(0).rate().usable()).isFalse();
        assertThat(g.get(1).lower()).isEqualTo(64_000);
        assertThat(g.get(32).upper()).isEqualTo(1e9);
        for (int i = 2; i < g.size(); i++) {
            assertThat(g.get(i).lower() / g.get(i - 1).lower())
                    .isCloseTo(Math.pow(1e9 / 64e3, 1 / 32.0), org.assertj.core.data.Offset.offset(1e-9));
        }
        var s = LinkSpec.outage(1e6, -5, 30, 35, 1e-3).bucketList();
        assertThat(s.get(1).lower()).isEqualTo(-5);
        assertThat(s.get(2).lower()).isEqualTo(-4);
        assertThatThrownBy(() -> LinkSpec.goodput(0, 1e9, 32)).isInstanceOf(InvalidPlanInputException.class);
        assertThatThrownBy(() -> LinkSpec.goodput(1e9, 1e6, 32)).isInstanceOf(InvalidPlanInputException.class);
    }
}
