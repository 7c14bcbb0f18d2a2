package dev.slicer.model.cli;

import dev.slicer.model.onnx.AtomicFiles;
import dev.slicer.model.profile.ModelProfile;
import dev.slicer.model.profile.ModelProfiler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "profile",
        mixinStandardHelpOptions = true,
        description = "Write the per-candidate model profile (the planner's input) as JSON.")
final class ProfileCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "MODEL",
            description = "builtin:minilm|tiny-resnet|tiny-llama, a file or a URL")
    String model;

    @picocli.CommandLine.Mixin
    InputOptions inputOptions = new InputOptions();

    @Option(names = "--out", paramLabel = "FILE", description = "Output file (default: standard output).")
    Path out;

    @Option(names = "--no-latency", description = "Skip measuring front latency.")
    boolean noLatency;

    @Override
    public Integer call() {
        ModelProfile p = ModelProfiler.profile(
                inputOptions.load(model), noLatency ? ModelProfiler.Options.NO_LATENCY : ModelProfiler.Options.DEFAULT);
        String json = p.toJson();
        if (out == null) {
            spec.commandLine().getOut().println(json);
        } else {
            try {
                AtomicFiles.write(out, o -> o.write(json.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
            }
        }
        return 0;
    }
}
