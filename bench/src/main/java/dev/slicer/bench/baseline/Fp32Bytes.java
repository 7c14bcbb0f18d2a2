package dev.slicer.bench.baseline;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/** A growable little-endian scratch buffer with float and short views, for the byte-oriented baselines. */
final class Fp32Bytes {

    private byte[] bytes = new byte[0];
    private FloatBuffer floats;
    private ShortBuffer shorts;

    byte[] ensure(int byteCount) {
        if (bytes.length < byteCount) {
            bytes = new byte[byteCount];
            ByteBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            floats = view.asFloatBuffer();
            shorts = view.asShortBuffer();
        }
        return bytes;
    }

    /** Writes {@code n} floats as little-endian fp32 bytes and returns the buffer. */
    byte[] putFloats(float[] src, int off, int n) {
        ensure(4 * n);
        floats.clear();
        floats.put(src, off, n);
        return bytes;
    }

    /** Reads {@code n} little-endian fp32 values from the buffer. */
    void getFloats(float[] dst, int off, int n) {
        floats.clear();
        floats.get(dst, off, n);
    }

    byte[] putShorts(short[] src, int n) {
        ensure(2 * n);
        shorts.clear();
        shorts.put(src, 0, n);
        return bytes;
    }

    void getShorts(short[] dst, int n) {
        shorts.clear();
        shorts.get(dst, 0, n);
    }
}
