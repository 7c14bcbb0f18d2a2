package dev.slicer.model.split;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.slicer.model.InvalidModelException;
import dev.slicer.model.onnx.proto.Onnx.GraphProto;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.NodeProto;
import dev.slicer.model.onnx.proto.Onnx.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the element type and symbolic shape of every tensor by running the model twice, with every
 * intermediate tensor exposed as an output, at two different sets of sizes: a dimension that
 * changes is matched against batch, sequence, past and total lengths.
 */
final class ShapeProbe {
    private ShapeProbe() {}

    static Map<String, TensorInfo> probe(ModelProto model, SampleInputs.Dims ref, SampleInputs.Dims alt, long seed) {
        GraphProto g = model.getGraph();
        Set<String> declared = new HashSet<>();
        g.getOutputList().forEach(o -> declared.add(o.getName()));
        GraphProto.Builder gb = g.toBuilder();
        for (NodeProto n : g.getNodeList()) {
            for (String out : n.getOutputList()) {
                if (!out.isEmpty() && declared.add(out)) {
                    gb.addOutput(ValueInfoProto.newBuilder().setName(out));
                }
            }
        }
        ModelProto all = model.toBuilder().setGraph(gb).build();
        Map<String, HostTensor> inA = SampleInputs.generate(model, ref, seed);
        Map<String, HostTensor> inB = SampleInputs.generate(model, alt, seed + 1);
        Map<String, long[]> shapeA;
        Map<String, long[]> shapeB;
        Map<String, Integer> types = new HashMap<>();
        try (OrtSession s = Ort.session(all.toByteArray(), false)) {
            shapeA = run(s, inA, types);
            shapeB = run(s, inB, types);
        } catch (OrtException e) {
            throw new InvalidModelException("ONNX Runtime cannot run the model: " + e.getMessage(), e);
        }
        Map<String, TensorInfo> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapeA.entrySet()) {
            long[] a = e.getValue();
            long[] b = shapeB.get(e.getKey());
            List<String> dims = new ArrayList<>(a.length);
            for (int i = 0; i < a.length; i++) {
                dims.add(b == null || b.length != a.length ? Long.toString(a[i]) : symbol(a[i], b[i], ref, alt));
            }
            out.put(e.getKey(), new TensorInfo(e.getKey(), types.get(e.getKey()), a, dims));
        }
        return out;
    }

    private static Map<String, long[]> run(OrtSession s, Map<String, HostTensor> inputs, Map<String, Integer> types)
            throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, HostTensor> e : inputs.entrySet()) {
                feeds.put(e.getKey(), e.getValue().toOnnx(env));
                shapes.put(e.getKey(), e.getValue().shape());
                types.put(e.getKey(), e.getValue().dataType());
            }
            try (OrtSession.Result r = s.run(feeds)) {
                for (Map.Entry<String, OnnxValue> e : r) {
                    if (e.getValue() instanceof OnnxTensor t) {
                        shapes.put(e.getKey(), t.getInfo().getShape());
                        types.put(e.getKey(), Ort.onnxType(t.getInfo().onnxType));
                    }
                }
            }
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
        return shapes;
    }

    /** Names a dimension that is {@code a} at the reference sizes and {@code b} at the alternative ones. */
    static String symbol(long a, long b, SampleInputs.Dims ref, SampleInputs.Dims alt) {
        if (a == b) {
            return Long.toString(a);
        }
        List<Object[]> bases = new ArrayList<>();
        bases.add(new Object[] {TensorInfo.SEQUENCE, (long) ref.sequence(), (long) alt.sequence()});
        if (ref.past() > 0) {
            bases.add(new Object[] {TensorInfo.TOTAL, (long) ref.total(), (long) alt.total()});
            bases.add(new Object[] {TensorInfo.PAST, (long) ref.past(), (long) alt.past()});
        }
        bases.add(new Object[] {TensorInfo.BATCH, (long) ref.batch(), (long) alt.batch()});
        bases.add(new Object[] {TensorInfo.HEIGHT, (long) ref.height(), (long) alt.height()});
        bases.add(new Object[] {TensorInfo.WIDTH, (long) ref.width(), (long) alt.width()});
        bases.add(new Object[] {TensorInfo.SAMPLES, (long) ref.samples(), (long) alt.samples()});
        bases.add(new Object[] {
            TensorInfo.BATCH + "*" + TensorInfo.SEQUENCE,
            (long) ref.batch() * ref.sequence(),
            (long) alt.batch() * alt.sequence()
        });
        if (ref.past() > 0) {
            bases.add(new Object[] {
                TensorInfo.BATCH + "*" + TensorInfo.TOTAL,
                (long) ref.batch() * ref.total(),
                (long) alt.batch() * alt.total()
            });
        }
        for (Object[] base : bases) {
            long va = (Long) base[1];
            long vb = (Long) base[2];
            if (va > 0 && va != vb && a % va == 0 && b == (a / va) * vb) {
                long k = a / va;
                return k == 1 ? (String) base[0] : base[0] + "*" + k;
            }
        }
        return "?";
    }
}
