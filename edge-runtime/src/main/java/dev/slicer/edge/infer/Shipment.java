package dev.slicer.edge.infer;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.DType;
import dev.slicer.codec.FrameEncoder;
import dev.slicer.codec.SizeBound;
import dev.slicer.codec.TensorShape;
import dev.slicer.model.split.HostTensor;
import dev.slicer.protocol.TokenFrames;
import dev.slicer.protocol.WireTensors;
import dev.slicer.protocol.v1.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tensors one request ships: the big float intermediate feature as a codec frame (the row's knobs), side tensors
 * raw ({@link WireTensors}: small integers as varints). Counts raw and sent bytes for the metrics and the report.
 */
public final class Shipment {
    private static final ThreadLocal<FrameEncoder> ENCODERS = ThreadLocal.withInitial(FrameEncoder::create);

    final List<Tensor> tensors = new ArrayList<>();
    long rawBytes;
    long sentBytes;

    public void raw(String name, HostTensor t) {
        Tensor wire = Tensor.newBuilder()
                .setName(name)
                .setRaw(WireTensors.encode(t.dataType(), t.shape(), t.data()))
                .build();
        tensors.add(wire);
        rawBytes += t.byteSize();
        sentBytes += wire.getRaw().getData().size(); // small integers go as varints
    }

    /** The float feature as one frame; with {@code wire} FP16 it is cast to fp16 first (a lossless-half row). */
    public void frame(String name, HostTensor t, CodecSettings settings, DType wire) {
        ByteString frame = encode(t, settings, wire);
        tensors.add(Tensor.newBuilder().setName(name).setFrame(frame).build());
        rawBytes += t.byteSize();
        sentBytes += frame.size();
    }

    /**
     * One position of an AR session as the body of its frame ({@code TokenFrames}): the header is the hand-off
     * frame's, which the back-end keeps, so only the payload and the CRC cross the link.
     */
    public void frameBody(String name, HostTensor t, CodecSettings settings, DType wire) {
        Tensor body = TokenFrames.cut(name, encode(t, settings, wire));
        tensors.add(body);
        rawBytes += t.byteSize();
        sentBytes += body.getFrameBody().size();
    }

    private static ByteString encode(HostTensor t, CodecSettings settings, DType wire) {
        TensorShape ts = TensorShape.of(
                Arrays.stream(t.shape()).mapToInt(Math::toIntExact).toArray());
        byte[] buf = new byte[Math.toIntExact(SizeBound.maxFrameBytes(ts, settings, wire))];
        int n = ENCODERS.get().encodeAs(t.floats(), 0, ts, settings, wire, buf, 0);
        return UnsafeByteOperations.unsafeWrap(buf, 0, n);
    }

    public List<Tensor> tensors() {
        return tensors;
    }

    public long sentBytes() {
        return sentBytes;
    }

    public long rawBytes() {
        return rawBytes;
    }
}
