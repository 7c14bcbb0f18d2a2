package dev.slicer.bench.report;

import java.util.List;

/** Renders rows as a GitHub markdown table. */
public final class MarkdownTable {

    public static final String HEADER =
            "| method | mode/settings | bits/elem | cosine | rel MSE | enc MB/s | dec MB/s |";

    private MarkdownTable() {}

    public static String render(List<ResultRow> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(HEADER).append('\n');
        sb.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (ResultRow r : rows) {
            sb.append("| ")
                    .append(escape(r.family() + (r.reference() ? " **(ref)**" : "")))
                    .append(" | ")
                    .append(escape(r.settings()))
                    .append(" | ")
                    .append(Fmt.bits(r.quality().bitsPerElement()))
                    .append(" | ")
                    .append(Fmt.cosine(r.quality().cosine()))
                    .append(" | ")
                    .append(Fmt.relMse(r.quality().relativeMse()))
                    .append(" | ")
                    .append(Fmt.mbs(r.encode().mbPerSecond()))
                    .append(" | ")
                    .append(Fmt.mbs(r.decode().mbPerSecond()))
                    .append(" |\n");
        }
        return sb.toString();
    }

    static String escape(String s) {
        return s.replace("|", "\\|");
    }
}
