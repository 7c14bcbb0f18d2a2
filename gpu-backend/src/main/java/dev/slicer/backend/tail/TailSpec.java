package dev.slicer.backend.tail;

import java.util.List;

/**
 * What the back-end runs for one split: the tail's inputs (the shipped activations, then the graph inputs it
 * reads) and the model outputs it produces. Index -1 is the whole model on the raw graph inputs (cloud-only).
 *
 * @param batchable whether requests can be stacked on axis 0 and padded on sequence axes (every port qualifies)
 */
public record TailSpec(int index, String name, List<Port> inputs, List<Port> outputs, boolean batchable) {
    public static final int WHOLE_MODEL = -1;

    public TailSpec {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    static TailSpec of(int index, String name, List<Port> inputs, List<Port> outputs) {
        boolean batchable =
                inputs.stream().allMatch(Port::batchable) && outputs.stream().allMatch(Port::batchable);
        return new TailSpec(index, name, inputs, outputs, batchable);
    }

    public Port input(String name) {
        for (Port p : inputs) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }
}
