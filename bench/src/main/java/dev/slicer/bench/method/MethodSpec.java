package dev.slicer.bench.method;

import dev.slicer.codec.CodecSettings;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A method under test.
 *
 * @param id stable identifier without spaces or commas (usable as a JMH parameter value)
 * @param family series name in the rate-distortion plot, e.g. {@code int8} or {@code slicer ts-tabq+rans}
 * @param settings human description of the settings
 * @param lossless whether the reconstruction must be bit-exact (checked by the benchmark)
 * @param codec the SLICER settings, empty for baselines
 * @param factory creates a fresh single-threaded instance
 */
public record MethodSpec(
        String id,
        String family,
        String settings,
        boolean lossless,
        Optional<CodecSettings> codec,
        Supplier<TensorCompressor> factory) {

    public boolean isSlicer() {
        return codec.isPresent();
    }

    public TensorCompressor create() {
        return factory.get();
    }

    /** One-token label: the codec's label with spaces replaced by underscores, or the id for baselines. */
    public String token() {
        return codec.map(c -> c.label().replace(' ', '_')).orElse(id);
    }
}
