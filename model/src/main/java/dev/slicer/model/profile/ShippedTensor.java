package dev.slicer.model.profile;

import java.util.List;

/**
 * One tensor the edge sends to the back-end at a split.
 *
 * @param name tensor name in the model
 * @param dtype element type ({@code float32}, {@code int64}, ...)
 * @param shape symbolic shape: numbers or {@code batch}, {@code sequence}, {@code past_sequence},
 *     {@code total_sequence}, products such as {@code batch*12}
 * @param bytesPerUnit bytes for one sample (unit {@code sample}) or one token of one sample (unit
 *     {@code token})
 * @param unit {@code token} when the shape grows with the sequence, else {@code sample}
 * @param role {@code activation} for the big float tensor that goes through the codec,
 *     {@code side} for other front activations, {@code input} for graph inputs the back reads
 *     (masks, positions); the last two travel losslessly
 */
public record ShippedTensor(
        String name, String dtype, List<String> shape, long bytesPerUnit, String unit, String role) {
    public static final String UNIT_TOKEN = "token";
    public static final String UNIT_SAMPLE = "sample";
    public static final String ROLE_ACTIVATION = "activation";
    public static final String ROLE_SIDE = "side";
    public static final String ROLE_INPUT = "input";

    public ShippedTensor {
        shape = List.copyOf(shape);
    }
}
