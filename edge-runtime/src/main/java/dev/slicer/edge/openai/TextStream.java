package dev.slicer.edge.openai;

import dev.slicer.edge.ar.ArTokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * The text of the tokens generated so far, cut at the first stop sequence. Deltas for streaming hold back what could
 * still change: a trailing incomplete character (U+FFFD) and the last {@code longest stop - 1} characters, which may
 * be the start of a stop sequence that must never be sent.
 */
final class TextStream {
    private static final char REPLACEMENT = '\uFFFD';

    private final ArTokenizer tokenizer;
    private final List<String> stops;
    private final int holdBack;
    private long[] ids = new long[16];
    private int count;
    private String text = "";
    private boolean stopped;
    private int emitted;

    TextStream(ArTokenizer tokenizer, List<String> stops) {
        this.tokenizer = tokenizer;
        this.stops = List.copyOf(stops);
        this.holdBack = stops.stream().mapToInt(String::length).max().orElse(1) - 1;
    }

    /** Adds a token; false once a stop sequence appeared (the text ends before it). */
    boolean add(int token) {
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, count * 2);
        }
        ids[count++] = token;
        String full = tokenizer.decode(Arrays.copyOf(ids, count));
        int cut = -1;
        for (String s : stops) {
            int i = full.indexOf(s);
            if (i >= 0 && (cut < 0 || i < cut)) {
                cut = i;
            }
        }
        if (cut >= 0) {
            text = full.substring(0, cut);
            stopped = true;
            return false;
        }
        text = full;
        return true;
    }

    /** Text not yet sent that can no longer change; everything left when {@code last}. */
    String delta(boolean last) {
        int end = text.length();
        if (!last && !stopped) {
            while (end > emitted && text.charAt(end - 1) == REPLACEMENT) {
                end--;
            }
            end = Math.max(emitted, end - holdBack);
        }
        if (end <= emitted || emitted > text.length()) {
            return "";
        }
        String d = text.substring(emitted, end);
        emitted = end;
        return d;
    }

    String text() {
        return text;
    }

    int tokens() {
        return count;
    }
}
