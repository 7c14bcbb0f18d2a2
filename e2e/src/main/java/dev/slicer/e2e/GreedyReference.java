package dev.slicer.e2e;

import dev.slicer.model.ar.KvCache;
import dev.slicer.model.ar.KvDecoder;
import dev.slicer.model.ar.NextToken;
import dev.slicer.model.builtin.BuiltinModels;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.SplittableModel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The unsplit decoder's greedy continuation of a prompt, run in this process: the text an edge's split generation at
 * temperature 0 must reproduce to be faithful. Byte-vocabulary models only ({@code builtin:tiny-llama}): a prompt's
 * tokens are its UTF-8 bytes and a continuation's text is its bytes decoded as UTF-8, as the edge's tokenizer does.
 * Continuations are cached per prompt.
 */
public final class GreedyReference implements AutoCloseable {
    private final KvDecoder whole;
    private final int tokens;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    /** @param tokens how many tokens every continuation has (the clients' {@code max_tokens}) */
    public GreedyReference(String uri, int tokens) {
        if (!uri.equals(BuiltinModels.TINY_LLAMA)) {
            throw new IllegalArgumentException("a greedy reference needs a byte-vocabulary decoder ("
                    + BuiltinModels.TINY_LLAMA + "), not " + uri);
        }
        this.whole = KvDecoder.whole(SplittableModel.load(uri), o -> {});
        this.tokens = tokens;
    }

    /** The unsplit model's greedy continuation of {@code prompt}, {@code tokens} tokens long. */
    public String text(String prompt) {
        return cache.computeIfAbsent(prompt, this::generate);
    }

    private synchronized String generate(String prompt) {
        byte[] in = prompt.getBytes(StandardCharsets.UTF_8);
        long[] ids = new long[in.length];
        for (int i = 0; i < in.length; i++) {
            ids[i] = in[i] & 0xFF;
        }
        KvCache cache = new KvCache();
        byte[] out = new byte[tokens];
        HostTensor step = HostTensor.ofLongs(new long[] {1, ids.length}, ids);
        for (int t = 0; t < tokens; t++) {
            HostTensor logits = whole.step(List.of(cache), List.of(step)).get(0).get("logits");
            int next = NextToken.argmax(NextToken.lastRow(logits));
            out[t] = (byte) next;
            step = HostTensor.ofLongs(new long[] {1, 1}, new long[] {next});
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /**
     * The share of the reference text a completion reproduces before its first difference: greedy decoding feeds
     * every token back, so after one differing token the texts are no longer comparable position by position.
     */
    public static double prefixAgreement(String expected, String text) {
        if (expected.isEmpty()) {
            return 1;
        }
        int n = Math.min(expected.length(), text.length());
        int i = 0;
        while (i < n && expected.charAt(i) == text.charAt(i)) {
            i++;
        }
        return (double) i / expected.length();
    }

    @Override
    public void close() {
        whole.close();
    }
}
