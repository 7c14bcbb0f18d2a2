package dev.slicer.bench.ar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.codec.CodecMode;
import dev.slicer.planner.search.Theta;
import org.junit.jupiter.api.Test;

class ArKnobsTest {

    @Test
    void tsTabqTakesItsCapItsDeltaAndRans() {
        Theta plain = ArCommand.knobs("tstabq:8");
        assertThat(plain.mode()).isEqualTo(CodecMode.TS_TABQ);
        assertThat(plain.qbit()).isEqualTo(8);
        assertThat(plain.delta()).isEqualTo(0.02);
        assertThat(plain.entropy()).isFalse();

        Theta fine = ArCommand.knobs("tstabq:10:0.005");
        assertThat(fine.qbit()).isEqualTo(10);
        assertThat(fine.delta()).isEqualTo(0.005);
        assertThat(fine.entropy()).isFalse();

        assertThat(ArCommand.knobs("tstabq:6:rans").entropy()).isTrue();
        Theta both = ArCommand.knobs("tstabq:6:0.01:rans");
        assertThat(both.delta()).isEqualTo(0.01);
        assertThat(both.entropy()).isTrue();
    }

    @Test
    void anUnknownKnobIsRefusedWithTheAccepted() {
        assertThatThrownBy(() -> ArCommand.knobs("zip:9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tstabq:QBIT[:DELTA][:rans]");
    }
}
