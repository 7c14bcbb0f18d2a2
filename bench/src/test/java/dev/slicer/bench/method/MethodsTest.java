package dev.slicer.bench.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.bench.jmh.CodecBenchmark;
import dev.slicer.codec.CodecMode;
import dev.slicer.codec.CodecSettings;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MethodsTest {

    @Test
    void everySweepIdParsesBackToItsSettings() {
        for (boolean quick : new boolean[] {true, false}) {
            Set<String> ids = new HashSet<>();
            for (CodecSettings c : Methods.sweep(quick)) {
                String id = Methods.idOf(c);
                assertThat(id).doesNotContain(" ", ",");
                assertThat(ids.add(id)).as("duplicate %s", id).isTrue();
                MethodSpec spec = Methods.parse(id);
                assertThat(spec.codec()).contains(c);
                assertThat(spec.id()).isEqualTo(id);
            }
        }
    }

    @Test
    void sweepHoldsReferenceBothEntropySettingsAndLossless() {
        List<CodecSettings> full = Methods.sweep(false);
        assertThat(full).contains(Methods.REFERENCE, Methods.REFERENCE.withEntropy(false), CodecSettings.lossless());
        assertThat(full).filteredOn(c -> c.mode() == CodecMode.TOPK).hasSize(24);
        assertThat(full).filteredOn(c -> c.mode() == CodecMode.TS_TABQ).hasSize(56);
        assertThat(Methods.sweep(true)).contains(Methods.REFERENCE).hasSizeLessThan(full.size());
    }

    @Test
    void referenceIdConstantMatchesTheRegistry() {
        assertThat(Methods.idOf(Methods.REFERENCE)).isEqualTo(CodecBenchmark.REFERENCE_ID);
        assertThat(Methods.REFERENCE.sparsity()).isEqualTo(0.75);
        assertThat(Methods.REFERENCE.blocksPos()).isEqualTo(3);
        assertThat(Methods.REFERENCE.blocksNeg()).isEqualTo(3);
        assertThat(Methods.REFERENCE.qbit()).isEqualTo(8);
        assertThat(Methods.REFERENCE.delta()).isEqualTo(0.01);
        assertThat(Methods.REFERENCE.lambda()).isEqualTo(0.0);
        assertThat(Methods.REFERENCE.entropy()).isTrue();
    }

    @Test
    void baselinesParseByIdAndTokenHasNoSpaces() {
        for (MethodSpec b : Methods.baselines()) {
            assertThat(Methods.parse(b.id()).id()).isEqualTo(b.id());
            assertThat(b.isSlicer()).isFalse();
        }
        assertThat(Methods.slicer(CodecSettings.tsTabq()
                                .outlierFraction(0.01)
                                .qbit(4)
                                .delta(0.05)
                                .entropy(true)
                                .build())
                        .token())
                .doesNotContain(" ")
                .isEqualTo(CodecSettings.tsTabq()
                        .outlierFraction(0.01)
                        .qbit(4)
                        .delta(0.05)
                        .entropy(true)
                        .build()
                        .label()
                        .replace(' ', '_'));
    }

    @Test
    void badIdsAreRejected() {
        assertThatThrownBy(() -> Methods.parse("gzip")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Methods.parse("slicer-topk-s0.75-m3-l0.0-q8-d0.01-rans"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Methods.parse("slicer-tstabq-o0.01-q4-d0.01-maybe"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
