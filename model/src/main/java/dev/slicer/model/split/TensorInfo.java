package dev.slicer.model.split;

import dev.slicer.model.onnx.DataTypes;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Element type and shape of one tensor as observed by running the model: {@code referenceShape}
 * at the reference sizes, {@code dims} symbolic ({@code batch}, {@code sequence},
 * {@code past_sequence}, {@code total_sequence}, products such as {@code batch*12}, or numbers).
 */
public record TensorInfo(String name, int dataType, long[] referenceShape, List<String> dims) {
    public static final String BATCH = "batch";
    public static final String SEQUENCE = "sequence";
    public static final String PAST = "past_sequence";
    public static final String TOTAL = "total_sequence";
    public static final String HEIGHT = "height";
    public static final String WIDTH = "width";
    public static final String SAMPLES = "samples";

    public TensorInfo {
        referenceShape = referenceShape.clone();
        dims = List.copyOf(dims);
    }

    @Override
    public long[] referenceShape() {
        return referenceShape.clone();
    }

    public long referenceBytes() {
        return DataTypes.bytes(dataType, HostTensor.elementCount(referenceShape));
    }

    public String dtype() {
        return DataTypes.name(dataType);
    }

    /** True when a dimension grows with the number of tokens. */
    public boolean perToken() {
        return dims.stream().anyMatch(d -> d.contains(SEQUENCE));
    }

    /** Bytes with the symbolic dims bound as given; unknown dims keep their reference size. */
    public long bytes(Map<String, Long> symbols) {
        long n = 1;
        for (int i = 0; i < dims.size(); i++) {
            n *= evaluate(dims.get(i), symbols, referenceShape[i]);
        }
        return DataTypes.bytes(dataType, n);
    }

    static long evaluate(String dim, Map<String, Long> symbols, long fallback) {
        long v = 1;
        for (String f : dim.split("\\*")) {
            if (f.chars().allMatch(Character::isDigit) && !f.isEmpty()) {
                v *= Long.parseLong(f);
            } else {
                Long s = symbols.get(f);
                if (s == null) {
                    return fallback;
                }
                v *= s;
            }
        }
        return v;
    }

    @Override
    public String toString() {
        return name + ":" + dtype() + dims + " (" + Arrays.toString(referenceShape) + ")";
    }
}
