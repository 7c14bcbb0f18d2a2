package dev.slicer.planner.cli;

import dev.slicer.model.InvalidSampleException;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.ImagePreprocessing;
import dev.slicer.model.split.SampleInputs;
import dev.slicer.model.split.SampleTensors;
import dev.slicer.model.split.SplittableModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a profile is measured on: inputs invented from the graph (sample sentences for text models), or the user's
 * representative inputs, given shapes plus sample sets. A sample set is a directory of sample files ({@code
 * input_N.pb}, {@code NAME.npy}, images; see {@link SampleTensors}); {@code --sample-dir DIR} is one set when DIR
 * holds sample files itself, else each of its subdirectories that does (the ONNX model zoo's {@code
 * test_data_set_N/} layout), in name order. The first set fixes the reference shapes the profile's sizes and latencies
 * are measured at; calibration measures every set and keeps the worst fidelity.
 */
record CalibrationInputs(Map<String, long[]> shapes, List<Path> sets, ImagePreprocessing images) {

    /** Most sample sets measured: each one is a full calibration pass over every candidate and setting. */
    static final int MAX_SETS = 64;

    static final CalibrationInputs INVENTED = new CalibrationInputs(Map.of(), List.of(), ImagePreprocessing.DEFAULT);

    CalibrationInputs {
        shapes = Map.copyOf(shapes);
        sets = List.copyOf(sets);
    }

    /** The sample sets {@code dir} holds: itself, or its subdirectories with sample files. */
    static List<Path> sets(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidSampleException("sample directory " + dir + " does not exist or is not a directory");
        }
        if (holdsSamples(dir)) {
            return List.of(dir);
        }
        List<Path> sets;
        try (Stream<Path> s = Files.list(dir)) {
            sets = s.filter(Files::isDirectory)
                    .filter(CalibrationInputs::holdsSamples)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new InvalidSampleException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (sets.isEmpty()) {
            throw new InvalidSampleException(
                    "no sample files (input_N.pb, NAME.npy, images) in " + dir + " or its subdirectories");
        }
        if (sets.size() > MAX_SETS) {
            throw new InvalidSampleException(
                    dir + " holds " + sets.size() + " sample sets; at most " + MAX_SETS + " are measured");
        }
        return sets;
    }

    private static boolean holdsSamples(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(SampleTensors::isSampleFile);
        } catch (IOException e) {
            throw new InvalidSampleException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    boolean invented() {
        return sets.isEmpty();
    }

    /**
     * The model at the reference shapes: the given ones, with the first sample set's values. Every other set is
     * checked against the first here, before anything is measured.
     */
    SplittableModel load(String uri) {
        if (invented()) {
            return SplittableModel.load(uri, shapes);
        }
        SplittableModel m = SplittableModel.load(uri, shapes, sets.get(0), images);
        values(m);
        return m;
    }

    /** Each set's sample tensors, in set order; a set shaped unlike the first is an error naming it. */
    private List<Map<String, HostTensor>> values(SplittableModel m) {
        List<Map<String, HostTensor>> out = new ArrayList<>();
        for (Path set : sets) {
            Map<String, HostTensor> values = SampleTensors.load(set, m.model(), images);
            if (!out.isEmpty() && !sameShapes(out.get(0), values)) {
                throw new InvalidSampleException(set + ": its inputs are not shaped as those of " + sets.get(0)
                        + " (every set must match the first, which the profile is measured at; --image-size"
                        + " gives images one size)");
            }
            out.add(values);
        }
        return out;
    }

    /**
     * The requests calibration measures: {@code samples} generated ones (held-out sentences for text models) when
     * nothing was given, else one per sample set, each at the reference shapes.
     */
    List<Map<String, HostTensor>> requests(SplittableModel m, int samples, long seed, int firstSentence) {
        List<Map<String, HostTensor>> out = new ArrayList<>();
        if (invented()) {
            for (int s = 0; s < samples; s++) {
                out.add(SampleInputs.request(m.model(), m.referenceDims(), seed, firstSentence, s));
            }
            return out;
        }
        List<Map<String, HostTensor>> values = values(m);
        for (int s = 0; s < values.size(); s++) {
            out.add(SampleInputs.generate(m.model(), m.referenceDims().withValues(values.get(s)), seed + s));
        }
        return out;
    }

    private static boolean sameShapes(Map<String, HostTensor> a, Map<String, HostTensor> b) {
        return a.keySet().equals(b.keySet())
                && a.entrySet().stream()
                        .allMatch(e -> Arrays.equals(
                                e.getValue().shape(), b.get(e.getKey()).shape()));
    }

    /** How the given inputs were used, for the profile's assumptions; empty when everything was invented. */
    java.util.Optional<String> describe() {
        List<String> parts = new ArrayList<>();
        if (!shapes.isEmpty()) {
            parts.add("measured at the given shapes of " + String.join(", ", shapes.keySet()));
        }
        if (!invented()) {
            Path from = sets.size() == 1 ? sets.get(0) : sets.get(0).getParent();
            parts.add("profiled on the first and calibrated on all " + sets.size() + " sample set(s) from " + from
                    + " (images: " + images.describe() + ")");
        }
        return parts.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(String.join("; ", parts));
    }
}
