package dev.slicer.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.DType;
import dev.slicer.codec.DecodeLimits;
import dev.slicer.codec.FrameBodies;
import dev.slicer.codec.FrameDecoder;
import dev.slicer.codec.FrameHeader;
import dev.slicer.codec.FrameLimitExceededException;
import dev.slicer.codec.MalformedFrameException;
import dev.slicer.codec.TensorShape;
import dev.slicer.protocol.v1.Tensor;
import java.util.Optional;

/**
 * The per-token frames of an AR session at a split (backend.proto {@code Tensor.frame_body}): the hand-off frame
 * {@code [1, positions, hidden]} fixes dtype and settings, every step is one position {@code [1, 1, hidden]} with
 * the same header, so a step ships only the frame's body. The edge cuts bodies with {@link #cut}; the back-end keeps
 * the {@link Template} of the session's hand-off and restores each step's frame with it.
 */
public final class TokenFrames {
    private TokenFrames() {}

    /** The header every step of a session implies. */
    public record Template(DType dtype, TensorShape step, CodecSettings settings) {
        /**
         * The whole-frame tensor a step's {@code frame_body} stands for; a whole frame passes unchanged.
         *
         * @throws MalformedFrameException for a body too short, {@link FrameLimitExceededException} for one above the
         *     limits (both {@code CodecException}s)
         */
        public Tensor restore(Tensor t, WireLimits limits) {
            if (t.getPayloadCase() != Tensor.PayloadCase.FRAME_BODY) {
                return t;
            }
            ByteString body = t.getFrameBody();
            if (body.size() > limits.maxFrameBytes()) {
                throw new FrameLimitExceededException(0, "frame bytes", body.size(), limits.maxFrameBytes());
            }
            byte[] b = body.toByteArray();
            byte[] frame = FrameBodies.frame(dtype, step, settings, b, 0, b.length, limits.decodeLimits());
            return Tensor.newBuilder()
                    .setName(t.getName())
                    .setFrame(UnsafeByteOperations.unsafeWrap(frame))
                    .build();
        }
    }

    /**
     * The template of a session opened with {@code handOff}: empty unless it is a frame of shape
     * {@code [1, positions, hidden]}. The header is parsed against the limits; the frame itself is decoded elsewhere.
     */
    public static Optional<Template> template(Tensor handOff, WireLimits limits) {
        if (!handOff.hasFrame()) {
            return Optional.empty();
        }
        byte[] f = handOff.getFrame().toByteArray();
        FrameHeader h = FrameDecoder.create(limits.decodeLimits()).readHeader(f, 0, f.length);
        TensorShape s = h.shape();
        if (s.rank() != 3 || s.dim(0) != 1) {
            return Optional.empty();
        }
        return Optional.of(new Template(h.dtype(), TensorShape.of(1, 1, s.dim(2)), h.settings()));
    }

    /** The step tensor with only the body of a frame the caller encoded. */
    public static Tensor cut(String name, ByteString frame) {
        byte[] f = frame.toByteArray();
        byte[] body = FrameBodies.body(f, 0, f.length, new DecodeLimits(Long.MAX_VALUE, f.length));
        return Tensor.newBuilder()
                .setName(name)
                .setFrameBody(UnsafeByteOperations.unsafeWrap(body))
                .build();
    }
}
