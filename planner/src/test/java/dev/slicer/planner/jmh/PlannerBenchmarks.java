package dev.slicer.planner.jmh;

import dev.slicer.planner.Planner;
import dev.slicer.planner.cost.CodecSizeBound;
import dev.slicer.planner.cost.CostTable;
import dev.slicer.planner.link.LinkSpec;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.model.SyntheticProfiles;
import dev.slicer.planner.plan.DeviceClass;
import dev.slicer.planner.plan.DeviceClassTable;
import dev.slicer.planner.plan.Plan;
import dev.slicer.planner.plan.PlanRow;
import dev.slicer.planner.split.Budgets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Planner speed on one core, for a synthetic 32-candidate model (BERT-base-shaped features, standard 96-setting knob
 * grid, the codec's real B_UB). Run with {@code ./mvnw -q -pl planner test-compile exec:exec}.
 *
 * <ul>
 *   <li>{@code planOneDeviceClass}: one device class over 32 goodput buckets (+ the below-range row), the
 *       model-level cost table already built (goal: under 10 ms).
 *   <li>{@code buildCostTable}: the model-level cost table (B_UB and zeta for every candidate and setting), built
 *       once per profile and shared by all device classes.
 *   <li>{@code replanFleet}: a full re-plan for 10,000 edges in 100 device classes (mixed budgets, compute scales,
 *       a quarter on SNR tables), cost table included, then every edge looks up its row (goal: under 500 ms).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PlannerBenchmarks {
    private SplitProfile profile;
    private CostTable costs;
    private DeviceClass oneClass;
    private List<DeviceClass> fleetClasses;
    private int[] edgeClass;
    private double[] edgeRate;

    @Setup
    public void setUp() {
        profile = SyntheticProfiles.encoder(32);
        costs = CostTable.build(profile, CodecSizeBound.INSTANCE);
        oneClass = DeviceClass.of("one", Budgets.singleShot(0.05, 512L << 20, 0.005));
        Random r = new Random(1);
        fleetClasses = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Budgets b = Budgets.singleShot(
                    0.01 + r.nextDouble() * 0.2, (64L + r.nextInt(4096)) << 20, r.nextDouble() * 0.01);
            LinkSpec link = i % 4 == 3 ? LinkSpec.outage(20e6, -5, 30, 32, 1e-3) : LinkSpec.defaultGoodput();
            fleetClasses.add(new DeviceClass("class-" + i, b, link, 0.5 + r.nextDouble() * 3));
        }
        edgeClass = new int[10_000];
        edgeRate = new double[10_000];
        for (int e = 0; e < edgeClass.length; e++) {
            edgeClass[e] = e % 100;
            edgeRate[e] =
                    edgeClass[e] % 4 == 3 ? -5 + 35 * r.nextDouble() : 64e3 * Math.pow(1e9 / 64e3, r.nextDouble());
        }
    }

    @Benchmark
    public DeviceClassTable planOneDeviceClass() {
        return Planner.planDeviceClass(costs, oneClass);
    }

    @Benchmark
    public CostTable buildCostTable() {
        return CostTable.build(profile, CodecSizeBound.INSTANCE);
    }

    @Benchmark
    public void replanFleet(Blackhole bh) {
        Plan plan = new Planner(CodecSizeBound.INSTANCE).plan(profile, fleetClasses);
        List<DeviceClassTable> tables = plan.tables();
        for (int e = 0; e < edgeClass.length; e++) {
            PlanRow row = tables.get(edgeClass[e]).lookup(edgeRate[e]);
            bh.consume(row);
        }
        bh.consume(plan.sha256());
    }

    public static void main(String[] args) throws Exception {
        // the exec plugin passes ${planner.jmh.args} as one argument: split it
        List<String> a = new ArrayList<>();
        for (String arg : args) {
            for (String part : arg.trim().split("\\s+")) {
                if (!part.isEmpty()) {
                    a.add(part);
                }
            }
        }
        a.add(PlannerBenchmarks.class.getName());
        org.openjdk.jmh.Main.main(a.toArray(new String[0]));
    }
}
