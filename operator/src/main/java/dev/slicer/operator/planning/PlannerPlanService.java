package dev.slicer.operator.planning;

import dev.slicer.crds.v1alpha1.Durations;
import dev.slicer.crds.v1alpha1.SplitInferenceSpec;
import dev.slicer.crds.v1alpha1.spec.CompressionSpec;
import dev.slicer.crds.v1alpha1.spec.DeviceClassSpec;
import dev.slicer.crds.v1alpha1.spec.FixedCompressionSpec;
import dev.slicer.crds.v1alpha1.spec.ModelSpec;
import dev.slicer.operator.metrics.FleetMetrics;
import dev.slicer.planner.Planner;
import dev.slicer.planner.cost.CodecSizeBound;
import dev.slicer.planner.link.LinkAxis;
import dev.slicer.planner.link.LinkSpec;
import dev.slicer.planner.model.SplitCandidate;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.plan.DeviceClass;
import dev.slicer.planner.plan.Plan;
import dev.slicer.planner.plan.PlanJson;
import dev.slicer.planner.plan.PlanRow;
import dev.slicer.planner.search.Objective;
import dev.slicer.planner.search.Theta;
import dev.slicer.planner.split.ArBudget;
import dev.slicer.planner.split.Budgets;
import dev.slicer.planner.split.RowKind;
import io.fabric8.kubernetes.api.model.Quantity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link PlanService} backed by the planner module. Maps the resource's spec and the observed metrics to planner
 * inputs: the latency budget D and outage eps from the SLO, M and M_ar per device class, the AR shape (tokens
 * generated and prompt length, from the model spec), the back-end queueing delay (offloading rows must meet D minus
 * it), the fidelity floor ({@code slo.minFidelity}), each class's compute scale, the link axis (measured goodput or
 * W/SNR) and, for FIXED compression, the single knob setting to use.
 */
@ApplicationScoped
public class PlannerPlanService implements PlanService {

    /** Frame sizes are the codec's own bound B_UB ({@code SizeBound}), the same bound {@code slicer plan} uses. */
    private final Planner planner = new Planner(CodecSizeBound.INSTANCE);

    @Override
    public PlanOutcome plan(PlanInputs inputs) throws PlanningException {
        try {
            SplitProfile profile = profileFor(inputs.profile(), inputs.spec().getCompression());
            List<DeviceClass> classes = new ArrayList<>();
            for (DeviceClassSpec dc : inputs.spec().getEdges().getDeviceClasses()) {
                classes.add(deviceClass(inputs.spec(), dc, inputs.metrics()));
            }
            if (profile.distortion() == null) {
                throw new PlanningException(
                        "the model profile has no measured distortion table, so the fidelity"
                                + " floor cannot be applied; make the profile with `./slicer plan calibrate --model URI --out"
                                + " profile.json`",
                        null);
            }
            Plan plan = planner.plan(profile, classes);
            List<DeviceClass> measuredSpeed = new ArrayList<>();
            for (DeviceClass dc : classes) {
                double link = measuredLinkValue(inputs.spec(), dc.name(), inputs.metrics());
                measuredSpeed.add(
                        withMeasuredSpeed(dc, plan.lookup(dc.name(), link).orElseThrow(), profile, inputs.metrics()));
            }
            if (!measuredSpeed.equals(classes)) {
                classes = measuredSpeed;
                plan = planner.plan(profile, classes);
            }
            List<ClassPlan> current = new ArrayList<>();
            for (DeviceClass dc : classes) {
                double measured = measuredLinkValue(inputs.spec(), dc.name(), inputs.metrics());
                PlanRow row = plan.lookup(dc.name(), measured).orElseThrow();
                current.add(classPlan(dc, row, profile, inputs.spec()));
            }
            plan = plan.forModel(inputs.spec().getModel().getUri());
            return new PlanOutcome(PlanJson.write(plan, false), plan.sha256(), current);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new PlanningException(e.getMessage(), e);
        }
    }

    static SplitProfile profileFor(SplitProfile profile, CompressionSpec compression) {
        if (compression == null || compression.getMode() != CompressionSpec.Mode.FIXED) {
            return profile;
        }
        FixedCompressionSpec f = compression.getFixed();
        boolean rans = compression.getEntropy() == CompressionSpec.Entropy.RANS;
        Theta theta = f.getCodec() == FixedCompressionSpec.Codec.TS_TABQ
                ? Theta.tsTabq(f.getOutlierFraction(), compression.getQbit(), compression.getDelta(), rans)
                : Theta.topK(
                        f.getSparsity(),
                        f.getPositiveBlocks(),
                        f.getNegativeBlocks(),
                        f.getLambda(),
                        compression.getQbit(),
                        compression.getDelta(),
                        rans);
        return profile.fixedTo(theta);
    }

    static DeviceClass deviceClass(SplitInferenceSpec spec, DeviceClassSpec dc, FleetMetrics metrics) {
        double latency = Durations.parse(spec.getSlo().getLatency()).toNanos() / 1e9;
        long memory = bytes(dc.getMemoryBudget());
        double queue = metrics.queueDelaySeconds() == null ? 0 : metrics.queueDelaySeconds();
        ArBudget ar = spec.getModel().getMode() == ModelSpec.Mode.AUTOREGRESSIVE
                ? arBudget(spec.getModel(), bytes(dc.getArBuffer()))
                : null;
        Budgets budgets = new Budgets(latency, memory, queue, minFidelity(spec), ar, objective(spec));
        return new DeviceClass(dc.getName(), budgets, link(spec), computeScale(dc));
    }

    /** {@code compression.objective}; FIDELITY (the paper's) when unset. */
    static Objective objective(SplitInferenceSpec spec) {
        CompressionSpec c = spec.getCompression();
        return c != null && c.getObjective() == CompressionSpec.Objective.BYTES ? Objective.BYTES : Objective.FIDELITY;
    }

    /** {@code slo.minFidelity}; the schema default when a resource was never defaulted by an API server. */
    static double minFidelity(SplitInferenceSpec spec) {
        Double floor = spec.getSlo().getMinFidelity();
        return floor == null ? Budgets.DEFAULT_MIN_FIDELITY : floor;
    }

    /** The class's {@code computeScale} (1 when unset): its front and encode times relative to the profiler. */
    static double computeScale(DeviceClassSpec dc) {
        return dc.getComputeScale() == null ? 1.0 : dc.getComputeScale();
    }

    /**
     * The class with the compute scale its edges measured, once they have reported: their mean front stage duration
     * (exported through the back-end) over the profile's front latency of the row they run at the measured link
     * (the whole model for local-only). Until then, or for cloud-only rows (no front), the spec's
     * {@code computeScale}. Clamped to the CRD's range (0, 1000].
     */
    static DeviceClass withMeasuredSpeed(DeviceClass dc, PlanRow row, SplitProfile profile, FleetMetrics metrics) {
        Double front = metrics.stageSeconds()
                .getOrDefault(dc.name(), java.util.Map.of())
                .get("front");
        double predicted =
                switch (row.kind()) {
                    case SPLIT ->
                        dc.budgets().ar() == null
                                ? candidate(profile, row.split()).frontSeconds()
                                : candidate(profile, row.split()).compressedFrontSeconds();
                    case LOCAL_ONLY ->
                        dc.budgets().ar() == null ? profile.fullSeconds() : profile.compressedFullSeconds();
                    case CLOUD_ONLY, UNAVAILABLE -> 0;
                };
        if (front == null || !(front > 0) || !(predicted > 0) || !Double.isFinite(front)) {
            return dc;
        }
        double scale = Math.min(1000, front / predicted);
        return new DeviceClass(dc.name(), dc.budgets(), dc.link(), scale);
    }

    /** The AR shape from {@code spec.model} (maxNewTokens, promptTokens; schema defaults when unset) and M_ar. */
    static ArBudget arBudget(ModelSpec model, long arBufferBytes) {
        return new ArBudget(model.maxNewTokensOrDefault(), model.promptTokensOrDefault(), arBufferBytes);
    }

    static LinkSpec link(SplitInferenceSpec spec) {
        var link = spec.getLink();
        if (link != null && link.getModel() == dev.slicer.crds.v1alpha1.spec.LinkSpec.Model.OUTAGE) {
            return LinkSpec.outage(
                    link.getBandwidthHz(),
                    LinkSpec.DEFAULT_MIN_SNR_DB,
                    LinkSpec.DEFAULT_MAX_SNR_DB,
                    LinkSpec.DEFAULT_BUCKETS,
                    spec.getSlo().getOutageProbability());
        }
        return LinkSpec.defaultGoodput();
    }

    /** The current value on the class's link axis: measured goodput in bit/s, or the spec's mean SNR in dB. */
    static double measuredLinkValue(SplitInferenceSpec spec, String deviceClass, FleetMetrics metrics) {
        if (link(spec).axis() == LinkAxis.SNR_DB) {
            return spec.getLink().getSnrDb();
        }
        Double goodput = metrics.goodputBytesPerSecond().get(deviceClass);
        return goodput == null ? Double.NaN : goodput * 8;
    }

    private static ClassPlan classPlan(DeviceClass dc, PlanRow row, SplitProfile profile, SplitInferenceSpec spec) {
        double tail =
                switch (row.kind()) {
                    case LOCAL_ONLY, UNAVAILABLE -> 0;
                    case CLOUD_ONLY -> profile.fullSeconds();
                    case SPLIT ->
                        Math.max(
                                0,
                                profile.fullSeconds()
                                        - candidate(profile, row.split()).frontSeconds());
                };
        boolean ar = spec.getModel().getMode() == ModelSpec.Mode.AUTOREGRESSIVE;
        return new ClassPlan(
                dc.name(),
                row.splitName(),
                row.kind() == RowKind.SPLIT ? row.split() + 1 : row.kind() == RowKind.LOCAL_ONLY ? -1 : 0,
                ar ? row.w() : null,
                row.effectiveRateBitsPerSecond() / 8,
                row.predictedBytes(),
                row.predictedLatencySeconds(),
                tail);
    }

    private static SplitCandidate candidate(SplitProfile profile, int index) {
        return profile.candidates().get(index);
    }

    static long bytes(String quantity) {
        return Quantity.getAmountInBytes(new Quantity(quantity)).longValueExact();
    }
}
