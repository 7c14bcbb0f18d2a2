package dev.slicer.codec;

/**
 * The revision of what the encoder writes for given values and settings. What is measured through the codec (a
 * planner profile's fidelity per setting) records the revision it was measured with, and a reader refuses another
 * one: those numbers describe frames this codec no longer writes. An ECSQ budget that gained a frame allowance, for
 * one, moved a short sentence's output cosine from 0.970 to 0.981 at the same setting.
 *
 * <p>Bump it whenever the golden frames change ({@code GoldenFrameTest} pins their digest to this revision), so a
 * change of the encoding cannot land without one.
 */
public final class CodecRevision {
    /** 1: the first recorded revision (frame format 2, ECSQ budgets with the frame allowance). */
    public static final int CURRENT = 1;

    private CodecRevision() {}
}
