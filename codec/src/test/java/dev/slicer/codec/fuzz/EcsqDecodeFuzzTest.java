package dev.slicer.codec.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.slicer.codec.CodecMode;

/**
 * Fuzzes the ECSQ decoder behind a valid header and CRC: the fuzzer picks the limits, the shape (zero-element
 * shapes with huge dimensions, large shapes with tiny payloads), the knobs and the payload. Regression inputs in
 * {@code EcsqDecodeFuzzTestInputs/decode/}; {@link #fuzzerTestOneInput} serves the Jazzer command line for long runs
 * (module README).
 */
public class EcsqDecodeFuzzTest {
    @FuzzTest(maxDuration = FuzzFrames.CI_BUDGET)
    void decode(FuzzedDataProvider data) {
        fuzzerTestOneInput(data);
    }

    public static void fuzzerTestOneInput(FuzzedDataProvider data) {
        FuzzFrames.decodeMode(CodecMode.ECSQ, data);
    }
}
