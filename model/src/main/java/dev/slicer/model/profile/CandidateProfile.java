package dev.slicer.model.profile;

import java.util.List;

/**
 * Costs of splitting after one candidate.
 *
 * @param index candidate index
 * @param name candidate name ({@code encoder.layer.3})
 * @param cumulativeParamBytes parameter bytes of the front, {@code m(L_1:l)}
 * @param backParamBytes parameter bytes of the back
 * @param cumulativeGflops GFLOPs of the front at the reference sizes (batch 1)
 * @param shipped every tensor sent edge -> back-end
 * @param shippedBytesPerSample bytes of all shipped tensors for one sample at the reference sizes
 * @param bigTensor name of the activation that goes through the codec
 * @param bigTensorBytesPerSample bytes of that tensor for one sample at the reference sizes
 * @param frontLatencyMs median warm front latency with ONNX Runtime (1 thread, batch 1); -1 if not
 *     measured
 */
public record CandidateProfile(
        int index,
        String name,
        long cumulativeParamBytes,
        long backParamBytes,
        double cumulativeGflops,
        List<ShippedTensor> shipped,
        long shippedBytesPerSample,
        String bigTensor,
        long bigTensorBytesPerSample,
        double frontLatencyMs) {
    public CandidateProfile {
        shipped = List.copyOf(shipped);
    }
}
