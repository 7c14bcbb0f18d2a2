package dev.slicer.model.split;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.slicer.model.InvalidModelException;
import dev.slicer.model.ModelException;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs one ONNX model with ONNX Runtime on host tensors; feeds only the inputs the model declares. */
public final class ModelRunner implements AutoCloseable {
    private final OrtSession session;
    private final String label;

    public ModelRunner(ModelProto model, String label) {
        this(model, label, opts -> {});
    }

    /** A runner whose session options get {@code customizer} (execution provider, threads) before creation. */
    public ModelRunner(ModelProto model, String label, Ort.OptionsCustomizer customizer) {
        this.label = label;
        try {
            this.session = Ort.session(model.toByteArray(), true, customizer);
        } catch (OrtException e) {
            throw new InvalidModelException("ONNX Runtime cannot load " + label + ": " + e.getMessage(), e);
        }
    }

    public java.util.Set<String> inputNames() {
        return session.getInputNames();
    }

    public java.util.Set<String> outputNames() {
        return session.getOutputNames();
    }

    /** Runs the model; {@code available} may hold more tensors than the model reads. */
    public Map<String, HostTensor> run(Map<String, HostTensor> available) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (String in : session.getInputNames()) {
                HostTensor t = available.get(in);
                if (t == null) {
                    throw new ModelException(label + " needs input '" + in + "' which was not provided");
                }
                feeds.put(in, t.toOnnx(env));
            }
            Map<String, HostTensor> out = new LinkedHashMap<>();
            try (OrtSession.Result r = session.run(feeds)) {
                for (Map.Entry<String, OnnxValue> e : r) {
                    out.put(e.getKey(), HostTensor.fromOnnx((OnnxTensor) e.getValue()));
                }
            }
            return out;
        } catch (OrtException e) {
            throw new ModelException(label + " failed in ONNX Runtime: " + e.getMessage(), e);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new ModelException("cannot close session of " + label + ": " + e.getMessage(), e);
        }
    }
}
