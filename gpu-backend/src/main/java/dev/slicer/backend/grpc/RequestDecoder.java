package dev.slicer.backend.grpc;

import dev.slicer.backend.tail.Port;
import dev.slicer.backend.tail.TailSpec;
import dev.slicer.codec.CodecException;
import dev.slicer.codec.FrameDecoder;
import dev.slicer.codec.FrameHeader;
import dev.slicer.codec.FrameLimitExceededException;
import dev.slicer.model.split.HostTensor;
import dev.slicer.protocol.BackendErrors;
import dev.slicer.protocol.BackendErrors.Reason;
import dev.slicer.protocol.TokenFrames;
import dev.slicer.protocol.WireFormatException;
import dev.slicer.protocol.WireLimits;
import dev.slicer.protocol.WireTensors;
import dev.slicer.protocol.v1.Tensor;
import io.grpc.StatusRuntimeException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a request's wire tensors into the tail's inputs. Every tensor is checked against the limits before anything
 * is allocated for it (frame size and header, raw shape and byte count), then against the tail's ports (names,
 * type, rank, constant dims, one batch and one sequence length across tensors). Any failure is a typed error for
 * this request only.
 */
public final class RequestDecoder {
    private final WireLimits limits;
    private final ThreadLocal<FrameDecoder> decoders;

    public RequestDecoder(WireLimits limits) {
        this.limits = limits;
        this.decoders = ThreadLocal.withInitial(() -> FrameDecoder.create(limits.decodeLimits()));
    }

    Map<String, HostTensor> decode(TailSpec tail, List<Tensor> tensors) {
        Set<String> expected = new HashSet<>();
        tail.inputs().forEach(p -> expected.add(p.name()));
        Set<String> given = new HashSet<>();
        for (Tensor t : tensors) {
            if (!given.add(t.getName()) || !expected.contains(t.getName())) {
                throw malformed("unexpected or repeated tensor '" + t.getName() + "'; split " + tail.index() + " takes "
                        + expected);
            }
        }
        if (!given.equals(expected)) {
            throw malformed("split " + tail.index() + " takes " + expected + ", got " + given);
        }
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            out.put(t.getName(), decode(t));
        }
        checkShapes(tail, out);
        return out;
    }

    /** One wire tensor checked against the limits before allocating (also the AR sessions' hand-off). */
    public HostTensor decode(Tensor t) {
        return decode(t, null);
    }

    /**
     * One wire tensor, which may be a frame body when {@code template} is the header it implies (the step of an AR
     * session opened with a frame); without a template a body is malformed.
     */
    public HostTensor decode(Tensor t, TokenFrames.Template template) {
        try {
            return switch (t.getPayloadCase()) {
                case FRAME -> frame(t);
                case FRAME_BODY -> {
                    if (template == null) {
                        throw malformed("tensor '" + t.getName() + "' is a frame body, which only the steps of an AR"
                                + " session opened with a frame may send");
                    }
                    yield frame(template.restore(t, limits));
                }
                case RAW -> {
                    if (t.getRaw().getData().size() > limits.maxFrameBytes()) {
                        throw BackendErrors.error(
                                Reason.LIMIT_EXCEEDED,
                                "tensor '" + t.getName() + "' has "
                                        + t.getRaw().getData().size() + " bytes, limit " + limits.maxFrameBytes());
                    }
                    WireTensors.Values v = WireTensors.decode(t.getRaw(), limits.maxElements());
                    yield new HostTensor(v.onnxType(), v.shape(), v.data());
                }
                case PAYLOAD_NOT_SET -> throw malformed("tensor '" + t.getName() + "' carries no payload");
            };
        } catch (FrameLimitExceededException e) {
            throw BackendErrors.error(Reason.LIMIT_EXCEEDED, "tensor '" + t.getName() + "': " + e.getMessage());
        } catch (CodecException | WireFormatException e) {
            throw malformed("tensor '" + t.getName() + "': " + e.getMessage());
        }
    }

    private HostTensor frame(Tensor t) {
        int len = t.getFrame().size();
        if (len > limits.maxFrameBytes()) {
            throw BackendErrors.error(
                    Reason.LIMIT_EXCEEDED,
                    "frame '" + t.getName() + "' has " + len + " bytes, limit " + limits.maxFrameBytes());
        }
        byte[] bytes = t.getFrame().toByteArray();
        FrameDecoder decoder = decoders.get();
        FrameHeader h = decoder.readHeader(bytes, 0, len);
        float[] values = new float[h.elementCount()];
        decoder.decode(bytes, 0, len, values, 0);
        long[] shape = Arrays.stream(h.shape().dims()).asLongStream().toArray();
        return HostTensor.ofFloats(shape, values);
    }

    /** Types, ranks and constant dims as the tail declares; one batch and one sequence length per request. */
    private static void checkShapes(TailSpec tail, Map<String, HostTensor> inputs) {
        long batch = -1;
        long sequence = -1;
        for (Port p : tail.inputs()) {
            HostTensor t = inputs.get(p.name());
            if (p.dataType() != 0 && p.dataType() != t.dataType()) {
                throw malformed(
                        "tensor '" + p.name() + "' has ONNX type " + t.dataType() + ", the tail takes " + p.dataType());
            }
            if (p.dims().isEmpty()) {
                continue;
            }
            long[] s = t.shape();
            if (s.length != p.dims().size()) {
                throw malformed(
                        "tensor '" + p.name() + "' has shape " + Arrays.toString(s) + ", the tail takes " + p.dims());
            }
            for (int a = 0; a < s.length; a++) {
                String d = p.dims().get(a);
                if (a == 0 && d.equals("batch")) {
                    batch = same(batch, s[a], "batch size", p);
                } else if (p.isSequence(a)) {
                    sequence = same(sequence, s[a], "sequence length", p);
                } else if (!d.isEmpty() && d.chars().allMatch(Character::isDigit) && Long.parseLong(d) != s[a]) {
                    throw malformed("tensor '" + p.name() + "' has shape " + Arrays.toString(s) + ", the tail takes "
                            + p.dims());
                }
            }
        }
        if (batch == 0 || sequence == 0) {
            throw malformed("empty batch or sequence");
        }
    }

    private static long same(long seen, long value, String what, Port p) {
        if (seen >= 0 && seen != value) {
            throw malformed("tensor '" + p.name() + "' has " + what + " " + value + ", other tensors " + seen);
        }
        return value;
    }

    private static StatusRuntimeException malformed(String message) {
        return BackendErrors.error(Reason.MALFORMED_FRAME, message);
    }
}
