package dev.slicer.bench.report;

import java.util.List;
import java.util.Locale;

/** Renders rows as RFC 4180 CSV with full-precision numbers. */
public final class CsvTable {

    public static final String HEADER = "dataset,method_id,family,settings,slicer,lossless,reference,bits_per_element,"
            + "cosine,min_cosine,rel_mse,bytes,elements,encode_mb_s,encode_mb_s_error,decode_mb_s,decode_mb_s_error,"
            + "timing";

    private CsvTable() {}

    public static String render(List<ResultRow> rows) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (ResultRow r : rows) {
            sb.append(field(r.dataset()))
                    .append(',')
                    .append(field(r.methodId()))
                    .append(',')
                    .append(field(r.family()))
                    .append(',')
                    .append(field(r.settings()))
                    .append(',')
                    .append(r.slicer())
                    .append(',')
                    .append(r.lossless())
                    .append(',')
                    .append(r.reference())
                    .append(',')
                    .append(num(r.quality().bitsPerElement()))
                    .append(',')
                    .append(num(r.quality().cosine()))
                    .append(',')
                    .append(num(r.quality().minCosine()))
                    .append(',')
                    .append(num(r.quality().relativeMse()))
                    .append(',')
                    .append(r.quality().bytes())
                    .append(',')
                    .append(r.quality().elements())
                    .append(',')
                    .append(num(r.encode().mbPerSecond()))
                    .append(',')
                    .append(num(r.encode().error()))
                    .append(',')
                    .append(num(r.decode().mbPerSecond()))
                    .append(',')
                    .append(num(r.decode().error()))
                    .append(',')
                    .append(field(r.timing()))
                    .append('\n');
        }
        return sb.toString();
    }

    static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    static String field(String s) {
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
