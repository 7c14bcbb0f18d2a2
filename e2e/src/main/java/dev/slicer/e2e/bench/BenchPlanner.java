package dev.slicer.e2e.bench;

import dev.slicer.e2e.CachedProfile;
import dev.slicer.planner.cli.PlanCli;
import dev.slicer.planner.plan.Plan;
import dev.slicer.planner.plan.PlanJson;
import dev.slicer.planner.search.Objective;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The planner inputs the benchmarks plan with, and the planning itself (picocli mixin): {@code slicer plan} for one
 * device class, from a profile made once per work directory and model (profiling and calibrating takes a minute).
 */
final class BenchPlanner {
    @Option(names = "--model", description = "model URI (default builtin:minilm; with --ar builtin:tiny-llama)")
    String model;

    @Option(
            names = "--latency",
            defaultValue = "200ms",
            description = "planner latency budget (default ${DEFAULT-VALUE})")
    String latency;

    @Option(
            names = "--memory",
            description = "planner edge memory budget (default 86Mi; with --ar 200Ki, below the quantized decoder)")
    String memory;

    @Option(
            names = "--min-fidelity",
            defaultValue = "0.98",
            description = "planner fidelity floor (default ${DEFAULT-VALUE})")
    double minFidelity;

    @Option(
            names = "--objective",
            defaultValue = "FIDELITY",
            description = "planner knob objective: FIDELITY (compress only as much as the link needs) or BYTES (the"
                    + " fewest bytes that meet the floor) (default ${DEFAULT-VALUE})")
    Objective objective;

    /** Autoregressive planning inputs (eqs. 4-6): tokens generated, prompt length, per-step offload buffer. */
    record Autoregressive(int tokens, int promptTokens, String arMemory) {}

    /** Planned with eqs. 4-6 when set ({@code --ar}); single-shot otherwise. */
    Autoregressive autoregressive;

    /** The model: as given, else the benchmark's default for the workload. */
    String model() {
        return model != null ? model : autoregressive != null ? "builtin:tiny-llama" : "builtin:minilm";
    }

    String memory() {
        return memory != null ? memory : autoregressive != null ? "200Ki" : "86Mi";
    }

    /**
     * Plans {@code deviceClass} into {@code work/planner-plan.json}.
     *
     * @param profile a profile to plan from, or {@code null}: the work directory's cached one, made on first use
     */
    Plan plan(Path work, Path profile, String deviceClass, PrintStream log) throws Exception {
        Path out = work.resolve("planner-plan.json");
        String model = model();
        Path cached = work.resolve("profile-" + model.replaceAll("[^A-Za-z0-9._-]", "_") + ".json");
        List<String> args = new ArrayList<>(
                profile != null
                        ? List.of("--profile", profile.toString())
                        : CachedProfile.usable(cached, log)
                                ? List.of("--profile", cached.toString())
                                : List.of("--model", model, "--save-profile", cached.toString()));
        log.println("planner: " + String.join(" ", args) + " (profiling takes a minute the first time)");
        args.addAll(List.of(
                "--latency",
                latency,
                "--memory",
                memory(),
                "--min-fidelity",
                Double.toString(minFidelity),
                "--objective",
                objective.name(),
                "--device-class",
                deviceClass,
                "--out",
                out.toString()));
        if (autoregressive != null) {
            args.addAll(List.of(
                    "--ar",
                    "--tokens",
                    Integer.toString(autoregressive.tokens()),
                    "--prompt-tokens",
                    Integer.toString(autoregressive.promptTokens()),
                    "--ar-memory",
                    autoregressive.arMemory()));
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PlanCli.run(
                args.toArray(String[]::new),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        if (code != 0) {
            throw new IllegalStateException("slicer plan failed: " + err.toString(StandardCharsets.UTF_8));
        }
        return PlanJson.readPlan(Files.readString(out));
    }
}
