package dev.slicer.model.ar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.SplitCandidate;
import dev.slicer.model.split.SplittableModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KvDecoderTest {
    static SplittableModel model;
    static KvDecoder whole;

    @BeforeAll
    static void load() {
        model = SplittableModel.load("builtin:tiny-llama");
        whole = KvDecoder.whole(model, o -> {});
    }

    @AfterAll
    static void close() {
        whole.close();
    }

    static HostTensor ids(long... ids) {
        return HostTensor.ofLongs(new long[] {1, ids.length}, ids);
    }

    /** Greedy tokens of the whole model with its KV cache, one position per step after the prompt. */
    static List<Integer> greedy(long[] prompt, int tokens) {
        KvCache cache = new KvCache();
        List<Integer> out = new ArrayList<>();
        HostTensor in = ids(prompt);
        for (int t = 0; t < tokens; t++) {
            var o = whole.step(List.of(cache), List.of(in)).get(0);
            int next = NextToken.argmax(NextToken.lastRow(o.get("logits")));
            out.add(next);
            in = ids(next);
        }
        return out;
    }

    @Test
    void cachedStepsEqualRecomputingTheWholePrefix() {
        long[] prompt = {72, 105, 33, 10, 5};
        List<Integer> cached = greedy(prompt, 12);
        long[] seq = java.util.Arrays.copyOf(prompt, prompt.length + 12);
        for (int t = 0; t < 12; t++) {
            var o = whole.step(List.of(new KvCache()), List.of(ids(java.util.Arrays.copyOf(seq, prompt.length + t))))
                    .get(0);
            int next = NextToken.argmax(NextToken.lastRow(o.get("logits")));
            assertThat(next).as("token %d", t).isEqualTo(cached.get(t));
            seq[prompt.length + t] = next;
        }
    }

    @Test
    void sessionsAtDifferentLengthsBatchToTheirOwnResults() {
        long[][] prompts = {{1, 2, 3}, {9, 8, 7, 6, 5, 4, 3}, {200}};
        List<KvCache> caches = new ArrayList<>();
        List<float[]> alone = new ArrayList<>();
        for (long[] p : prompts) {
            KvCache c = new KvCache();
            whole.step(List.of(c), List.of(ids(p)));
            caches.add(c);
            KvCache solo = new KvCache();
            whole.step(List.of(solo), List.of(ids(p)));
            alone.add(NextToken.lastRow(
                    whole.step(List.of(solo), List.of(ids(42))).get(0).get("logits")));
        }
        var batched = whole.step(caches, List.of(ids(42), ids(42), ids(42)));
        for (int i = 0; i < prompts.length; i++) {
            float[] b = NextToken.lastRow(batched.get(i).get("logits"));
            for (int v = 0; v < b.length; v++) {
                assertThat(b[v]).isCloseTo(alone.get(i)[v], org.assertj.core.data.Offset.offset(1e-4f));
            }
            assertThat(caches.get(i).length()).isEqualTo(prompts[i].length + 1);
        }
    }

    @Test
    void frontAndBackWithTheirOwnCachesDecodeLikeTheWholeModelAtEverySplit() {
        long[] prompt = {3, 1, 4, 1, 5, 9, 2, 6};
        List<Integer> reference = greedy(prompt, 10);
        for (SplitCandidate c : model.candidates()) {
            try (KvDecoder front = KvDecoder.front(model, c, o -> {});
                    KvDecoder back = KvDecoder.back(model, c, o -> {})) {
                KvCache fc = new KvCache();
                KvCache bc = new KvCache();
                HostTensor in = ids(prompt);
                List<Integer> got = new ArrayList<>();
                for (int t = 0; t < 10; t++) {
                    HostTensor hidden =
                            front.step(List.of(fc), List.of(in)).get(0).get(c.bigTensor());
                    Map<String, HostTensor> o =
                            back.step(List.of(bc), List.of(hidden)).get(0);
                    int next = NextToken.argmax(NextToken.lastRow(o.get("logits")));
                    got.add(next);
                    in = ids(next);
                }
                assertThat(got).as("split %s", c.name()).isEqualTo(reference);
                assertThat(fc.length()).isEqualTo(prompt.length + 9);
                assertThat(fc.bytes() + bc.bytes())
                        .as("the two caches partition the layers")
                        .isGreaterThan(0);
            }
        }
    }

    @Test
    void klIsZeroForEqualLogitsAndPositiveOtherwise() {
        float[] a = {1f, 2f, 3f};
        assertThat(NextToken.kl(a, a)).isEqualTo(0.0);
        assertThat(NextToken.kl(a, new float[] {3f, 2f, 1f})).isGreaterThan(0.5);
        assertThat(NextToken.argmax(a)).isEqualTo(2);
    }
}
