package dev.slicer.planner.plan;

import dev.slicer.planner.InvalidPlanInputException;
import java.util.List;

/**
 * The rate-indexed table of one device class. Rows are sorted by {@code lower}; row 0 catches everything below the
 * nominal range, the last row everything above.
 *
 * @param deviceClass the class and the budgets the table was made for
 * @param rows one row per bucket
 */
public record DeviceClassTable(DeviceClass deviceClass, List<PlanRow> rows) {

    public DeviceClassTable {
        InvalidPlanInputException.require(deviceClass != null, "table without device class");
        InvalidPlanInputException.require(rows != null && !rows.isEmpty(), "table without rows");
        rows = List.copyOf(rows);
        for (int i = 1; i < rows.size(); i++) {
            InvalidPlanInputException.require(
                    rows.get(i).lower() > rows.get(i - 1).lower(), "rows must be sorted by lower bound");
        }
    }

    /**
     * The row for a measurement on the table's axis (bit/s or dB): binary search for the last row whose lower
     * bound is at most the measurement. Never throws: NaN or anything below the range gives row 0, anything above
     * gives the last row.
     */
    public PlanRow lookup(double measured) {
        if (!(measured >= rows.get(0).lower())) {
            return rows.get(0);
        }
        int lo = 0;
        int hi = rows.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (rows.get(mid).lower() <= measured) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return rows.get(lo);
    }
}
