package dev.slicer.planner.cli;

import dev.slicer.codec.TensorShape;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.SampleInputs;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.planner.search.Theta;
import java.util.List;

/**
 * How a split's big activation crosses the network, so that calibration and {@code plan check} round-trip a sample
 * through the codec in the frames a live edge encodes. A single-shot model sends one frame per request. A decoder
 * sends the prompt's positions as one hand-off frame and then one single-position frame per generated token; a
 * setting scored on one whole-sequence frame (ECSQ at 12 bits: every greedy token kept at the embedding split) lost
 * four of five tokens on the per-token frames of the real path.
 */
enum IfFraming {
    WHOLE {
        @Override
        int firstFrameRows(int rows) {
            return rows;
        }
    },
    AUTOREGRESSIVE {
        @Override
        int firstFrameRows(int rows) {
            return handOffRows(rows);
        }
    };

    /** The framing of {@code m}'s activations: per token for a decoder (it reads a KV cache), whole otherwise. */
    static IfFraming of(SplittableModel m) {
        return SampleInputs.hasKvCache(m.model()) ? AUTOREGRESSIVE : WHOLE;
    }

    /**
     * The positions of a sample sequence taken as its prompt (the hand-off frame): the first half, so the other half
     * is scored as generated tokens, each in its own frame.
     */
    static int handOffRows(int rows) {
        return Math.max(1, (rows + 1) / 2);
    }

    /** Rows of the first frame; every later row is a frame of its own. */
    abstract int firstFrameRows(int rows);

    /** The distinct frame shapes an activation of {@code rowsByCols} is sent in (each must be encodable). */
    List<TensorShape> frames(TensorShape rowsByCols) {
        int rows = rowsByCols.rows();
        int first = firstFrameRows(rows);
        TensorShape head = TensorShape.of(first, rowsByCols.cols());
        return rows > first ? List.of(head, TensorShape.of(1, rowsByCols.cols())) : List.of(head);
    }

    /** {@code t} after the codec round trip of each of its frames, in its own shape. */
    HostTensor roundTrip(CodecRoundTrip codec, HostTensor t, Theta theta) {
        TensorShape shape = ProfileAdapter.rowsByCols(t);
        int cols = shape.cols();
        int rows = shape.rows();
        float[] values = t.floats();
        float[] out = new float[values.length];
        int first = firstFrameRows(rows);
        copyRoundTrip(codec, values, 0, first, cols, theta, out);
        for (int r = first; r < rows; r++) {
            copyRoundTrip(codec, values, r, 1, cols, theta, out);
        }
        return HostTensor.ofFloats(t.shape(), out);
    }

    private static void copyRoundTrip(
            CodecRoundTrip codec, float[] values, int fromRow, int rows, int cols, Theta theta, float[] out) {
        float[] frame = new float[rows * cols];
        System.arraycopy(values, fromRow * cols, frame, 0, frame.length);
        float[] back = codec.roundTrip(frame, TensorShape.of(rows, cols), theta);
        System.arraycopy(back, 0, out, fromRow * cols, back.length);
    }
}
