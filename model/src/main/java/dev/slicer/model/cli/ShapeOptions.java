package dev.slicer.model.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --input NAME=DxDx...}: shapes of model inputs instead of invented ones (a mixin of every command that runs a model). */
public final class ShapeOptions {
    /** Bound on one given dimension, so a typo cannot ask for terabytes. */
    static final long MAX_DIM = 1 << 20;

    @Option(
            names = "--input",
            paramLabel = "NAME=DxD...",
            description = "Shape of an input, e.g. x=1x3x640x640 (repeatable); others are invented and reported.")
    List<String> inputs = new ArrayList<>();

    /** The given shapes by input name. */
    public Map<String, long[]> shapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (String spec : inputs) {
            int eq = spec.lastIndexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--input wants NAME=DxDx..., got '" + spec + "'");
            }
            String dims = spec.substring(eq + 1);
            String[] parts = dims.isEmpty() ? new String[0] : dims.split("x");
            long[] shape = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    shape[i] = Long.parseLong(parts[i]);
                } catch (NumberFormatException e) {
                    shape[i] = -1;
                }
                if (shape[i] < 1 || shape[i] > MAX_DIM) {
                    throw new IllegalArgumentException(
                            "--input " + spec + ": dimension '" + parts[i] + "' is not a number in 1.." + MAX_DIM);
                }
            }
            out.put(spec.substring(0, eq), shape);
        }
        return out;
    }
}
