package dev.slicer.planner.link;

/** What an edge measures to pick its plan row. */
public enum LinkAxis {
    /** Measured goodput in bit/s (wired or otherwise already-reliable links): {@code Lc = B/R + zeta}. */
    GOODPUT_BITS_PER_SECOND,
    /** Average SNR in dB of an epsilon-outage wireless link (eq. 1), rate chosen to minimise {@code Lc}. */
    SNR_DB
}
