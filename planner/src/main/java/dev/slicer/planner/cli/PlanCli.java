package dev.slicer.planner.cli;

import dev.slicer.model.ModelException;
import dev.slicer.planner.Planner;
import dev.slicer.planner.cost.CodecSizeBound;
import dev.slicer.planner.cost.FidelityPrior;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.plan.DeviceClass;
import dev.slicer.planner.plan.Plan;
import dev.slicer.planner.plan.PlanJson;
import dev.slicer.planner.split.Budgets;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code slicer plan}: builds a rate-indexed split/compression plan for one device class and prints it as a table
 * (or, with {@code --json}, as exactly one JSON document on stdout). Progress and notes go to stderr.
 */
@Command(
        name = "slicer plan",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        subcommands = {CalibrateCommand.class, CheckCommand.class},
        description = {
            "Plan split points and codec knobs (SLICER-Search) for every link-quality bucket of one device class.",
            "Without --profile the model is profiled on this machine; a distortion table comes from"
                    + " 'slicer plan calibrate'."
        })
public final class PlanCli implements Callable<Integer> {
    /**
     * Sample inputs a distortion table is measured on, wherever one is made (calibrate, live planning, the operator's
     * profiling Job): the table keeps each setting's lowest output cosine, and 2 samples let settings through that 8
     * held-out ones put below the floor (19 MiniLM cells at 0.98).
     */
    public static final String DEFAULT_CALIBRATION_SAMPLES = "8";

    @CommandLine.Mixin
    PlanOptions options;

    @Option(names = "--json", description = "print the plan as one JSON document")
    boolean json;

    @Option(names = "--out", description = "also write the plan JSON to this file")
    Path out;

    @Option(names = "--save-profile", description = "write the profile used to this file")
    Path saveProfile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command with the given streams; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new PlanCli());
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // user errors, the model module's included (corrupt model, bad sample file): one line, no stack trace
            if (e instanceof IllegalArgumentException || e instanceof IOException || e instanceof ModelException) {
                cmd.getErr().println("slicer plan: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws IOException {
        java.io.PrintWriter err = spec.commandLine().getErr();
        java.io.PrintWriter stdout = spec.commandLine().getOut();
        DeviceClass dc = options.deviceClass();
        Budgets budgets = dc.budgets();
        SplitProfile p = options.loadProfile(err);
        if (saveProfile != null) {
            Files.writeString(saveProfile, PlanJson.write(p, true) + "\n", StandardCharsets.UTF_8);
            err.println("slicer plan: profile written to " + saveProfile);
        }
        if (p.distortion() == null) {
            err.println("slicer plan: WARNING: PRIOR FIDELITY, NOT MEASURED: " + FidelityPrior.description()
                    + "; the floor " + budgets.minFidelity() + " is applied to prior values");
        }
        Plan plan = new Planner(CodecSizeBound.INSTANCE).plan(p, List.of(dc));
        if (out != null) {
            Files.writeString(out, PlanJson.write(plan, true) + "\n", StandardCharsets.UTF_8);
            err.println("slicer plan: plan written to " + out);
        }
        if (json) {
            stdout.println(PlanJson.write(plan, true));
        } else {
            java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
            PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
            TablePrinter.print(plan, ps);
            stdout.print(buf.toString(StandardCharsets.UTF_8));
        }
        stdout.flush();
        return 0;
    }
}
