package dev.slicer.model.split;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Runs a split: the front on the graph inputs, then a pluggable transform of the big shipped
 * activation (identity for verification, a codec round trip for rate-distortion), then the back on
 * the shipped tensors plus the graph inputs it reads. Returns all graph outputs (front and back).
 */
public final class SplitRunner implements AutoCloseable {
    private final Split split;
    private final ModelRunner front;
    private final ModelRunner back;

    public SplitRunner(Split split) {
        this.split = split;
        this.front =
                new ModelRunner(split.front(), "front of " + split.candidate().name());
        ModelRunner b;
        try {
            b = new ModelRunner(split.back(), "back of " + split.candidate().name());
        } catch (RuntimeException e) {
            front.close();
            throw e;
        }
        this.back = b;
    }

    public Split split() {
        return split;
    }

    /** Front outputs: shipped activations and the graph outputs the front owns. */
    public Map<String, HostTensor> runFront(Map<String, HostTensor> inputs) {
        return front.run(inputs);
    }

    /** The big float activation the front ships for these inputs (for codec calibration). */
    public HostTensor bigActivation(Map<String, HostTensor> inputs) {
        return runFront(inputs).get(split.candidate().bigTensor());
    }

    /** Back outputs from front outputs and the original inputs. */
    public Map<String, HostTensor> runBack(Map<String, HostTensor> frontOutputs, Map<String, HostTensor> inputs) {
        Map<String, HostTensor> available = new LinkedHashMap<>(inputs);
        available.putAll(frontOutputs);
        return back.run(available);
    }

    /** Front, transform of the big activation, back; graph outputs in any order. */
    public Map<String, HostTensor> run(Map<String, HostTensor> inputs, UnaryOperator<HostTensor> bigTransform) {
        Map<String, HostTensor> f = new LinkedHashMap<>(runFront(inputs));
        String big = split.candidate().bigTensor();
        HostTensor shipped = f.get(big);
        HostTensor received = bigTransform.apply(shipped);
        if (received == null || !java.util.Arrays.equals(received.shape(), shipped.shape())) {
            throw new IllegalArgumentException("transform of '" + big + "' must keep shape " + shipped);
        }
        f.put(big, received);
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (String o : split.candidate().frontOutputs()) {
            out.put(o, f.get(o));
        }
        out.putAll(runBack(f, inputs));
        return out;
    }

    @Override
    public void close() {
        try {
            front.close();
        } finally {
            back.close();
        }
    }
}
