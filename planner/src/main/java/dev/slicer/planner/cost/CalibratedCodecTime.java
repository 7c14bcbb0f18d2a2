package dev.slicer.planner.cost;

import dev.slicer.codec.TimeModel;
import dev.slicer.planner.search.Theta;

/**
 * The codec's own calibrated time model ({@link TimeModel}: per-stage costs measured on this machine) as the
 * planner's {@code zeta(theta)}. Profiles store it in the serialisable form {@link LinearCodecTimeModel#sampled}.
 *
 * @param model the codec's time model
 */
public record CalibratedCodecTime(TimeModel model) implements CodecTimeModel {

    public CalibratedCodecTime {
        if (model == null) {
            throw new IllegalArgumentException("no codec time model");
        }
    }

    /** Measures the codec's stage costs on this machine ({@link TimeModel#calibrate}). */
    public static CalibratedCodecTime calibrate(int elements, long seed) {
        return new CalibratedCodecTime(TimeModel.calibrate(elements, seed));
    }

    @Override
    public double encodeSeconds(long elements, Theta theta) {
        return model.encodeSeconds(elements, theta.toCodecSettings());
    }
}
