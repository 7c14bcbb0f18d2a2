package dev.slicer.planner.search;

/**
 * What SLICER-Search optimises among the knob settings that meet every constraint (latency, memory, fidelity floor)
 * at the chosen split. The split itself is always the deepest feasible one.
 */
public enum Objective {
    /**
     * The paper's order: compress only as much as the link needs (least harmful level first, best fidelity inside
     * it). Fast links get (near-)lossless frames.
     */
    FIDELITY,
    /**
     * The fewest bytes whose fidelity still meets the floor (ties: better fidelity): for metered or shared uplinks,
     * where every byte costs even when the link could carry more. The floor is what keeps quality; it must be set.
     */
    BYTES
}
