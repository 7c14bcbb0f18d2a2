package dev.slicer.edge.testing;

import dev.slicer.model.split.SplittableModel;
import dev.slicer.planner.plan.DeviceClass;
import dev.slicer.planner.plan.DeviceClassTable;
import dev.slicer.planner.plan.Plan;
import dev.slicer.planner.plan.PlanJson;
import dev.slicer.planner.plan.PlanRow;
import dev.slicer.planner.search.Theta;
import dev.slicer.planner.split.Budgets;
import dev.slicer.planner.split.RowKind;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An edge serving builtin:tiny-llama against an {@link ArTestBackend}, with a plan file whose one row offloads at
 * (w = 3, l = model.layers.1) with lossless frames.
 */
public class ArBackendResource implements QuarkusTestResourceLifecycleManager {
    public static final String MODEL = "builtin:tiny-llama";
    public static final int SPLIT = 2;
    public static final int W = 3;
    public static volatile ArTestBackend backend;
    public static volatile SplittableModel model;

    @Override
    public Map<String, String> start() {
        try {
            model = SplittableModel.load(MODEL);
            backend = new ArTestBackend(model).start(0);
            PlanRow row = new PlanRow(
                    0,
                    0,
                    Double.MAX_VALUE,
                    1e9,
                    1,
                    1e9,
                    RowKind.SPLIT,
                    SPLIT,
                    model.candidate(SPLIT).name(),
                    W,
                    Theta.lossless(),
                    1000,
                    0.01,
                    1.0,
                    "test row");
            Plan plan = new Plan(
                            Plan.FORMAT,
                            MODEL,
                            model.candidates().size(),
                            model.candidates().stream().map(c -> c.name()).toList(),
                            "prior",
                            List.of(),
                            List.of(new DeviceClassTable(
                                    DeviceClass.of(EdgeFixture.DEVICE, Budgets.singleShot(0.1, 1L << 30, 0)),
                                    List.of(row))),
                            null)
                    .sealed();
            Files.createDirectories(Path.of("target"));
            Path file = Files.createTempFile(Path.of("target").toAbsolutePath(), "ar-plan-", ".json");
            Files.writeString(file, PlanJson.write(plan, false));
            return Map.of(
                    "slicer.edge.model-uri", MODEL,
                    "slicer.edge.backend-address", backend.address(),
                    "slicer.edge.device-class", EdgeFixture.DEVICE,
                    "slicer.edge.plan-file", file.toString(),
                    "slicer.edge.fallback", "fail",
                    "slicer.edge.max-attempts", "3",
                    "slicer.edge.backoff-initial", "1ms",
                    "slicer.edge.backoff-max", "20ms",
                    "quarkus.http.test-port", "0");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (backend != null) {
            backend.close();
        }
    }
}
