package dev.slicer.planner.cost;

import dev.slicer.codec.CodecMode;
import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.FrameEncoder;
import dev.slicer.codec.SizeBound;
import dev.slicer.codec.TensorShape;
import dev.slicer.planner.search.Theta;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The codec's own {@code B_UB} ({@link SizeBound}) for fp32 features: the planner's production size model. For an
 * ECSQ byte budget the bound is the budget (frames are exactly that long), and the smallest budget planned is the
 * frame of an all-zero tensor of the shape (about 40 B) plus {@value #ECSQ_MARGIN_BYTES} B. A budget below that frame
 * can never be met; just above it the encoder's step search can give up (on a [20, 28] heavy-tailed tensor at 1 bit
 * per element, 70 B: 78 B at every step up to 32 x RMS, 41 B only at the coarsest, 64 x RMS, which the search did
 * not reach). With the margin the encoder met every budget of 24,000 random tensors (Gaussian, heavy-tailed,
 * constant; up to [64, 400]; 1 to 16 bits per element) and of 20,000 one-token [1, 64] frames at 12 bits; without
 * it 73 budgets failed. The codec's per-frame allowance ({@link CodecSettings#FRAME_ALLOWANCE_BYTES}, 96 B) now
 * keeps every budget above that smallest one; the check stays for settings and size models where it does not.
 */
public final class CodecSizeBound implements FrameSizeModel {
    public static final CodecSizeBound INSTANCE = new CodecSizeBound();

    /**
     * Budgets from this size up are never probed: the all-zero frame is tens of bytes at any size (40 B measured
     * from [16, 64] to [8192, 1024]), and larger tensors' few escapes cost bytes per thousand elements.
     */
    static final long PROBE_BELOW = 64 * 1024;

    /** Bytes above the all-zero frame the smallest planned budget has (a few non-zero codes and their table). */
    static final int ECSQ_MARGIN_BYTES = 48;

    /** Smallest planned ECSQ budget per (shape, prediction). */
    private static final int MAX_CACHED = 4096;

    private final Map<List<Object>, Long> smallest = new ConcurrentHashMap<>();

    private CodecSizeBound() {}

    @Override
    public long maxFrameBytes(TensorShape shape, Theta theta) {
        return SizeBound.maxFrameBytes(shape, theta.toCodecSettings(), theta.wireDtype());
    }

    @Override
    public long maxTokenBytes(TensorShape shape, Theta theta) {
        return SizeBound.maxBodyBytes(shape, theta.toCodecSettings(), theta.wireDtype());
    }

    @Override
    public long minFrameBytes(TensorShape shape, Theta theta) {
        CodecSettings s = theta.toCodecSettings();
        if (theta.mode() != CodecMode.ECSQ
                || !s.hasBudget()
                || shape.elementCount() == 0
                || s.budgetBytes(shape.elementCount()) >= PROBE_BELOW) {
            return 0;
        }
        if (smallest.size() > MAX_CACHED) {
            smallest.clear(); // bounded: recomputing is cheap
        }
        return smallest.computeIfAbsent(
                List.of(java.util.Arrays.toString(shape.dims()), theta.predict()),
                k -> zeroFrameBytes(shape, theta.predict()) + ECSQ_MARGIN_BYTES);
    }

    /** The frame of an all-zero tensor at a fixed step: every code zero, the least any ECSQ frame of it can be. */
    static long zeroFrameBytes(TensorShape shape, boolean predict) {
        CodecSettings fixed = CodecSettings.ecsq().step(1).predict(predict).build();
        return FrameEncoder.create().encode(new float[shape.elementCount()], shape, fixed).length;
    }
}
