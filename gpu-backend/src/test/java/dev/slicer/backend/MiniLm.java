package dev.slicer.backend;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.FrameEncoder;
import dev.slicer.codec.SizeBound;
import dev.slicer.codec.TensorShape;
import dev.slicer.model.builtin.BuiltinModels;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.ModelRunner;
import dev.slicer.model.split.SampleInputs;
import dev.slicer.model.split.Split;
import dev.slicer.model.split.SplitCandidate;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.protocol.WireTensors;
import dev.slicer.protocol.v1.InferReply;
import dev.slicer.protocol.v1.InferRequest;
import dev.slicer.protocol.v1.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The real all-MiniLM-L6-v2 on the edge side of the tests: runs the front of a split (or nothing, for cloud-only)
 * and builds the request an edge would send (the big activation as a lossless codec frame, side tensors raw), and
 * runs the unsplit model for the reference outputs.
 */
final class MiniLm {
    /** The split the tests use (a middle encoder layer). */
    static final int SPLIT = 7;

    private static MiniLm instance;

    final SplittableModel model;
    private final ModelRunner full;
    private final Map<Integer, ModelRunner> fronts = new HashMap<>();

    private MiniLm() {
        model = SplittableModel.load(BuiltinModels.MINILM);
        full = new ModelRunner(model.model(), "minilm");
    }

    static synchronized MiniLm get() {
        if (instance == null) {
            instance = new MiniLm();
        }
        return instance;
    }

    /** A request and the unsplit model's outputs for it. */
    record Case(InferRequest request, Map<String, HostTensor> expected) {}

    synchronized Case request(String id, int split, int sequence, long seed) {
        Map<String, HostTensor> inputs =
                SampleInputs.generate(model.model(), new SampleInputs.Dims(1, sequence, 0), seed);
        Map<String, HostTensor> expected = full.run(inputs);
        InferRequest.Builder b = InferRequest.newBuilder()
                .setRequestId(id)
                .setModelId(BuiltinModels.MINILM)
                .setSplit(dev.slicer.protocol.v1.Split.newBuilder().setIndex(split));
        if (split < 0) {
            inputs.forEach((name, t) -> b.addTensors(raw(name, t)));
            return new Case(b.build(), expected);
        }
        SplitCandidate c = model.candidate(split);
        b.getSplitBuilder().setName(c.name());
        Map<String, HostTensor> front = fronts.computeIfAbsent(split, i -> {
                    Split s = model.split(c);
                    return new ModelRunner(s.front(), "front " + i);
                })
                .run(inputs);
        Map<String, HostTensor> available = new LinkedHashMap<>(inputs);
        available.putAll(front);
        for (String name : c.shipped()) {
            HostTensor t = available.get(name);
            b.addTensors(name.equals(c.bigTensor()) ? frame(name, t) : raw(name, t));
        }
        Map<String, HostTensor> tailOutputs = new LinkedHashMap<>(expected);
        c.frontOutputs().forEach(tailOutputs::remove);
        return new Case(b.build(), tailOutputs);
    }

    static Tensor raw(String name, HostTensor t) {
        return Tensor.newBuilder()
                .setName(name)
                .setRaw(WireTensors.encode(t.dataType(), t.shape(), t.data()))
                .build();
    }

    static Tensor frame(String name, HostTensor t) {
        TensorShape shape = TensorShape.of(
                Arrays.stream(t.shape()).mapToInt(Math::toIntExact).toArray());
        CodecSettings lossless = CodecSettings.lossless();
        byte[] dst = new byte[(int) SizeBound.maxFrameBytes(shape, lossless)];
        int n = FrameEncoder.create().encode(t.floats(), 0, shape, lossless, dst, 0);
        return Tensor.newBuilder()
                .setName(name)
                .setFrame(ByteString.copyFrom(dst, 0, n))
                .build();
    }

    /** The reply's outputs equal {@code expected} to float tolerance (same names and shapes). */
    static void assertMatches(InferReply reply, Map<String, HostTensor> expected) {
        Map<String, HostTensor> got = new LinkedHashMap<>();
        for (Tensor t : reply.getOutputsList()) {
            var v = WireTensors.decode(t.getRaw(), Long.MAX_VALUE >> 2);
            got.put(t.getName(), new HostTensor(v.onnxType(), v.shape(), v.data()));
        }
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((name, e) -> {
            HostTensor g = got.get(name);
            assertThat(g.shape()).as(name).containsExactly(e.shape());
            double worst = 0;
            for (int i = 0; i < e.elementCount(); i++) {
                worst = Math.max(worst, Math.abs(g.value(i) - e.value(i)));
            }
            assertThat(worst).as("max |difference| of %s", name).isLessThan(1e-4);
        });
    }
}
