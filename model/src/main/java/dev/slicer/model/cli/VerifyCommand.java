package dev.slicer.model.cli;

import dev.slicer.model.split.SplitVerifier;
import dev.slicer.model.split.SplittableModel;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = "Split at every candidate, run front then back with lossless transfer and compare"
                + " with the full model (exact = within 1e-6 + 1e-4 x each output's largest magnitude).")
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "MODEL",
            description = "builtin:minilm|tiny-resnet|tiny-llama, a file or a URL")
    String model;

    @picocli.CommandLine.Mixin
    InputOptions inputOptions = new InputOptions();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SplittableModel m = inputOptions.load(model);
        for (String note : m.inputNotes()) {
            out.println("input " + note);
        }
        m.specializationNotes().forEach(n -> out.println("note: " + n));
        SplitVerifier.Report r = SplitVerifier.verify(m, m.candidates(), res -> {
            out.printf(
                    Locale.ROOT,
                    "%3d  %-32s %-6s max_abs_diff=%.3g tolerance=%.3g%n",
                    res.candidate().index(),
                    res.candidate().name(),
                    res.exact() ? "exact" : "DIFF",
                    res.maxAbsDiff(),
                    res.tolerance());
            out.flush();
        });
        m.noCandidateReason().ifPresent(why -> out.println("no split candidate: " + why));
        if (m.noCandidateReason().isEmpty()) {
            m.opaqueSubgraph().ifPresent(why -> out.println("note: " + why));
        }
        out.println(r.summaryLine());
        return r.allExact() ? 0 : 1;
    }
}
