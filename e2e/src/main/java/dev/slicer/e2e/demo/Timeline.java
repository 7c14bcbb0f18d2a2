package dev.slicer.e2e.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The run over time, sampled once a second: per edge its split, bytes per request and goodput; marked events. */
public final class Timeline {
    /** One edge at one moment. */
    public record Sample(double t, int split, double bytesPerRequest, double goodputBytesPerSecond) {}

    /** Something the scenario did (link change, load change, outage), at {@code t} seconds. */
    public record Event(double t, String label) {}

    private final Map<String, List<Sample>> samples = new LinkedHashMap<>();
    private final List<Event> events = new ArrayList<>();

    public synchronized void sample(String edge, Sample s) {
        samples.computeIfAbsent(edge, k -> new ArrayList<>()).add(s);
    }

    public synchronized void event(double t, String label) {
        events.add(new Event(t, label));
    }

    public synchronized Map<String, List<Sample>> samples() {
        Map<String, List<Sample>> copy = new LinkedHashMap<>();
        samples.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }
}
