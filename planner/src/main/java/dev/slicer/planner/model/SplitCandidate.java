package dev.slicer.planner.model;

import static dev.slicer.planner.InvalidPlanInputException.nonNegative;
import static dev.slicer.planner.InvalidPlanInputException.require;

import java.util.List;

/**
 * What the planner needs to know about one split candidate, in base units (bytes, seconds). Built from a model
 * profile by the CLI or read from a stored profile; the planner core never looks at the model itself.
 *
 * @param index position in the candidate list (0 = shallowest)
 * @param name human name, e.g. {@code encoder.layer.3}
 * @param memoryBytes {@code m(L_1:l)}: cumulative front weights (float network)
 * @param frontSeconds {@code L_d(L_1:l)}: front latency per request on the profiling device (float network)
 * @param compressedMemoryBytes the same for the compressed (int8-weight) front, used for AR local steps
 * @param compressedFrontSeconds the same for the compressed front
 * @param codedShape shape of the large float tensor that goes through the codec (sample input)
 * @param codedBytes its raw size in bytes
 * @param sideBytes bytes of the small tensors shipped losslessly beside it (masks, positions)
 * @param kvBytesPerPosition KV-cache bytes the front holds per sequence position (decoders: its layers' keys and
 *     values; 0 for models without a KV cache)
 */
public record SplitCandidate(
        int index,
        String name,
        long memoryBytes,
        double frontSeconds,
        long compressedMemoryBytes,
        double compressedFrontSeconds,
        List<Integer> codedShape,
        long codedBytes,
        long sideBytes,
        long kvBytesPerPosition) {

    /** A candidate without a KV cache. */
    public SplitCandidate(
            int index,
            String name,
            long memoryBytes,
            double frontSeconds,
            long compressedMemoryBytes,
            double compressedFrontSeconds,
            List<Integer> codedShape,
            long codedBytes,
            long sideBytes) {
        this(
                index,
                name,
                memoryBytes,
                frontSeconds,
                compressedMemoryBytes,
                compressedFrontSeconds,
                codedShape,
                codedBytes,
                sideBytes,
                0);
    }

    public SplitCandidate {
        require(index >= 0, "candidate index must be >= 0, got " + index);
        require(name != null && !name.isBlank(), "candidate " + index + " has no name");
        String what = "candidate " + index + " (" + name + ") ";
        nonNegative(memoryBytes, what + "memory");
        nonNegative(frontSeconds, what + "front latency");
        nonNegative(compressedMemoryBytes, what + "compressed memory");
        nonNegative(compressedFrontSeconds, what + "compressed front latency");
        nonNegative(codedBytes, what + "coded tensor bytes");
        nonNegative(sideBytes, what + "side tensor bytes");
        nonNegative(kvBytesPerPosition, what + "KV-cache bytes per position");
        require(codedShape != null && !codedShape.isEmpty(), what + "has no coded tensor shape");
        codedShape = List.copyOf(codedShape);
        long elements = 1;
        for (int d : codedShape) {
            require(d >= 1, what + "has a non-positive dimension in " + codedShape);
            elements = Math.multiplyExact(elements, d);
        }
        require(elements <= Integer.MAX_VALUE - 8, what + "coded tensor too large: " + elements + " elements");
    }

    /** Elements of the coded tensor. */
    public long codedElements() {
        long n = 1;
        for (int d : codedShape) {
            n *= d;
        }
        return n;
    }

    /** Last dimension: one token's hidden size for a decoder. */
    public int hiddenSize() {
        return codedShape.get(codedShape.size() - 1);
    }

    /** Number of rows (tokens) of the sample tensor: product of all but the last dimension. */
    public long sampleRows() {
        return codedElements() / hiddenSize();
    }
}
