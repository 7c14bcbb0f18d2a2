package dev.slicer.codec.frame;

import dev.slicer.codec.CodecMode;
import dev.slicer.codec.ecsq.EcsqPayloadCodec;
import dev.slicer.codec.tabq.TsTabqPayloadCodec;

/** Creates the payload codec of a mode; one instance per encoder or decoder (they keep scratch). */
public final class PayloadCodecs {
    private PayloadCodecs() {}

    public static PayloadCodec create(CodecMode mode) {
        return switch (mode) {
            case LOSSLESS -> new LosslessPayloadCodec();
            case TOPK -> new TopKPayloadCodec();
            case TS_TABQ -> new TsTabqPayloadCodec();
            case ECSQ -> new EcsqPayloadCodec();
        };
    }
}
