package dev.slicer.edge.infer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.DType;
import dev.slicer.codec.TensorShape;
import dev.slicer.codec.frame.FrameFormat;
import dev.slicer.model.split.HostTensor;
import dev.slicer.protocol.WireTensors;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** What a request ships is counted as it goes on the wire: frames at their length, side tensors as packed. */
class ShipmentTest {

    @Test
    void sideTensorsCountTheBytesTheyTakeOnTheWire() {
        long[] mask = new long[18];
        Arrays.fill(mask, 1);
        Shipment s = new Shipment();
        s.raw("attention_mask", HostTensor.ofLongs(new long[] {1, 18}, mask));
        assertThat(s.rawBytes()).isEqualTo(18 * 8);
        assertThat(s.sentBytes()).isEqualTo(18); // one varint byte a token
        assertThat((long[]) WireTensors.decode(s.tensors().get(0).getRaw(), 18).data())
                .containsExactly(mask);
    }

    @Test
    void framesCountTheirLength() {
        float[] x = new float[4 * 384];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.1);
        }
        Shipment s = new Shipment();
        CodecSettings b3 = CodecSettings.ecsq().bitsPerElement(3).predict(true).build();
        s.frame("hidden", HostTensor.ofFloats(new long[] {1, 4, 384}, x), b3, DType.FP32);
        assertThat(s.rawBytes()).isEqualTo(4 * x.length);
        assertThat(s.sentBytes())
                .isEqualTo(b3.budgetBytes(x.length))
                .isEqualTo(s.tensors().get(0).getFrame().size());
    }

    @Test
    void aTokenShipsTheBodyOfItsFrameAndCountsOnlyThat() {
        float[] x = new float[512];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.cos(i * 0.3) * 40;
        }
        HostTensor token = HostTensor.ofFloats(new long[] {1, 1, 512}, x);
        CodecSettings tabq = CodecSettings.tsTabq()
                .outlierFraction(0.01)
                .qbit(8)
                .delta(0.005)
                .entropy(true)
                .build();
        Shipment whole = new Shipment();
        whole.frame("hidden", token, tabq, DType.FP32);
        Shipment body = new Shipment();
        body.frameBody("hidden", token, tabq, DType.FP32);
        byte[] frame = whole.tensors().get(0).getFrame().toByteArray();
        int header = FrameFormat.headerBytes(TensorShape.of(1, 1, 512), tabq);
        assertThat(body.tensors().get(0).getFrameBody().toByteArray())
                .isEqualTo(Arrays.copyOfRange(frame, header, frame.length));
        assertThat(body.sentBytes()).isEqualTo(whole.sentBytes() - header);
        assertThat(body.rawBytes()).isEqualTo(whole.rawBytes());
    }
}
