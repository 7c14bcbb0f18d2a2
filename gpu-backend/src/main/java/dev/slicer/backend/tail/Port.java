package dev.slicer.backend.tail;

import dev.slicer.model.split.TensorInfo;
import java.util.List;

/**
 * One input or output of a tail: its name, ONNX element type and symbolic dims as the model module observed them
 * ({@code batch}, {@code sequence}, numbers, or other expressions).
 */
public record Port(String name, int dataType, List<String> dims) {
    public Port {
        dims = List.copyOf(dims);
    }

    static Port of(String name, TensorInfo info) {
        return info == null ? new Port(name, 0, List.of()) : new Port(name, info.dataType(), info.dims());
    }

    /** Batch on axis 0, every other axis the sequence or a constant: requests can be stacked and padded. */
    public boolean batchable() {
        if (dims.isEmpty() || !dims.get(0).equals(TensorInfo.BATCH)) {
            return false;
        }
        return dims.subList(1, dims.size()).stream().allMatch(d -> isSequence(d) || isConstant(d));
    }

    public boolean isSequence(int axis) {
        return isSequence(dims.get(axis));
    }

    private static boolean isSequence(String d) {
        return d.equals(TensorInfo.SEQUENCE);
    }

    private static boolean isConstant(String d) {
        return !d.isEmpty() && d.chars().allMatch(Character::isDigit);
    }
}
