package dev.slicer.crds.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parsesGoStyleDurations() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("1h2m3s")).isEqualTo(Duration.ofSeconds(3723));
        assertThat(Durations.parse("40us")).isEqualTo(Duration.ofNanos(40_000));
        assertThat(Durations.parse("0s")).isZero();
    }

    @Test
    void rejectsWhatTheSchemaRejects() {
        for (String bad : new String[] {"", "5", "fast", "-1s", "1.s", "1 s", "1d"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Durations.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsExactlyAndRoundTrips() {
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(Durations.format(Duration.ofNanos(7))).isEqualTo("7ns");
        for (String s : new String[] {"5ms", "30s", "1h", "250us"}) {
            assertThat(Durations.format(Durations.parse(s))).isEqualTo(s);
        }
    }
}
