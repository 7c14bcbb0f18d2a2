package dev.slicer.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.planner.cost.CostTable;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.plan.DeviceClass;
import dev.slicer.planner.plan.DeviceClassTable;
import dev.slicer.planner.plan.PlanRow;
import dev.slicer.planner.search.KnobGrid;
import dev.slicer.planner.search.Objective;
import dev.slicer.planner.split.RowKind;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The BYTES objective changes only the knobs: every row keeps the FIDELITY plan's kind and split, meets every
 * constraint (the independent evaluator), never sends more bytes, and stays at or above the floor.
 */
class ObjectiveTest {
    private static final KnobGrid GRID = Fixtures.smallGrid();

    @Test
    void fewestBytesKeepsTheSplitAndTheConstraintsAndNeverSendsMore() {
        int cheaper = 0;
        for (long seed = 0; seed < 300; seed++) {
            Random r = new Random(seed);
            SplitProfile p = Fixtures.profile(r, 8, GRID);
            DeviceClass fidelity = Fixtures.deviceClass(r, seed % 3 == 0);
            DeviceClass bytes = new DeviceClass(
                    fidelity.name(),
                    fidelity.budgets().withObjective(Objective.BYTES),
                    fidelity.link(),
                    fidelity.computeScale());
            CostTable costs =
                    CostTable.build(p, Fixtures.SIZE, fidelity.budgets().ar());
            List<PlanRow> a = Planner.planDeviceClass(costs, fidelity).rows();
            DeviceClassTable tb = Planner.planDeviceClass(costs, bytes);
            List<PlanRow> b = tb.rows();
            ConstraintEvaluator eval = new ConstraintEvaluator(p, GRID.thetas(), Fixtures.SIZE, bytes);
            assertThat(b).hasSameSizeAs(a);
            for (int i = 0; i < a.size(); i++) {
                PlanRow x = a.get(i);
                PlanRow y = b.get(i);
                assertThat(eval.check(y)).as("seed %d row %s", seed, y).isEmpty();
                assertThat(y.kind()).as("seed %d bucket %d", seed, i).isEqualTo(x.kind());
                assertThat(y.split()).as("seed %d bucket %d", seed, i).isEqualTo(x.split());
                assertThat(y.predictedBytes()).as("seed %d bucket %d", seed, i).isLessThanOrEqualTo(x.predictedBytes());
                if (y.kind() == RowKind.SPLIT) {
                    assertThat(y.predictedFidelity())
                            .isGreaterThanOrEqualTo(bytes.budgets().minFidelity());
                }
                if (y.predictedBytes() < x.predictedBytes()) {
                    cheaper++;
                }
            }
        }
        assertThat(cheaper).as("rows where the objective made a difference").isPositive();
    }
}
