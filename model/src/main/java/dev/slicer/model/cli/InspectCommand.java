package dev.slicer.model.cli;

import dev.slicer.model.profile.CandidateProfile;
import dev.slicer.model.profile.ModelProfile;
import dev.slicer.model.profile.ModelProfiler;
import dev.slicer.model.profile.ShippedTensor;
import dev.slicer.model.split.SplittableModel;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = "One row per split candidate: index, name, shipped tensors and bytes, cumulative"
                + " parameter MB, GFLOPs and measured front latency.")
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "MODEL",
            description = "builtin:minilm|tiny-resnet|tiny-llama, a file or a URL")
    String model;

    @picocli.CommandLine.Mixin
    InputOptions inputOptions = new InputOptions();

    @Option(names = "--no-latency", description = "Skip measuring front latency.")
    boolean noLatency;

    @Option(names = "--runs", defaultValue = "7", description = "Timed runs per candidate (median reported).")
    int runs;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SplittableModel m = inputOptions.load(model);
        ModelProfile p = ModelProfiler.profile(
                m, noLatency ? ModelProfiler.Options.NO_LATENCY : new ModelProfiler.Options(true, 2, runs));
        out.printf(
                Locale.ROOT,
                "model %s: %d nodes, %s parameters, %.3f GFLOPs at batch 1, sequence %d%s%n",
                model,
                m.graph().size(),
                Format.bytes(p.totalParamBytes()),
                p.totalGflops(),
                p.referenceSequence(),
                p.kvCache() ? ", past " + p.referencePast() + " (KV cache)" : "");
        p.inputs().forEach(i -> out.println("input " + i));
        out.printf(
                Locale.ROOT,
                "%3s  %-28s %-44s %12s %9s %8s %9s%n",
                "idx",
                "name",
                "shipped (activation; lossless side)",
                "bytes/sample",
                "param MB",
                "GFLOPs",
                "front ms");
        for (CandidateProfile c : p.candidates()) {
            out.printf(
                    Locale.ROOT,
                    "%3d  %-28s %-44s %12d %9s %8.4f %9s%n",
                    c.index(),
                    c.name(),
                    shipped(c),
                    c.shippedBytesPerSample(),
                    Format.mb(c.cumulativeParamBytes()),
                    c.cumulativeGflops(),
                    c.frontLatencyMs() < 0 ? "-" : String.format(Locale.ROOT, "%.3f", c.frontLatencyMs()));
        }
        p.warnings().forEach(w -> out.println("warning: " + w));
        return 0;
    }

    private static String shipped(CandidateProfile c) {
        StringBuilder sb = new StringBuilder();
        for (ShippedTensor t : c.shipped()) {
            if (t.role().equals(ShippedTensor.ROLE_ACTIVATION)) {
                sb.insert(0, t.dtype() + t.shape().toString().replace(" ", ""));
            } else {
                sb.append(sb.indexOf(";") < 0 ? "; " : ",").append(shortName(t.name()));
            }
        }
        return sb.toString();
    }

    private static String shortName(String n) {
        return n.length() > 24 ? "…" + n.substring(n.length() - 23) : n;
    }
}
