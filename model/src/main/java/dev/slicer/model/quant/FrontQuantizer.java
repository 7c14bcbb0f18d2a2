package dev.slicer.model.quant;

import dev.slicer.model.onnx.OnnxIo;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.ModelRunner;
import dev.slicer.model.split.SampleInputs;
import dev.slicer.model.split.Split;
import dev.slicer.model.split.SplitCandidate;
import dev.slicer.model.split.SplittableModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Quantizes the front of a split and measures size and fidelity against the float model. */
public final class FrontQuantizer {
    /** Samples and sequence length of the fidelity check. */
    public static final int EVAL_BATCH = 16;

    public static final int EVAL_SEQUENCE = 32;

    private FrontQuantizer() {}

    /** Quantized front model plus its report. */
    public record Outcome(WeightQuantizer.Result quantized, QuantizationReport report) {}

    public static Outcome quantize(SplittableModel m, SplitCandidate c, int bits) {
        Split split = m.split(c);
        WeightQuantizer.Result q = WeightQuantizer.quantize(split.front(), bits);
        SampleInputs.Dims ref = m.referenceDims();
        SampleInputs.Dims dims = new SampleInputs.Dims(
                EVAL_BATCH,
                EVAL_SEQUENCE,
                ref.past(),
                ref.height(),
                ref.width(),
                ref.samples(),
                ref.shapes(),
                ref.values());
        Map<String, HostTensor> inputs = SampleInputs.generate(m.model(), dims, 5);
        // given samples set the batch (their leading dimension), else EVAL_BATCH invented rows
        int evaluated = dims.values().values().stream()
                .filter(t -> t.shape().length > 0)
                .mapToInt(t -> (int) t.shape()[0])
                .findFirst()
                .orElse(EVAL_BATCH);
        Map<String, HostTensor> floatFront;
        Map<String, HostTensor> quantFront;
        try (ModelRunner f = new ModelRunner(split.front(), "float front of " + c.name());
                ModelRunner qf = new ModelRunner(q.model(), "quantized front of " + c.name())) {
            floatFront = f.run(inputs);
            quantFront = qf.run(inputs);
        }
        Map<String, HostTensor> reference;
        try (ModelRunner full = new ModelRunner(m.model(), m.name())) {
            reference = full.run(inputs);
        }
        Map<String, HostTensor> outputs = new LinkedHashMap<>();
        for (String o : c.frontOutputs()) {
            outputs.put(o, quantFront.get(o));
        }
        try (ModelRunner back = new ModelRunner(split.back(), "back of " + c.name())) {
            Map<String, HostTensor> available = new LinkedHashMap<>(inputs);
            available.putAll(quantFront);
            outputs.putAll(back.run(available));
        }
        double actCos = meanCosine(floatFront.get(c.bigTensor()), quantFront.get(c.bigTensor()));
        double outCos = 1;
        for (Map.Entry<String, HostTensor> e : reference.entrySet()) {
            outCos = Math.min(outCos, meanCosine(e.getValue(), outputs.get(e.getKey())));
        }
        QuantizationReport r = new QuantizationReport(
                m.name(),
                c.name(),
                bits,
                q.paramBytesBefore(),
                q.paramBytesAfter(),
                q.quantizedWeights(),
                actCos,
                outCos,
                evaluated);
        return new Outcome(q, r);
    }

    /** Writes the quantized front atomically. */
    public static void write(Outcome o, Path out) {
        try {
            OnnxIo.save(o.quantized().model(), out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    /** Cosine similarity per sample (leading dimension), averaged. */
    public static double meanCosine(HostTensor a, HostTensor b) {
        long[] shape = a.shape();
        int rows = shape.length == 0 ? 1 : (int) shape[0];
        int n = Math.toIntExact(a.elementCount());
        int per = rows == 0 ? 0 : n / rows;
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int i = r * per; i < (r + 1) * per; i++) {
                double x = a.value(i);
                double y = b.value(i);
                dot += x * y;
                na += x * x;
                nb += y * y;
            }
            sum += (na == 0 && nb == 0) ? 1 : dot / Math.sqrt(Math.max(na * nb, Double.MIN_NORMAL));
        }
        return rows == 0 ? 1 : sum / rows;
    }
}
