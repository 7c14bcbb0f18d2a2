package dev.slicer.codec;

/** What a decoder accepts at most; frames declaring more are rejected before any allocation. */
public record DecodeLimits(long maxElements, long maxFrameBytes) {
    public DecodeLimits {
        if (maxElements <= 0 || maxFrameBytes <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** 64 Mi elements and 512 MiB: generous for one IF, far below what would exhaust a service heap. */
    public static DecodeLimits defaults() {
        return new DecodeLimits(64L << 20, 512L << 20);
    }
}
