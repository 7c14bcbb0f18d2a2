package dev.slicer.e2e;

import dev.slicer.planner.InvalidPlanInputException;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.plan.PlanJson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A planner profile cached under a work directory by the demo and the benchmarks. Calibrating takes a minute, so it
 * is kept between runs; but one measured with another codec revision (or the planner otherwise refuses) would fail
 * every later run, or before revisions were recorded would have been planned from silently. Such a cache is dropped
 * and made again.
 */
public final class CachedProfile {
    private CachedProfile() {}

    /** True when {@code file} holds a profile the planner accepts; a refused one is deleted and said so on {@code log}. */
    public static boolean usable(Path file, PrintStream log) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            PlanJson.read(Files.readString(file), SplitProfile.class);
            return true;
        } catch (InvalidPlanInputException e) {
            log.println("cached profile " + file + " is refused (" + e.getMessage() + "); calibrating it again");
            Files.delete(file);
            return false;
        }
    }
}
