package dev.slicer.planner.cli;

import dev.slicer.planner.InvalidPlanInputException;
import dev.slicer.planner.link.LinkSpec;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.model.SyntheticProfiles;
import dev.slicer.planner.plan.DeviceClass;
import dev.slicer.planner.plan.PlanJson;
import dev.slicer.planner.search.KnobGrid;
import dev.slicer.planner.search.Objective;
import dev.slicer.planner.split.ArBudget;
import dev.slicer.planner.split.Budgets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options {@code slicer plan} and {@code slicer plan check} share: model or profile, budgets, link, floor. */
final class PlanOptions {
    @Option(
            names = "--model",
            description = "builtin:minilm | builtin:tiny-resnet | builtin:tiny-llama | path.onnx | synthetic:N")
    String model;

    @Option(names = "--profile", description = "stored profile JSON (from 'slicer plan calibrate'); skips profiling")
    Path profile;

    @Option(names = "--latency", description = "latency budget D, e.g. 50ms")
    String latency;

    @Option(names = "--memory", description = "edge memory budget M, e.g. 512Mi")
    String memory;

    @Option(
            names = "--queue-delay",
            defaultValue = "0ms",
            description = "back-end queueing delay taken off D for offloading rows (default ${DEFAULT-VALUE})")
    String queueDelay;

    @Option(names = "--ar", description = "autoregressive decoding (eqs. 4-6)")
    boolean ar;

    @Option(names = "--tokens", defaultValue = "64", description = "AR: tokens to generate (default ${DEFAULT-VALUE})")
    int tokens;

    @Option(
            names = "--prompt-tokens",
            defaultValue = "16",
            description = "AR: prompt length (default ${DEFAULT-VALUE})")
    int promptTokens;

    @Option(
            names = "--ar-memory",
            defaultValue = "8Mi",
            description = "AR: per-step offload buffer M_ar (default ${DEFAULT-VALUE})")
    String arMemory;

    @Option(
            names = "--eps",
            defaultValue = "1e-3",
            description = "outage target eps (SNR tables; default ${DEFAULT-VALUE})")
    double eps;

    @Option(
            names = "--bandwidth-hz",
            description = "channel bandwidth W in Hz: plan over SNR buckets with the eps-outage model")
    String bandwidthHz;

    @Option(
            names = "--snr-db",
            defaultValue = "-5:30",
            description = "SNR range MIN:MAX in dB for --bandwidth-hz (default ${DEFAULT-VALUE})")
    String snrDb;

    @Option(
            names = "--min-rate",
            defaultValue = "64k",
            description = "lowest goodput bucket, bit/s (default ${DEFAULT-VALUE})")
    String minRate;

    @Option(
            names = "--max-rate",
            defaultValue = "1G",
            description = "highest goodput bucket bound, bit/s (default ${DEFAULT-VALUE})")
    String maxRate;

    @Option(names = "--buckets", defaultValue = "32", description = "number of link buckets (default ${DEFAULT-VALUE})")
    int buckets;

    @Option(
            names = "--compute-scale",
            defaultValue = "1",
            description = "edge latency relative to the profiling machine (default ${DEFAULT-VALUE})")
    double computeScale;

    @Option(
            names = "--min-fidelity",
            defaultValue = "0.98",
            description = "fidelity floor: never choose knobs whose predicted output cosine is below this; rows where"
                    + " no split meets it fall back to cloud-only or local-only (default ${DEFAULT-VALUE}, 0 = none)")
    double minFidelity;

    @Option(
            names = "--objective",
            defaultValue = "FIDELITY",
            description = "what the knob search optimises among the settings that meet every budget and the floor:"
                    + " FIDELITY (the paper: compress only as much as the link needs) or BYTES (the fewest bytes that"
                    + " still meet the floor: metered or shared uplinks) (default ${DEFAULT-VALUE})")
    Objective objective;

    @Option(
            names = "--prior-fidelity",
            description = "plan with the conservative fidelity prior instead of a measured distortion table (a"
                    + " labelled fallback: the prior is neither the level nor the ranking real models measure)")
    boolean priorFidelity;

    @Option(
            names = "--samples",
            defaultValue = PlanCli.DEFAULT_CALIBRATION_SAMPLES,
            description = "sample inputs the distortion table is measured on when profiling live (default"
                    + " ${DEFAULT-VALUE})")
    int samples;

    @Option(
            names = "--device-class",
            defaultValue = "default",
            description = "device class name (default ${DEFAULT-VALUE})")
    String deviceClass;

    /** The device class these options describe. */
    DeviceClass deviceClass() {
        return new DeviceClass(deviceClass, budgets(), link(), computeScale);
    }

    Budgets budgets() {
        if (latency == null || memory == null) {
            throw new InvalidPlanInputException("give --latency (e.g. 50ms) and --memory (e.g. 512Mi)");
        }
        ArBudget arb = ar ? new ArBudget(tokens, promptTokens, Units.bytes(arMemory)) : null;
        return new Budgets(
                Units.seconds(latency), Units.bytes(memory), Units.seconds(queueDelay), minFidelity, arb, objective);
    }

    LinkSpec link() {
        if (bandwidthHz == null) {
            return LinkSpec.goodput(Units.bitsPerSecond(minRate), Units.bitsPerSecond(maxRate), buckets);
        }
        String[] range = snrDb.split(":");
        if (range.length != 2) {
            throw new IllegalArgumentException("--snr-db must be MIN:MAX in dB, e.g. -5:30, got " + snrDb);
        }
        double lo;
        double hi;
        try {
            lo = Double.parseDouble(range[0]);
            hi = Double.parseDouble(range[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--snr-db must be MIN:MAX in dB, e.g. -5:30, got " + snrDb);
        }
        return LinkSpec.outage(Units.bitsPerSecond(bandwidthHz), lo, hi, buckets, eps);
    }

    /**
     * A profile with a measured distortion table: read (and required to carry one), or made here by profiling and
     * calibrating the model. The prior is used only with {@code --prior-fidelity} (or for synthetic profiles,
     * which have no model to measure).
     */
    SplitProfile loadProfile(java.io.PrintWriter err) throws IOException {
        if (samples < 1) {
            throw new InvalidPlanInputException("--samples must be >= 1, got " + samples);
        }
        if (profile != null) {
            err.println("slicer plan: reading profile " + profile);
            SplitProfile p = PlanJson.read(Files.readString(profile, StandardCharsets.UTF_8), SplitProfile.class);
            if (p.distortion() == null && !priorFidelity) {
                throw new InvalidPlanInputException("profile " + profile + " has no measured distortion table: make"
                        + " one with 'slicer plan calibrate --model " + p.model() + " --out FILE', or pass"
                        + " --prior-fidelity to plan with the prior");
            }
            return priorFidelity ? p.withDistortion(p.settings(), null) : p;
        }
        if (model == null) {
            throw new InvalidPlanInputException("give --model or --profile");
        }
        if (SyntheticProfiles.isSynthetic(model)) {
            err.println("slicer plan: synthetic profile " + model + " (nominal encode-time model, prior fidelity)");
            return SyntheticProfiles.of(model);
        }
        SplitProfile p = ProfileAdapter.profile(model, err);
        if (priorFidelity) {
            return p;
        }
        KnobGrid grid = KnobGrid.standard();
        err.println("slicer plan: measuring fidelity: " + p.candidates().size() + " candidates x " + grid.size()
                + " settings on " + samples + " sample input(s) (--prior-fidelity skips this) ...");
        return ProfileAdapter.calibrate(p, grid, samples, err);
    }
}
