package dev.slicer.backend.config;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** Where ONNX Runtime runs the tails. */
public enum ExecutionProvider {
    CPU,
    /**
     * ONNX Runtime's CUDA provider on device 0; needs the {@code onnxruntime_gpu} artifact ({@code -Pcuda}) and a GPU.
     * Unverified: no machine with a GPU has run it yet.
     */
    CUDA;

    /** Adds this provider to session options (CPU is ONNX Runtime's fallback and needs nothing). */
    public void apply(OrtSession.SessionOptions options) throws OrtException {
        if (this == CUDA) {
            options.addCUDA(0);
        }
    }
}
