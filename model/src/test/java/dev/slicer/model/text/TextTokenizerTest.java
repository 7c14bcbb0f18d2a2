package dev.slicer.model.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextTokenizerTest {
    private final TextTokenizer tok = TextTokenizer.minilm();

    @Test
    void encodesWithSpecialTokensAndPunctuationSplit() {
        TextTokenizer.Encoding e = tok.encode("Hello, world!", 128);
        assertThat(e.inputIds()).containsExactly(101, 7592, 1010, 2088, 999, 102);
        assertThat(e.attentionMask()).containsOnly(1L);
        assertThat(e.tokenTypeIds()).containsOnly(0L);
    }

    @Test
    void lowercasesStripsAccentsAndSplitsWordPieces() {
        assertThat(tok.tokenize("Café NAÏVE")).containsExactly("cafe", "naive");
        assertThat(tok.tokenize("unaffable")).hasSizeGreaterThan(1).allSatisfy(p -> assertThat(p)
                .isNotBlank());
        assertThat(tok.tokenize("unaffable").get(1)).startsWith("##");
    }

    @Test
    void unknownCharactersBecomeUnk() {
        assertThat(tok.tokenize("\u2603")).containsExactly("[UNK]");
        assertThat(tok.encode("\u2603", 8).inputIds()).containsExactly(101, 100, 102);
    }

    @Test
    void truncatesToMaxLength() {
        TextTokenizer.Encoding e = tok.encode("one two three four five six seven", 5);
        assertThat(e.length()).isEqualTo(5);
        assertThat(e.inputIds()[0]).isEqualTo(101);
        assertThat(e.inputIds()[4]).isEqualTo(102);
        assertThatThrownBy(() -> tok.encode("x", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void batchIsPaddedToLongest() {
        TextTokenizer.Batch b = tok.encodeBatch(java.util.List.of("a", "a longer sentence here"), 64);
        assertThat(b.batchSize()).isEqualTo(2);
        assertThat(b.inputIds()).hasSize(2 * b.length());
        assertThat(b.attentionMask()[b.length() - 1]).isZero();
        assertThat(b.attentionMask()[2 * b.length() - 1]).isEqualTo(1);
    }

    @Test
    void sampleSentencesAreManyAndDistinct() {
        var s = SampleSentences.load();
        assertThat(s).hasSizeGreaterThanOrEqualTo(300).doesNotHaveDuplicates();
        assertThat(s.stream().mapToInt(String::length).max().getAsInt()).isGreaterThan(150);
        assertThat(s.stream().mapToInt(String::length).min().getAsInt()).isLessThan(15);
    }
}
