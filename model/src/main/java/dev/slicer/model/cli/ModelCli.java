package dev.slicer.model.cli;

import dev.slicer.model.ModelException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./slicer model ...}: split candidates, split exactness, front weight quantization, profiles. */
@Command(
        name = "slicer model",
        mixinStandardHelpOptions = true,
        description = "Split ONNX models into an edge front and a back-end back, profile and compress them.",
        subcommands = {
            InspectCommand.class,
            VerifyCommand.class,
            QuantizeCommand.class,
            ProfileCommand.class,
            ZooCommand.class
        })
public final class ModelCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit code (0 ok, 1 user error, 2 usage error). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new ModelCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ModelException
                    || e instanceof IllegalArgumentException
                    || e instanceof UncheckedIOException) {
                cmd.getErr().println("error: " + e.getMessage());
                cmd.getErr().flush();
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
