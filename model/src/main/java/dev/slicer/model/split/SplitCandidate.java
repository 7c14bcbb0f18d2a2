package dev.slicer.model.split;

import java.util.List;

/**
 * A position in the topological order after which the model can be cut.
 *
 * @param index candidate number in {@link SplittableModel#candidates()} (-1 for a user-named tensor)
 * @param name human name from node-name prefixes ({@code encoder.layer.3}) or the tensor name
 * @param position index of the last front node in the topological order
 * @param nodeName name of that node
 * @param bigTensor the large float activation shipped through the codec
 * @param activations every tensor the front computes and ships (big one first)
 * @param sideInputs graph inputs the back still reads, shipped losslessly (masks, positions)
 * @param backState graph inputs owned by the back (KV cache of layers after the split)
 * @param frontOutputs graph outputs the front produces (e.g. KV cache of layers up to the split)
 */
public record SplitCandidate(
        int index,
        String name,
        int position,
        String nodeName,
        String bigTensor,
        List<String> activations,
        List<String> sideInputs,
        List<String> backState,
        List<String> frontOutputs) {
    public SplitCandidate {
        activations = List.copyOf(activations);
        sideInputs = List.copyOf(sideInputs);
        backState = List.copyOf(backState);
        frontOutputs = List.copyOf(frontOutputs);
    }

    /** Tensors that travel from edge to back-end: activations then side inputs. */
    public List<String> shipped() {
        List<String> s = new java.util.ArrayList<>(activations);
        s.addAll(sideInputs);
        return List.copyOf(s);
    }
}
