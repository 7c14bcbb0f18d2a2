package dev.slicer.model.split;

import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.ValueInfoProto;
import java.util.List;

/** A front model (graph inputs -> shipped activations) and a back model (shipped + state -> outputs). */
public record Split(SplitCandidate candidate, ModelProto front, ModelProto back) {
    public List<String> frontInputNames() {
        return front.getGraph().getInputList().stream()
                .map(ValueInfoProto::getName)
                .toList();
    }

    public List<String> backInputNames() {
        return back.getGraph().getInputList().stream()
                .map(ValueInfoProto::getName)
                .toList();
    }

    public List<String> frontOutputNames() {
        return front.getGraph().getOutputList().stream()
                .map(ValueInfoProto::getName)
                .toList();
    }

    public List<String> backOutputNames() {
        return back.getGraph().getOutputList().stream()
                .map(ValueInfoProto::getName)
                .toList();
    }
}
