package dev.slicer.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class GreedyReferenceTest {
    @Test
    void prefixAgreementCountsOnlyWhatPrecedesTheFirstDifference() {
        assertThat(GreedyReference.prefixAgreement("abcd", "abcd")).isEqualTo(1.0);
        // after one differing token the rest is not comparable, even where it matches again
        assertThat(GreedyReference.prefixAgreement("abcd", "abXd")).isEqualTo(0.5);
        assertThat(GreedyReference.prefixAgreement("abcd", "ab")).isEqualTo(0.5);
        assertThat(GreedyReference.prefixAgreement("abcd", "")).isZero();
    }

    @Test
    void onlyAByteVocabularyDecoderHasAReference() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new GreedyReference("builtin:minilm", 4))
                .withMessageContaining("byte-vocabulary decoder");
    }
}
