package dev.slicer.edge.plan;

import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.DType;
import dev.slicer.planner.plan.PlanRow;
import dev.slicer.planner.split.RowKind;
import java.util.Optional;

/**
 * What one request does: the row's kind, split and codec settings.
 *
 * @param kind cloud-only, split or local-only
 * @param split candidate index; -1 for cloud-only, the candidate count for local-only
 * @param splitName candidate name, {@code cloud} or {@code local}
 * @param codec the codec settings of the row's theta (lossless when the row carries none)
 * @param wire the element type the feature crosses the network as (fp16 for a lossless-half theta, else fp32)
 * @param row the plan row, empty for the configured default
 */
public record RowChoice(
        RowKind kind, int split, String splitName, CodecSettings codec, DType wire, Optional<PlanRow> row) {
    /** The safe default without a plan: cloud-only, the back-end runs the whole model on the raw inputs. */
    public static final RowChoice CLOUD_ONLY =
            new RowChoice(RowKind.CLOUD_ONLY, -1, "cloud", CodecSettings.lossless(), DType.FP32, Optional.empty());

    public static RowChoice of(PlanRow row) {
        if (row.theta() == null) {
            return new RowChoice(
                    row.kind(), row.split(), row.splitName(), CodecSettings.lossless(), DType.FP32, Optional.of(row));
        }
        return new RowChoice(
                row.kind(),
                row.split(),
                row.splitName(),
                row.theta().toCodecSettings(),
                row.theta().wireDtype(),
                Optional.of(row));
    }
}
