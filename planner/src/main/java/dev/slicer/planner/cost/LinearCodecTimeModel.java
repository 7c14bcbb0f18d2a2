package dev.slicer.planner.cost;

import static dev.slicer.planner.InvalidPlanInputException.nonNegative;
import static dev.slicer.planner.InvalidPlanInputException.require;

import dev.slicer.planner.InvalidPlanInputException;
import dev.slicer.planner.search.Theta;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stored, serialisable zeta(theta): {@code seconds = fixedSeconds + secondsPerElement * elements}, per knob
 * setting. Keys are {@link Theta#id()}; a key of the form {@code MODE} or {@code MODE/rans} (e.g. {@code TOPK/rans})
 * serves every setting of that mode without its own entry; a key {@code ID@CANDIDATE} (e.g. {@code ecsq/b1.5/pred@1})
 * is a setting timed on that candidate's own feature, which takes precedence there. The CLI measures it warm ({@link WarmEncodeTimer}).
 *
 * @param device where it was calibrated (free text, informational)
 * @param entries key -> coefficients
 */
public record LinearCodecTimeModel(String device, Map<String, Coefficients> entries) implements CodecTimeModel {

    /** Linear encode-time coefficients. */
    public record Coefficients(double fixedSeconds, double secondsPerElement) {
        public Coefficients {
            nonNegative(fixedSeconds, "encode-time fixed cost");
            nonNegative(secondsPerElement, "encode-time per-element cost");
        }

        public double seconds(long elements) {
            return fixedSeconds + secondsPerElement * elements;
        }
    }

    public LinearCodecTimeModel {
        require(entries != null && !entries.isEmpty(), "the encode-time model has no entries");
        for (var e : entries.entrySet()) {
            require(e.getKey() != null && e.getValue() != null, "null entry in the encode-time model");
        }
        entries = Collections.unmodifiableMap(new TreeMap<>(entries));
        device = device == null ? "" : device;
    }

    /** One entry per mode and rANS setting. */
    public static String modeKey(Theta theta) {
        return theta.mode().name() + (theta.entropy() ? "/rans" : "");
    }

    /** The key of a setting timed on one candidate's own feature. */
    public static String candidateKey(int candidate, Theta theta) {
        return theta.id() + "@" + candidate;
    }

    /** The coefficients that apply to a setting at a candidate: its own timing there, else the shared one. */
    public Coefficients coefficients(int candidate, Theta theta) {
        Coefficients c = entries.get(candidateKey(candidate, theta));
        return c != null ? c : coefficients(theta);
    }

    /** The coefficients shared by every candidate; a typed error when there are none. */
    public Coefficients coefficients(Theta theta) {
        Coefficients c = entries.get(theta.id());
        if (c == null) {
            c = entries.get(modeKey(theta));
        }
        if (c == null) {
            throw new InvalidPlanInputException(
                    "the encode-time model has no entry for " + theta.id() + " nor " + modeKey(theta));
        }
        return c;
    }

    @Override
    public double encodeSeconds(int candidate, long elements, Theta theta) {
        return coefficients(candidate, theta).seconds(elements);
    }
}
