package dev.slicer.codec;

/** How a frame's values are coded. */
public enum CodecMode {
    /** Raw values, bit-exact round trip (s = 0). Used to test split exactness. */
    LOSSLESS,
    /** SLICER: ATKF top-K filtering, magnitude splitting into M+/M- blocks, adaptive bit quantization, sparse index. */
    TOPK,
    /** Threshold splitting (outliers kept at high precision) plus token-wise adaptive bit quantization per row. */
    TS_TABQ,
    /**
     * Entropy-coded uniform scalar quantization: one step per tensor, optional prediction of each value from its
     * channel's running mean, rANS-coded symbols. The rate-distortion winner on dense features.
     */
    ECSQ
}
