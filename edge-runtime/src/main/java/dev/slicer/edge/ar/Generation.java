package dev.slicer.edge.ar;

import java.util.List;

/**
 * The result of one generation.
 *
 * @param tokens the generated token ids (the prompt excluded)
 * @param finish {@code length} (max_tokens reached), {@code stop} (the sink stopped it) or {@code cancelled}
 * @param mode how it ran: {@code local}, {@code offload} or {@code cloud}
 * @param split the split index (-1 cloud-only, the candidate count local-only)
 * @param w the hand-off step (1-based; 0 when nothing was offloaded)
 * @param logits the next-token logits of every generated token, when requested (fidelity measurements)
 * @param recoveries sessions re-opened after the back-end lost them
 * @param ifBytes bytes of intermediate features (or token ids) sent to the back-end
 * @param fallback why the plan's row was not followed, or null
 */
public record Generation(
        long[] tokens,
        String finish,
        String mode,
        int split,
        int w,
        List<float[]> logits,
        int recoveries,
        long ifBytes,
        String fallback) {}
