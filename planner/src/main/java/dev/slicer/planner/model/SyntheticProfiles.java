package dev.slicer.planner.model;

import dev.slicer.codec.CodecMode;
import dev.slicer.planner.cost.LinearCodecTimeModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deterministic synthetic profiles ({@code --model synthetic:N}): an N-block transformer encoder shaped like
 * BERT-base (hidden 768, 128 tokens, ~7 MB and ~1.5 ms per block on the profiling device), without a distortion
 * table. For benchmarks and demos that must not depend on a real model.
 */
public final class SyntheticProfiles {
    public static final String PREFIX = "synthetic:";

    private SyntheticProfiles() {}

    public static boolean isSynthetic(String model) {
        return model != null && model.startsWith(PREFIX);
    }

    /** Parses {@code synthetic:N}. */
    public static SplitProfile of(String model) {
        String n = model.substring(PREFIX.length());
        try {
            return encoder(Integer.parseInt(n));
        } catch (NumberFormatException e) {
            throw new dev.slicer.planner.InvalidPlanInputException(
                    "synthetic model must be synthetic:N with N candidates, got " + model);
        }
    }

    public static SplitProfile encoder(int candidates) {
        dev.slicer.planner.InvalidPlanInputException.require(
                candidates >= 1 && candidates <= 4096, "synthetic candidates must be 1..4096, got " + candidates);
        int hidden = 768;
        int tokens = 128;
        long embed = 93_000_000L;
        long perBlock = 7_080_000L * 4;
        List<SplitCandidate> cs = new ArrayList<>();
        for (int i = 0; i < candidates; i++) {
            long mem = embed + perBlock * (i + 1);
            double front = 0.4e-3 + 1.5e-3 * (i + 1);
            cs.add(new SplitCandidate(
                    i,
                    "encoder.layer." + i,
                    mem,
                    front,
                    mem / 4,
                    front * 0.6,
                    List.of(1, tokens, hidden),
                    (long) tokens * hidden * 4,
                    tokens * 8L * 2));
        }
        long fullMem = embed + perBlock * (candidates + 1);
        double fullSeconds = 0.4e-3 + 1.5e-3 * (candidates + 1);
        return new SplitProfile(
                PREFIX + candidates,
                tokens * 8L * 2,
                fullMem,
                fullSeconds,
                fullMem / 4,
                fullSeconds * 0.6,
                cs,
                List.of(),
                null,
                nominalTimeModel());
    }

    /** A nominal encode-time model (a few ns per element): what a modern core does with this codec's stages. */
    public static LinearCodecTimeModel nominalTimeModel() {
        Map<String, LinearCodecTimeModel.Coefficients> e = new TreeMap<>();
        e.put(CodecMode.LOSSLESS.name(), new LinearCodecTimeModel.Coefficients(5e-6, 0.3e-9));
        e.put(CodecMode.LOSSLESS.name() + "/rans", new LinearCodecTimeModel.Coefficients(5e-6, 0.3e-9));
        e.put(CodecMode.TOPK.name(), new LinearCodecTimeModel.Coefficients(20e-6, 6e-9));
        e.put(CodecMode.TOPK.name() + "/rans", new LinearCodecTimeModel.Coefficients(30e-6, 10e-9));
        e.put(CodecMode.TS_TABQ.name(), new LinearCodecTimeModel.Coefficients(20e-6, 4e-9));
        e.put(CodecMode.TS_TABQ.name() + "/rans", new LinearCodecTimeModel.Coefficients(30e-6, 8e-9));
        e.put(CodecMode.ECSQ.name() + "/rans", new LinearCodecTimeModel.Coefficients(10e-6, 8e-9));
        return new LinearCodecTimeModel("nominal", e);
    }
}
