package dev.slicer.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
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
