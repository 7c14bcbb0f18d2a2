package dev.slicer.e2e.demo;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * The terminal view: one row per edge (device class, emulated link, measured goodput, split, knobs, bytes per
 * request, p95 latency, answered/failed), the back-end line, the latest events and a progress line. On a terminal it
 * redraws in place once a second; otherwise (logs, tests) it prints the table every ten seconds.
 */
public final class LiveTable {
    /** One edge's row. */
    public record EdgeRow(
            String edge,
            String deviceClass,
            long linkBytesPerSecond,
            double goodputBytesPerSecond,
            String split,
            String knobs,
            double bytesPerRequest,
            double p95Seconds,
            long ok,
            long failed) {}

    private final PrintStream out;
    private final boolean live;
    private final Deque<String> notes = new ArrayDeque<>();
    private volatile String progress = "";
    private int renders;

    public LiveTable(PrintStream out, boolean live) {
        this.out = out;
        this.live = live;
    }

    public synchronized void note(String event) {
        notes.addLast(event);
        while (notes.size() > 3) {
            notes.removeFirst();
        }
        if (!live) {
            out.println("event: " + event);
        }
    }

    public void progress(String line) {
        progress = line;
    }

    public synchronized void render(List<EdgeRow> rows, String footer, List<String> more) {
        List<String> lines = lines(rows, footer, more);
        if (live) {
            StringBuilder b = new StringBuilder("\033[H\033[2J");
            lines.forEach(l -> b.append(l).append('\n'));
            b.append("events: ").append(String.join(" | ", notes)).append('\n');
            b.append(progress).append('\n');
            out.print(b);
            out.flush();
        } else if (renders++ % 10 == 0) {
            lines.forEach(out::println);
            out.println(progress);
        }
    }

    /** The edge rows, the back-end line, then {@code more} (the decoder fleet's section with {@code --ar}). */
    public static List<String> lines(List<EdgeRow> rows, String footer, List<String> more) {
        List<String> l = new ArrayList<>();
        String fmt = "%-16s %-7s %9s %9s %-26s %-28s %8s %7s %9s";
        l.add(String.format(
                Locale.ROOT, fmt, "edge", "class", "link", "goodput", "split", "knobs", "B/req", "p95", "ok/failed"));
        for (EdgeRow r : rows) {
            l.add(String.format(
                    Locale.ROOT,
                    fmt,
                    r.edge(),
                    r.deviceClass(),
                    r.linkBytesPerSecond() == 0 ? "none" : Units.rate(r.linkBytesPerSecond() * 8.0) + "b",
                    Units.rate(r.goodputBytesPerSecond() * 8) + "b",
                    clip(r.split(), 26),
                    clip(r.knobs(), 28),
                    Units.bytes(r.bytesPerRequest()),
                    Units.millis(r.p95Seconds()),
                    r.ok() + "/" + r.failed()));
        }
        l.add(footer);
        l.addAll(more);
        return l;
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }
}
