package dev.slicer.planner.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.slicer.planner.search.Theta;
import dev.slicer.planner.split.RowKind;

/**
 * One row of a device class's table: what an edge does while its link reads within {@code [lower, upper)}.
 *
 * @param bucket 0 = below the nominal range, then 1..buckets ascending
 * @param lower lower bucket bound on the table's axis (bit/s, or dB for SNR tables); the row was planned here
 * @param upper upper bucket bound; the last row also serves everything above
 * @param rateBitsPerSecond transmission rate R the row assumes (the goodput, or the eq. 1 optimal rate)
 * @param transmissions {@code ceil(ln eps / ln Po(R))} (1 for goodput links; 0 when the link cannot deliver)
 * @param effectiveRateBitsPerSecond {@code R / transmissions}
 * @param kind SPLIT, LOCAL_ONLY, CLOUD_ONLY or UNAVAILABLE
 * @param split candidate index; -1 for cloud-only and unavailable, the candidate count for local-only
 * @param splitName candidate name, {@code cloud}, {@code local} or {@code unavailable}
 * @param w AR hand-off step (1-based); 1 for single-shot offloading rows, 0 for local-only
 * @param theta codec knobs; null when nothing is coded
 * @param predictedBytes predicted upload bytes per request (hand-off frame for AR)
 * @param predictedLatencySeconds predicted latency (eq. 2 / eq. 5 / local compute; D for UNAVAILABLE rows);
 *     always finite (null only in plans written before rows got a reason)
 * @param predictedFidelity predicted output fidelity of the chosen knobs
 * @param reason why the row is what it is (which budget binds; for fallbacks, what is given up)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PlanRow(
        int bucket,
        double lower,
        double upper,
        double rateBitsPerSecond,
        long transmissions,
        double effectiveRateBitsPerSecond,
        RowKind kind,
        int split,
        String splitName,
        int w,
        Theta theta,
        long predictedBytes,
        Double predictedLatencySeconds,
        double predictedFidelity,
        String reason) {}
