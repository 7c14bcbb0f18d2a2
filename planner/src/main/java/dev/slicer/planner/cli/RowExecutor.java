package dev.slicer.planner.cli;

import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.DType;
import dev.slicer.codec.DecodeLimits;
import dev.slicer.codec.FrameDecoder;
import dev.slicer.codec.FrameEncoder;
import dev.slicer.codec.SizeBound;
import dev.slicer.codec.TensorShape;
import dev.slicer.codec.frame.FrameFormat;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.ModelRunner;
import dev.slicer.model.split.SampleInputs;
import dev.slicer.model.split.SplitRunner;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.planner.cost.WarmEncodeTimer;
import dev.slicer.planner.link.RateChoice;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.plan.PlanRow;
import dev.slicer.planner.search.Theta;
import dev.slicer.planner.split.ArBudget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Executes one plan row on this machine, the way an edge of the row's class would: the front up to the split, the
 * real encoder on the real feature (the AR hand-off tiled to {@code prompt + w - 1} rows), the decoder and the back
 * on the back-end side, the link emulated at the row's rate (the measured frame bytes over {@code R / n}, as eq. 1
 * charges them; nothing sleeps). Compute is timed warm (medians) and multiplied by the class's compute scale.
 * Fidelity is the mean output cosine against the unsplit model on held-out inputs (seeds the calibration did not
 * use).
 */
final class RowExecutor implements AutoCloseable {
    /** Seeds of the held-out check inputs start here (calibration uses {@link ProfileAdapter#SEED} onwards). */
    static final long CHECK_SEED = ProfileAdapter.SEED + 1000;

    private static final int CODEC_WARM_UP = 200;

    /**
     * What one row measured, link apart. Seconds are scaled to the device class; bytes are per request (the hand-off
     * for AR).
     *
     * @param frontSeconds the front up to the split (the whole model for local-only)
     * @param encodeSeconds encoding the frame (mean over the held-out inputs)
     * @param bytes coded frame plus side tensors (raw input for cloud-only, 0 for local-only)
     * @param tokenEncodeSeconds AR: encoding one token's frame after the hand-off (0 otherwise)
     * @param tokenBytes AR: what one token after the hand-off ships, its frame's body (0 when there is none)
     * @param localStepSeconds AR: one local decoding step when tokens run locally before the hand-off (else 0)
     * @param decodeSeconds back-end decode (not part of the edge's latency)
     * @param backSeconds back-end tail (not part of the edge's latency)
     * @param fidelity mean output cosine against the unsplit model
     */
    record Measured(
            double frontSeconds,
            double encodeSeconds,
            long bytes,
            double tokenEncodeSeconds,
            long tokenBytes,
            double localStepSeconds,
            double decodeSeconds,
            double backSeconds,
            double fidelity) {

        /** The latency the row's prediction stands for, with the link emulated at {@code rate}: the slowest token. */
        double latencySeconds(RateChoice rate) {
            double first = frontSeconds + encodeSeconds + (bytes == 0 ? 0 : rate.transferSeconds(bytes * 8.0));
            double later =
                    tokenBytes == 0 ? 0 : frontSeconds + tokenEncodeSeconds + rate.transferSeconds(tokenBytes * 8.0);
            return Math.max(Math.max(first, later), localStepSeconds);
        }
    }

    private final SplittableModel model;
    private final SplitProfile profile;
    private final List<Map<String, HostTensor>> inputs = new ArrayList<>();
    private final List<Map<String, HostTensor>> reference = new ArrayList<>();
    private final ModelRunner full;
    private final FrameEncoder encoder = FrameEncoder.create();
    private final FrameDecoder decoder = FrameDecoder.create(DecodeLimits.defaults());
    private final CodecRoundTrip codec = new CodecRoundTrip();
    private final OutputFidelity fidelity;
    private final IfFraming framing;
    private Double fullSeconds;

    RowExecutor(SplittableModel model, SplitProfile profile, int samples) {
        this.model = model;
        this.profile = profile;
        this.fidelity = OutputFidelity.of(model);
        this.framing = IfFraming.of(model);
        this.full = new ModelRunner(model.model(), "full");
        for (int s = 0; s < samples; s++) {
            Map<String, HostTensor> in = SampleInputs.generate(model.model(), model.referenceDims(), CHECK_SEED + s);
            inputs.add(in);
            reference.add(OutputFidelity.replyOutputs(full.run(in)));
        }
    }

    Measured run(PlanRow row, double computeScale, ArBudget ar) {
        return switch (row.kind()) {
            case UNAVAILABLE -> throw new IllegalArgumentException("an unavailable row runs nothing");
            case LOCAL_ONLY -> local(computeScale);
            case CLOUD_ONLY -> cloud();
            case SPLIT -> split(row, computeScale, ar);
        };
    }

    /** Single-shot: the whole model; AR (D per token): one step. */
    private Measured local(double scale) {
        return new Measured(fullSeconds() * scale, 0, 0, 0, 0, 0, 0, 0, 1.0);
    }

    private Measured cloud() {
        long bytes =
                inputs.get(0).values().stream().mapToLong(HostTensor::byteSize).sum();
        return new Measured(0, 0, bytes, 0, 0, 0, 0, 0, 1.0);
    }

    private Measured split(PlanRow row, double scale, ArBudget ar) {
        Theta theta = row.theta();
        CodecSettings cs = theta.toCodecSettings();
        try (SplitRunner runner = new SplitRunner(model.split(model.candidate(row.split())))) {
            Map<String, HostTensor> in = inputs.get(0);
            double front = median(() -> runner.runFront(in)) * scale;
            Map<String, HostTensor> frontOut = runner.runFront(in);
            String bigName = runner.split().candidate().bigTensor();
            HostTensor big = frontOut.get(bigName);
            // what travels besides the coded tensor: the other shipped activations and side inputs (not the
            // front's own graph outputs such as its KV cache, which stay on the edge)
            long side = 0;
            for (String name : runner.split().candidate().shipped()) {
                if (!name.equals(bigName)) {
                    HostTensor t = frontOut.containsKey(name) ? frontOut.get(name) : in.get(name);
                    side += t.byteSize();
                }
            }
            TensorShape shape = ProfileAdapter.rowsByCols(big);
            float[] values = big.floats();
            long tokenSide = (side + shape.dim(0) - 1) / shape.dim(0);
            if (ar != null) {
                // the hand-off at step w: the layer-l states of prompt + w - 1 positions, tiled from the real ones
                int rows = ar.promptTokens() + row.w() - 1;
                values = tile(values, shape.dim(0), shape.dim(1), rows);
                side = (side * rows + shape.dim(0) - 1) / shape.dim(0);
                shape = TensorShape.of(rows, shape.dim(1));
            }
            Coded handOff = encodeTimed(values, shape, cs, theta.wireDtype(), scale);
            // the encode time, like the fidelity, is the mean over the held-out inputs: how long an ECSQ budget's
            // step search takes depends on the values
            double handOffEncode = handOff.encodeSeconds();
            for (int s = 1; s < inputs.size(); s++) {
                HostTensor other = runner.runFront(inputs.get(s)).get(bigName);
                float[] v = other.floats();
                if (ar != null) {
                    TensorShape own = ProfileAdapter.rowsByCols(other);
                    v = tile(v, own.dim(0), own.dim(1), shape.dim(0));
                }
                handOffEncode +=
                        encodeTimed(v, shape, cs, theta.wireDtype(), scale).encodeSeconds();
            }
            handOffEncode /= inputs.size();
            Coded token = new Coded(0, 0, 0);
            long tokenBytes = 0;
            double step = 0;
            if (ar != null && row.w() < ar.tokens()) {
                // one position of the layer-l state per later token, with its share of the side tensors; a step
                // ships the frame's body, its header being the hand-off's (codec FrameBodies)
                TensorShape one = TensorShape.of(1, shape.dim(1));
                token = encodeTimed(Arrays.copyOf(big.floats(), one.dim(1)), one, cs, theta.wireDtype(), scale);
                tokenBytes = token.bytes() - FrameFormat.headerBytes(one, cs);
            }
            if (ar != null && row.w() >= 2) {
                step = fullSeconds() * scale;
            }
            Map<String, HostTensor> shipped = new LinkedHashMap<>(frontOut);
            shipped.put(
                    bigName,
                    HostTensor.ofFloats(
                            big.shape(), codec.roundTrip(big.floats(), ProfileAdapter.rowsByCols(big), theta)));
            double back = median(() -> runner.runBack(shipped, in));
            double fidelity = 0;
            for (int s = 0; s < inputs.size(); s++) {
                Map<String, HostTensor> out = runner.run(inputs.get(s), t -> framing.roundTrip(codec, t, theta));
                fidelity += this.fidelity.worst(reference.get(s), out);
            }
            return new Measured(
                    front,
                    handOffEncode,
                    handOff.bytes() + side,
                    token.encodeSeconds(),
                    tokenBytes == 0 ? 0 : tokenBytes + tokenSide,
                    step,
                    handOff.decodeSeconds(),
                    back,
                    fidelity / inputs.size());
        }
    }

    /** A frame encoded and decoded warm: its length and the median times. */
    private record Coded(long bytes, double encodeSeconds, double decodeSeconds) {}

    private Coded encodeTimed(float[] v, TensorShape sh, CodecSettings cs, DType wire, double scale) {
        byte[] frame = new byte[Math.toIntExact(SizeBound.maxFrameBytes(sh, cs, wire))];
        int[] len = new int[1];
        for (int i = 0; i < CODEC_WARM_UP; i++) {
            len[0] = encoder.encodeAs(v, 0, sh, cs, wire, frame, 0);
        }
        // measured as the time model is (short encodes repeated back to back), so they differ only by what they time
        double encode = WarmEncodeTimer.burst(encoder, v, sh, cs, wire, frame) * scale;
        float[] decoded = new float[v.length];
        for (int i = 0; i < CODEC_WARM_UP; i++) {
            decoder.decode(frame, 0, len[0], decoded, 0);
        }
        double decode = medianOf(() -> decoder.decode(frame, 0, len[0], decoded, 0));
        return new Coded(len[0], encode, decode);
    }

    private double fullSeconds() {
        if (fullSeconds == null) {
            Map<String, HostTensor> in = inputs.get(0);
            fullSeconds = median(() -> full.run(in));
        }
        return fullSeconds;
    }

    private static float[] tile(float[] values, int rows, int cols, int wanted) {
        float[] out = new float[Math.multiplyExact(wanted, cols)];
        for (int r = 0; r < wanted; r++) {
            System.arraycopy(values, (r % rows) * cols, out, r * cols, cols);
        }
        return out;
    }

    private static double median(Supplier<?> run) {
        return WarmMedian.seconds(run::get);
    }

    private static double medianOf(Runnable run) {
        return WarmMedian.seconds(run);
    }

    @Override
    public void close() {
        full.close();
    }
}
