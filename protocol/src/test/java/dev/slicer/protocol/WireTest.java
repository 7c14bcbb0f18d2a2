package dev.slicer.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.slicer.protocol.v1.Packing;
import dev.slicer.protocol.v1.RawTensor;
import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WireTest {

    @Test
    void rawTensorsRoundTripEveryType() {
        float[] f = {1.5f, -0f, Float.MIN_VALUE, 3e38f};
        WireTensors.Values v = WireTensors.decode(WireTensors.encode(WireTensors.FLOAT, new long[] {2, 2}, f), 4);
        assertThat(v.shape()).containsExactly(2, 2);
        assertThat((float[]) v.data()).containsExactly(f);
        long[] l = {Long.MIN_VALUE, 7};
        assertThat((long[]) WireTensors.decode(WireTensors.encode(WireTensors.INT64, new long[] {2}, l), 2)
                        .data())
                .containsExactly(l);
        int[] i = {-1, 2, 3};
        assertThat((int[]) WireTensors.decode(WireTensors.encode(WireTensors.INT32, new long[] {1, 3}, i), 3)
                        .data())
                .containsExactly(i);
        byte[] b = {0, 1};
        assertThat((byte[]) WireTensors.decode(WireTensors.encode(WireTensors.BOOL, new long[] {2}, b), 2)
                        .data())
                .containsExactly(b);
    }

    @Test
    void hostileRawTensorsAreRejectedBeforeAllocating() {
        RawTensor huge = RawTensor.newBuilder()
                .setOnnxType(WireTensors.FLOAT)
                .addShape(1L << 40)
                .addShape(1L << 40)
                .build();
        assertThatThrownBy(() -> WireTensors.decode(huge, 1 << 20))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("exceeds the limit");
        RawTensor shortData = RawTensor.newBuilder()
                .setOnnxType(WireTensors.FLOAT)
                .addShape(4)
                .setData(ByteString.copyFrom(new byte[15]))
                .build();
        assertThatThrownBy(() -> WireTensors.decode(shortData, 16)).hasMessageContaining("needs 16 bytes, got 15");
        RawTensor negative = RawTensor.newBuilder()
                .setOnnxType(WireTensors.FLOAT)
                .addShape(-1)
                .build();
        assertThatThrownBy(() -> WireTensors.decode(negative, 16)).hasMessageContaining("negative");
        RawTensor unknownType = RawTensor.newBuilder().setOnnxType(16).build();
        assertThatThrownBy(() -> WireTensors.decode(unknownType, 16)).hasMessageContaining("unsupported");
        RawTensor empty = RawTensor.newBuilder()
                .setOnnxType(WireTensors.FLOAT)
                .addShape(0)
                .addShape(1L << 40)
                .build();
        assertThat(((float[]) WireTensors.decode(empty, 16).data())).isEmpty();
    }

    @Test
    void smallIntegersTravelAsZigzagVarints() {
        long[] mask = new long[18];
        java.util.Arrays.fill(mask, 1);
        RawTensor m = WireTensors.encode(WireTensors.INT64, new long[] {1, 18}, mask);
        assertThat(m.getPacking()).isEqualTo(Packing.PACKING_ZIGZAG_VARINT);
        assertThat(m.getData().size()).isEqualTo(18); // 144 little-endian
        assertThat((long[]) WireTensors.decode(m, 18).data()).containsExactly(mask);
        int[] ids = {101, 30521, -1, 0, 102};
        RawTensor i = WireTensors.encode(WireTensors.INT32, new long[] {5}, ids);
        assertThat(i.getPacking()).isEqualTo(Packing.PACKING_ZIGZAG_VARINT);
        assertThat(i.getData().size()).isEqualTo(2 + 3 + 1 + 1 + 2);
        assertThat((int[]) WireTensors.decode(i, 5).data()).containsExactly(ids);
        // where varints would be longer the values stay little-endian
        long[] wide = {Long.MIN_VALUE, Long.MAX_VALUE};
        RawTensor w = WireTensors.encode(WireTensors.INT64, new long[] {2}, wide);
        assertThat(w.getPacking()).isEqualTo(Packing.PACKING_LITTLE_ENDIAN);
        assertThat(w.getData().size()).isEqualTo(16);
    }

    @Test
    void integersOfEveryMagnitudeRoundTripInEitherPacking() {
        java.util.Random r = new java.util.Random(42);
        for (int trial = 0; trial < 2000; trial++) {
            int n = r.nextInt(40);
            int bits = 1 + r.nextInt(64);
            long[] l = new long[n];
            int[] i = new int[n];
            for (int k = 0; k < n; k++) {
                l[k] = r.nextLong() >> (64 - bits);
                i[k] = (int) l[k] ^ (bits > 32 ? r.nextInt() : 0);
            }
            assertThat((long[]) WireTensors.decode(WireTensors.encode(WireTensors.INT64, new long[] {n}, l), n)
                            .data())
                    .containsExactly(l);
            assertThat((int[]) WireTensors.decode(WireTensors.encode(WireTensors.INT32, new long[] {n}, i), n)
                            .data())
                    .containsExactly(i);
        }
    }

    @Test
    void malformedVarintValuesAreTypedErrors() {
        assertThatThrownBy(() -> WireTensors.decode(varints(WireTensors.INT64, 3, 2, 2), 3))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("cannot take 2 bytes");
        assertThatThrownBy(() -> WireTensors.decode(varints(WireTensors.INT64, 1, new byte[11]), 1))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("cannot take 11 bytes");
        // a varint whose last byte still says "more follows"
        assertThatThrownBy(() -> WireTensors.decode(varints(WireTensors.INT64, 2, 2, 0x80), 2))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("malformed varint");
        assertThatThrownBy(() -> WireTensors.decode(varints(WireTensors.INT64, 2, 2, 2, 2), 2))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("after the last");
        // zigzag 2^32 is 2^31, one above the int32 range
        assertThatThrownBy(() -> WireTensors.decode(varints(WireTensors.INT32, 1, 0x80, 0x80, 0x80, 0x80, 0x10), 1))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> WireTensors.decode(varints(WireTensors.FLOAT, 1, 2, 2, 2, 2), 1))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("not type 1");
        RawTensor unknown = RawTensor.newBuilder()
                .setOnnxType(WireTensors.INT64)
                .addShape(1)
                .setData(ByteString.copyFrom(new byte[8]))
                .setPackingValue(7)
                .build();
        assertThatThrownBy(() -> WireTensors.decode(unknown, 1))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("unknown packing 7");
    }

    private static RawTensor varints(int type, int n, int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int k = 0; k < b.length; k++) {
            b[k] = (byte) bytes[k];
        }
        return varints(type, n, b);
    }

    private static RawTensor varints(int type, int n, byte[] bytes) {
        return RawTensor.newBuilder()
                .setOnnxType(type)
                .addShape(n)
                .setData(ByteString.copyFrom(bytes))
                .setPacking(Packing.PACKING_ZIGZAG_VARINT)
                .build();
    }

    @Test
    void limitsFollowTheCodecBound() {
        WireLimits l = WireLimits.forElements(1 << 20);
        assertThat(l.maxFrameBytes()).isGreaterThanOrEqualTo(4 << 20);
        assertThat(l.maxMessageBytes()).isGreaterThan(l.maxFrameBytes() * 3 / 2);
        assertThat(l.decodeLimits().maxElements()).isEqualTo(1 << 20);
        assertThatThrownBy(() -> WireLimits.forElements(400_000_000)).hasMessageContaining("2 GiB");
    }

    @Test
    void errorsCarryReasonAndRetryDelay() {
        var e = BackendErrors.queueFull("queue full (64 waiting)", Duration.ofMillis(25));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(BackendErrors.reason(e)).contains(BackendErrors.Reason.QUEUE_FULL);
        assertThat(BackendErrors.retryAfter(e)).contains(Duration.ofMillis(25));
        var m = BackendErrors.error(BackendErrors.Reason.MALFORMED_FRAME, "bad CRC at offset 40");
        assertThat(m.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(BackendErrors.reason(m)).contains(BackendErrors.Reason.MALFORMED_FRAME);
        assertThat(BackendErrors.retryAfter(m)).isEmpty();
        assertThat(BackendErrors.reason(Status.UNAVAILABLE.asRuntimeException()))
                .isEmpty();
        assertThat(BackendErrors.Reason.QUEUE_FULL.retryable()).isTrue();
        assertThat(BackendErrors.Reason.MALFORMED_FRAME.retryable()).isFalse();
    }
}
