package dev.slicer.planner.cli;

import dev.slicer.model.cli.ImageOptions;
import dev.slicer.model.cli.ShapeOptions;
import dev.slicer.planner.Planner;
import dev.slicer.planner.cost.CodecSizeBound;
import dev.slicer.planner.cost.CostTable;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.plan.PlanJson;
import dev.slicer.planner.search.KnobGrid;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code slicer plan calibrate}: profiles a model and measures its distortion table (lowest output cosine of the
 * split model with the real codec, per candidate and knob setting, on sample inputs); writes the profile JSON that
 * {@code slicer plan --profile} and the operator plan from.
 */
@Command(
        name = "calibrate",
        mixinStandardHelpOptions = true,
        description = "Profile a model and measure output fidelity per split candidate and knob setting.")
final class CalibrateCommand implements Callable<Integer> {
    @Option(
            names = "--model",
            required = true,
            description = "builtin:minilm | builtin:tiny-resnet | builtin:tiny-llama | path.onnx")
    String model;

    @Option(names = "--out", required = true, description = "profile JSON to write")
    Path out;

    @Option(
            names = "--samples",
            defaultValue = PlanCli.DEFAULT_CALIBRATION_SAMPLES,
            description = "sample inputs per setting; the table keeps the lowest output cosine (default"
                    + " ${DEFAULT-VALUE}; text models take held-out sample sentences at their own length)")
    int samples;

    @CommandLine.Mixin
    ShapeOptions shapes = new ShapeOptions();

    @Option(
            names = "--sample-dir",
            paramLabel = "DIR",
            description = "representative inputs: DIR holds one sample set (input_N.pb, NAME.npy or image files), or"
                    + " subdirectories that each hold one (the ONNX zoo's test_data_set_N/); the first fixes the"
                    + " shapes the profile is measured at, calibration keeps the worst fidelity over all of them"
                    + " (instead of --samples invented inputs)")
    Path sampleDir;

    @CommandLine.Mixin
    ImageOptions images = new ImageOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (samples < 1) {
            throw new IllegalArgumentException("--samples must be >= 1");
        }
        if (sampleDir != null && spec.commandLine().getParseResult().hasMatchedOption("--samples")) {
            throw new IllegalArgumentException("--samples counts invented inputs; with --sample-dir every set there is"
                    + " measured: give one of them");
        }
        PrintWriter err = spec.commandLine().getErr();
        CalibrationInputs given = new CalibrationInputs(
                shapes.shapes(), sampleDir == null ? List.of() : CalibrationInputs.sets(sampleDir), images.images());
        SplitProfile base = ProfileAdapter.profile(model, given, err);
        KnobGrid grid = KnobGrid.standard();
        err.println("slicer plan calibrate: measuring " + base.candidates().size() + " candidates x " + grid.size()
                + " settings on " + (given.invented() ? samples : given.sets().size()) + " sample input(s) ...");
        SplitProfile calibrated = ProfileAdapter.calibrate(base, grid, samples, given, err);
        List<String> departures = Planner.departures(CostTable.build(calibrated, CodecSizeBound.INSTANCE));
        err.println("slicer plan calibrate: measured level order departs from the paper's at " + departures.size()
                + " (candidate, family) pair(s); the search follows the measurements:");
        departures.forEach(d -> err.println("slicer plan calibrate:   " + d));
        Files.writeString(out, PlanJson.write(calibrated, true) + "\n", StandardCharsets.UTF_8);
        err.println("slicer plan calibrate: wrote " + out);
        return 0;
    }
}
