package dev.slicer.model.quant;

/**
 * Outcome of quantizing the front of a split.
 *
 * @param model model reference
 * @param candidate candidate name the front ends at
 * @param bits 8 or 4
 * @param frontParamBytesBefore float front parameter bytes
 * @param frontParamBytesAfter quantized front parameter bytes
 * @param quantizedWeights number of weights quantized
 * @param activationCosine mean per-sample cosine of the big shipped activation, quantized vs float
 * @param outputCosine mean per-sample cosine of the model output (quantized front + float back vs
 *     the float model), worst over the graph outputs
 * @param samples number of samples evaluated
 */
public record QuantizationReport(
        String model,
        String candidate,
        int bits,
        long frontParamBytesBefore,
        long frontParamBytesAfter,
        int quantizedWeights,
        double activationCosine,
        double outputCosine,
        int samples) {
    public double compression() {
        return frontParamBytesAfter == 0 ? 0 : (double) frontParamBytesBefore / frontParamBytesAfter;
    }
}
