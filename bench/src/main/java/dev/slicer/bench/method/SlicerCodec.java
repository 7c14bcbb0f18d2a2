package dev.slicer.bench.method;

import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.DecodeLimits;
import dev.slicer.codec.FrameDecoder;
import dev.slicer.codec.FrameEncoder;
import dev.slicer.codec.SizeBound;
import dev.slicer.codec.TensorShape;

/** The SLICER codec at fixed settings: one self-describing frame per tensor. */
public final class SlicerCodec implements TensorCompressor {

    private final CodecSettings settings;
    private final FrameEncoder encoder = FrameEncoder.create();
    private final FrameDecoder decoder = FrameDecoder.create(DecodeLimits.defaults());
    private TensorShape shape = TensorShape.of(0, 1);

    public SlicerCodec(CodecSettings settings) {
        this.settings = settings;
    }

    public CodecSettings settings() {
        return settings;
    }

    private TensorShape shape(int rows, int cols) {
        if (shape.rows() != rows || shape.cols() != cols) {
            shape = TensorShape.of(rows, cols);
        }
        return shape;
    }

    @Override
    public int maxEncodedBytes(int rows, int cols) {
        return Math.toIntExact(SizeBound.maxFrameBytes(shape(rows, cols), settings));
    }

    @Override
    public int encode(float[] src, int srcOff, int rows, int cols, byte[] dst, int dstOff) {
        return encoder.encode(src, srcOff, shape(rows, cols), settings, dst, dstOff);
    }

    @Override
    public void decode(byte[] src, int srcOff, int len, int rows, int cols, float[] dst, int dstOff) {
        decoder.decode(src, srcOff, len, dst, dstOff);
    }
}
