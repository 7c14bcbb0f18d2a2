package dev.slicer.model.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MonotonicityTest {
    private static CandidateProfile c(int i, double ms) {
        return new CandidateProfile(i, "c" + i, 0, 0, 0, List.of(), 0, "t", 0, ms);
    }

    @Test
    void aDeeperFrontMeasuredClearlyFasterIsNamed() {
        assertThat(ModelProfiler.monotonicityWarnings(List.of(c(0, 1.0), c(1, 2.0), c(2, 1.95), c(3, 3.0))))
                .isEmpty();
        List<String> w = ModelProfiler.monotonicityWarnings(List.of(c(0, 1.0), c(1, 4.0), c(2, 2.0), c(3, 5.0)));
        assertThat(w).hasSize(1);
        assertThat(w.get(0)).contains("c2 2.000 ms < c1 4.000 ms").contains("noise");
    }

    @Test
    void medianOfEvenAndOdd() {
        assertThat(ModelProfiler.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(ModelProfiler.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    }
}
