package dev.slicer.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetReportTest {
    /** CPU ms per request: cloud 40, shallow 30, uncompressed 12, slicer 8 at 4 edges (other figures at 1 edge). */
    static FleetReport report() {
        List<FleetPoint> ps = new ArrayList<>();
        double[] at4 = {40, 30, 12, 8};
        for (Strategy s : Strategy.values()) {
            ps.add(new FleetPoint(s, 1, 10, 0, 100, 1, 0.01, 0.02, 1000, 0.999, 0.99));
            ps.add(new FleetPoint(s, 4, 40, 0, at4[s.ordinal()] * 40, 2, 0.02, 0.05, 40 * 1536, 0.995, 0.985));
        }
        return new FleetReport(ps);
    }

    @Test
    void lastLineRatiosComeFromTheLargestEdgeCount() {
        assertEquals(
                "fleet: edges=4 server_time_ratio_cloud_over_slicer=5.00 server_time_ratio_shallow_over_slicer=3.75"
                        + " server_time_ratio_uncompressed_over_slicer=1.50 slicer_uplink_bytes_per_request=1536"
                        + " fidelity=0.9950",
                report().lastLine());
    }

    @Test
    void csvHasOneRowPerPointWithDerivedColumns() {
        String[] lines = report().csv().split("\n");
        assertEquals(FleetReport.CSV_HEADER, lines[0]);
        assertEquals(1 + 8, lines.length);
        // cloud at 4 edges: 1600 ms over 40 requests, 20 req/s, 25 req/s per core
        assertEquals(
                "cloud-only,4,40,0,1600.000,40.0000,2.000,20.000,25.000,20.000,50.000,1536.0,0.995000,0.985000",
                lines[2]);
    }

    @Test
    void markdownTableHasHeaderSeparatorAndOneRowPerPoint() {
        String[] lines = report().markdown().split("\n");
        assertEquals(2 + 8, lines.length);
        assertTrue(lines[1].startsWith("|---|"));
        assertTrue(lines[9].startsWith("| slicer | 4 | 40 | 0 | 8.00 |"), lines[9]);
    }
}
