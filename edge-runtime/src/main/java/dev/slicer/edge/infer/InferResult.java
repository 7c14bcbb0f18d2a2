package dev.slicer.edge.infer;

import dev.slicer.model.split.HostTensor;
import dev.slicer.planner.split.RowKind;
import java.util.Map;

/**
 * The outputs of one request and how they were made.
 *
 * @param outputs graph outputs by name
 * @param kind what ran: the row's kind, or LOCAL_ONLY after a fallback
 * @param split split index used (-1 cloud-only, the candidate count for local-only)
 * @param planHash the plan the row came from ("" for the default)
 * @param fallback the cause when the local fallback answered instead of the back-end
 * @param attempts back-end calls made
 * @param batchSize the back-end's batch size for this request (0 when it did not run there)
 */
public record InferResult(
        Map<String, HostTensor> outputs,
        RowKind kind,
        int split,
        String planHash,
        String fallback,
        int attempts,
        int batchSize) {}
