package dev.slicer.model.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Varied English sentences written for this project, used as calibration and test inputs. */
public final class SampleSentences {
    private static final String RESOURCE = "sentences.txt";

    private SampleSentences() {}

    /** All sentences, one per non-blank line of the resource, in file order. */
    public static List<String> load() {
        try (InputStream in = SampleSentences.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource dev/slicer/model/text/" + RESOURCE);
            }
            List<String> out = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    String s = line.strip();
                    if (!s.isEmpty()) {
                        out.add(s);
                    }
                }
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
