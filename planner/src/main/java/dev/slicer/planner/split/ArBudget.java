package dev.slicer.planner.split;

import static dev.slicer.planner.InvalidPlanInputException.require;

/**
 * The autoregressive part of a device's budget (eqs. 4-6).
 *
 * @param tokens T, tokens to generate per request
 * @param promptTokens prompt length; the hand-off at step w ships the layer-l states of all {@code prompt + w - 1}
 *     positions
 * @param arMemoryBytes {@code M_ar}: per-step offload-buffer cap, also reserved next to the compressed network
 *     ({@code m(compressed) + M_ar <= M}, eq. 4)
 */
public record ArBudget(int tokens, int promptTokens, long arMemoryBytes) {
    public static final int MAX_TOKENS = 65_536;

    public ArBudget {
        require(tokens >= 1 && tokens <= MAX_TOKENS, "tokens must be 1.." + MAX_TOKENS + ", got " + tokens);
        require(
                promptTokens >= 1 && promptTokens <= MAX_TOKENS,
                "prompt tokens must be 1.." + MAX_TOKENS + ", got " + promptTokens);
        require(arMemoryBytes > 0, "AR memory M_ar must be > 0, got " + arMemoryBytes);
    }
}
