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
 * @param row the plan row's bucket, -1 without a plan row
 * @param planHash the plan the row came from ("" for the default)
 * @param fallback the cause when the local fallback answered instead of the back-end
 * @param attempts back-end calls made
 * @param timings what this request cost where
 */
public record InferResult(
        Map<String, HostTensor> outputs,
        RowKind kind,
        int split,
        int row,
        String planHash,
        String fallback,
        int attempts,
        Timings timings) {

    /**
     * Per-request measurements (seconds and bytes; zero where a stage did not run).
     *
     * @param front edge front (or the whole model when local)
     * @param encode edge encoding of the shipped tensors
     * @param transfer round trip minus the back-end's own time
     * @param downlink of the transfer, the reply's time on the emulated downlink (0 on a real network, where one call
     *     cannot tell the directions apart)
     * @param backendQueue back-end admission queue wait
     * @param backendDecode back-end frame decoding
     * @param backendCompute back-end tail execution
     * @param batchSize requests in the back-end's batch
     * @param ifRawBytes shipped tensors before the codec
     * @param ifSentBytes shipped tensors after the codec
     */
    public record Timings(
            double front,
            double encode,
            double transfer,
            double downlink,
            double backendQueue,
            double backendDecode,
            double backendCompute,
            int batchSize,
            long ifRawBytes,
            long ifSentBytes) {
        static Timings local(double front) {
            return new Timings(front, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
    }
}
