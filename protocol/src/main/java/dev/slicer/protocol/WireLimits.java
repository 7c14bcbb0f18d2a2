package dev.slicer.protocol;

import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.DecodeLimits;
import dev.slicer.codec.SizeBound;
import dev.slicer.codec.TensorShape;

/**
 * The size limits of one end, all derived from the largest intermediate feature it accepts, so the gRPC message
 * limit, the frame decoder's limits and the raw-tensor checks agree instead of being three guesses.
 *
 * @param maxElements largest element count of any one tensor
 * @param maxFrameBytes largest codec frame: the codec's own worst-case bound for a lossless fp32 frame of that size
 * @param maxMessageBytes largest gRPC message: the frame, side tensors (at most half the frame's size: a split ships
 *     side tensors of at most a quarter of the big activation's elements, int64 at most twice as wide), and 64 KiB of
 *     envelope (names, report, ids)
 */
public record WireLimits(long maxElements, int maxFrameBytes, int maxMessageBytes) {
    static final int ENVELOPE_BYTES = 64 << 10;

    public WireLimits {
        if (maxElements <= 0 || maxFrameBytes <= 0 || maxMessageBytes < maxFrameBytes) {
            throw new IllegalArgumentException("inconsistent wire limits");
        }
    }

    /** The limits for intermediate features of at most {@code maxElements} values. */
    public static WireLimits forElements(int maxElements) {
        if (maxElements <= 0) {
            throw new IllegalArgumentException("maxElements must be positive, got " + maxElements);
        }
        long frame = SizeBound.maxFrameBytes(TensorShape.of(maxElements), CodecSettings.lossless());
        if (frame + frame / 2 + ENVELOPE_BYTES > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(maxElements + " elements make messages above 2 GiB");
        }
        return of(maxElements, (int) frame);
    }

    /**
     * Limits configured as two numbers (a service's element and frame limits); the message limit is derived from
     * the frame limit as in {@link #forElements(int)}.
     */
    public static WireLimits of(long maxElements, int maxFrameBytes) {
        long message = (long) maxFrameBytes + maxFrameBytes / 2 + ENVELOPE_BYTES;
        if (maxFrameBytes <= 0 || message > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("frame limit " + maxFrameBytes + " out of range");
        }
        return new WireLimits(maxElements, maxFrameBytes, (int) message);
    }

    /** What the codec's frame decoder is given. */
    public DecodeLimits decodeLimits() {
        return new DecodeLimits(maxElements, maxFrameBytes);
    }
}
