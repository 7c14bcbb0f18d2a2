package dev.slicer.operator.planning;

/**
 * The plan row a device class uses at its current link quality.
 *
 * @param offloadStep AR decoding step w of the offload, {@code null} in single-shot mode
 * @param backendSecondsPerRequest back-end compute one request of this class costs under this row
 */
public record ClassPlan(
        String name,
        String split,
        int splitLayer,
        Integer offloadStep,
        double linkRateBytesPerSecond,
        long predictedBytes,
        Double predictedLatencySeconds,
        double backendSecondsPerRequest) {}
