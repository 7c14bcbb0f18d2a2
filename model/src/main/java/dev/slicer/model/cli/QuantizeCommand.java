package dev.slicer.model.cli;

import dev.slicer.model.quant.FrontQuantizer;
import dev.slicer.model.quant.QuantizationReport;
import dev.slicer.model.split.SplitCandidate;
import dev.slicer.model.split.SplittableModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "quantize",
        mixinStandardHelpOptions = true,
        description = "Write the front up to a candidate with weight-only int8 (or int4) weights and report"
                + " parameter bytes before/after and output cosine similarity against the float model.")
final class QuantizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "MODEL",
            description = "builtin:minilm|tiny-resnet|tiny-llama, a file or a URL")
    String model;

    @picocli.CommandLine.Mixin
    InputOptions inputOptions = new InputOptions();

    @Option(names = "--front", required = true, paramLabel = "L", description = "Candidate index or name.")
    String front;

    @Option(names = "--out", paramLabel = "FILE", description = "Output file (default: front-<L>-int<bits>.onnx).")
    Path out;

    @Option(names = "--bits", defaultValue = "8", description = "8 (DequantizeLinear) or 4 (MatMulNBits).")
    int bits;

    @Override
    public Integer call() {
        if (bits != 8 && bits != 4) {
            throw new IllegalArgumentException("--bits must be 8 or 4, got " + bits);
        }
        PrintWriter w = spec.commandLine().getOut();
        SplittableModel m = inputOptions.load(model);
        SplitCandidate c = m.candidate(front);
        FrontQuantizer.Outcome o = FrontQuantizer.quantize(m, c, bits);
        Path target = out != null ? out : Path.of("front-" + c.name() + "-int" + bits + ".onnx");
        FrontQuantizer.write(o, target);
        QuantizationReport r = o.report();
        w.printf(
                Locale.ROOT,
                "front: candidate %d %s, %d weights quantized to int%d%n",
                c.index(),
                c.name(),
                r.quantizedWeights(),
                bits);
        o.quantized().notes().forEach(n -> w.println("note: " + n));
        w.printf(
                Locale.ROOT,
                "front param bytes: %d -> %d (%.2fx smaller)%n",
                r.frontParamBytesBefore(),
                r.frontParamBytesAfter(),
                r.compression());
        w.printf(Locale.ROOT, "activation cosine vs float: %.5f (%d samples)%n", r.activationCosine(), r.samples());
        w.printf(Locale.ROOT, "output cosine vs float: %.5f%n", r.outputCosine());
        w.printf("wrote %s%n", target);
        return 0;
    }
}
