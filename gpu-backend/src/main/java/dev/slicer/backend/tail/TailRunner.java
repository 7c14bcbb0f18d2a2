package dev.slicer.backend.tail;

import dev.slicer.model.split.HostTensor;
import java.util.Map;

/** Runs a tail on one (possibly batched) set of inputs; called from the single compute thread only. */
public interface TailRunner {
    Map<String, HostTensor> run(TailSpec tail, Map<String, HostTensor> inputs);
}
