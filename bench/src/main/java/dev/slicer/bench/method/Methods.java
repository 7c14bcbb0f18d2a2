package dev.slicer.bench.method;

import dev.slicer.bench.baseline.AirZstdFp32;
import dev.slicer.bench.baseline.Fp16Cast;
import dev.slicer.bench.baseline.Lz4Fp32;
import dev.slicer.bench.baseline.PerTensorInt4;
import dev.slicer.bench.baseline.PerTensorInt8;
import dev.slicer.bench.baseline.UniformQuant;
import dev.slicer.bench.baseline.ZstdFp16;
import dev.slicer.bench.baseline.ZstdFp32;
import dev.slicer.codec.CodecMode;
import dev.slicer.codec.CodecSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The registry of methods: baselines, the SLICER reference point and the SLICER sweep, addressable by id. */
public final class Methods {

    public static final String ZSTD1_FP32 = "zstd1-fp32";

    /** The reference point: top-K s=0.75, M+=M-=3, lambda 0, qbit 8, delta 0.01, rANS on. */
    public static final CodecSettings REFERENCE = CodecSettings.topK()
            .sparsity(0.75)
            .blocks(3, 3)
            .qbit(8)
            .delta(0.01)
            .entropy(true)
            .build();

    private static final double[] TOPK_SPARSITY = {0.5, 0.75, 0.9};
    private static final double[] TOPK_SPARSITY_QUICK = {0.5, 0.75, 0.9};
    private static final int[] TOPK_BLOCKS = {1, 3};
    private static final int[] TOPK_BLOCKS_QUICK = {3};
    private static final double[] TOPK_DELTA = {0.01, 0.05};
    private static final double[] TOPK_DELTA_QUICK = {0.01};
    /**
     * Outlier fractions of the TS/TAB-Q sweep. On MiniLM each outlier costs about 30 bits (fp16 value plus position),
     * so small fractions win near cosine 0.99: 0.003 at delta 0.024 gives 3.42 bits/element at cosine 0.9907 on all
     * sample sentences (0.002 gives 3.38 at 0.9901, too close to the line to rely on).
     */
    private static final double[] TS_OUTLIERS = {0.003, 0.005, 0.01, 0.02};

    private static final double[] TS_OUTLIERS_QUICK = {0.003};
    /**
     * (qbit, delta) pairs of the TS/TAB-Q sweep. The codec's mismatch DS is about 1 / (4 (L - 1)) of a row's range
     * for L levels, so with qbit 8 these deltas span rows of about 3 to 8 bits. 0.03 and 0.024 resolve the knee
     * around cosine 0.99 on MiniLM, where one quarter-bit ladder step (11 to 13 levels) moves the cosine by about
     * 0.004 and 0.02 is already well above it.
     */
    private static final double[][] TS_QBIT_DELTA = {
        {8, 0.04}, {8, 0.03}, {8, 0.024}, {8, 0.02}, {8, 0.01}, {8, 0.005}, {8, 0.001}
    };

    private static final double[][] TS_QBIT_DELTA_QUICK = {{8, 0.024}, {8, 0.02}, {8, 0.01}, {8, 0.005}, {8, 0.001}};

    private Methods() {}

    public static List<MethodSpec> baselines() {
        List<MethodSpec> out = new ArrayList<>(List.of(
                new MethodSpec(
                        "fp16", "fp16", "fp16 cast (round to nearest even)", false, Optional.empty(), Fp16Cast::new),
                new MethodSpec(
                        "int8",
                        "int8",
                        "per-tensor asymmetric int8 (min/scale)",
                        false,
                        Optional.empty(),
                        PerTensorInt8::new),
                new MethodSpec(
                        "int4",
                        "int4 per tensor (straw man)",
                        "per-tensor asymmetric int4 (min/scale), a straw man: see the per-token rows",
                        false,
                        Optional.empty(),
                        PerTensorInt4::new),
                new MethodSpec(
                        ZSTD1_FP32,
                        "zstd-1 fp32",
                        "zstd-jni level 1 on fp32 bytes",
                        true,
                        Optional.empty(),
                        () -> new ZstdFp32(1)),
                new MethodSpec(
                        "zstd1-fp16",
                        "fp16+zstd-1",
                        "fp16 cast, zstd-jni level 1 on fp16 bytes",
                        false,
                        Optional.empty(),
                        () -> new ZstdFp16(1)),
                new MethodSpec(
                        "lz4-fp32",
                        "lz4 fp32",
                        "lz4-java fastest instance, fast compressor, fp32 bytes",
                        true,
                        Optional.empty(),
                        Lz4Fp32::new),
                new MethodSpec(
                        "airzstd-fp32",
                        "aircompressor zstd fp32",
                        "aircompressor 0.27 pure-Java zstd (level 3, its only level) on fp32 bytes",
                        true,
                        Optional.empty(),
                        AirZstdFp32::new)));
        for (int bits : new int[] {8, 4}) {
            for (boolean rans : new boolean[] {false, true}) {
                out.add(new MethodSpec(
                        "int" + bits + "-token" + (rans ? "-rans" : ""),
                        "int" + bits + " per token" + (rans ? " +rans" : ""),
                        "per-token absmax int" + bits + " (fp16 step per row)"
                                + (rans ? ", codes through RansCoder" : ""),
                        false,
                        Optional.empty(),
                        () -> new UniformQuant(UniformQuant.Scale.ABSMAX, bits, true, rans)));
            }
        }
        for (boolean token : new boolean[] {false, true}) {
            for (double c : ECSQ_BASELINE_STEPS) {
                out.add(new MethodSpec(
                        "ecsq-" + (token ? "token" : "tensor") + "-c" + c,
                        "ecsq per " + (token ? "token" : "tensor") + " (baseline)",
                        "uniform step " + c + " x RMS per " + (token ? "token" : "tensor") + ", RansCoder",
                        false,
                        Optional.empty(),
                        () -> new UniformQuant(UniformQuant.Scale.RMS, c, token, true)));
            }
        }
        return out;
    }

    /** Step factors (x RMS) of the ECSQ baselines: cosine about 0.998 down to 0.75 on MiniLM. */
    static final double[] ECSQ_BASELINE_STEPS = {0.25, 0.35, 0.48, 0.7, 1.0, 1.5, 2.2, 3.2};

    /**
     * Steps of the codec's ECSQ sweep: a little finer than each baseline step (the codec must reach the baseline's
     * cosine), 0.49 for cosine 0.99 on MiniLM, and fine steps for the int8 and fp16 fidelity levels.
     */
    static final double[] ECSQ_STEPS = {
        0.0005, 0.01, 0.03, 0.05, 0.1, 0.24, 0.33, 0.46, 0.49, 0.67, 0.95, 1.4, 2.1, 3.0, 3.4, 3.9
    };

    /** The ECSQ row of the summary's speed figures: cosine ~0.99 on MiniLM. */
    public static final CodecSettings ECSQ_PRIMARY =
            CodecSettings.ecsq().step(0.49).predict(true).build();

    /** Every SLICER setting of the sweep (the reference point included), lossless last. */
    public static List<CodecSettings> sweep(boolean quick) {
        List<CodecSettings> out = new ArrayList<>();
        for (double s : quick ? TOPK_SPARSITY_QUICK : TOPK_SPARSITY) {
            for (int m : quick ? TOPK_BLOCKS_QUICK : TOPK_BLOCKS) {
                for (double d : quick ? TOPK_DELTA_QUICK : TOPK_DELTA) {
                    for (boolean rans : new boolean[] {true, false}) {
                        out.add(CodecSettings.topK()
                                .sparsity(s)
                                .blocks(m, m)
                                .qbit(8)
                                .delta(d)
                                .entropy(rans)
                                .build());
                    }
                }
            }
        }
        for (double o : quick ? TS_OUTLIERS_QUICK : TS_OUTLIERS) {
            for (double[] qd : quick ? TS_QBIT_DELTA_QUICK : TS_QBIT_DELTA) {
                for (boolean rans : new boolean[] {true, false}) {
                    out.add(CodecSettings.tsTabq()
                            .outlierFraction(o)
                            .qbit((int) qd[0])
                            .delta(qd[1])
                            .entropy(rans)
                            .build());
                }
            }
        }
        for (double st : ECSQ_STEPS) {
            for (boolean predict : new boolean[] {true, false}) {
                out.add(CodecSettings.ecsq().step(st).predict(predict).build());
            }
        }
        if (!out.contains(REFERENCE)) {
            out.add(0, REFERENCE);
        }
        out.add(CodecSettings.lossless());
        return out;
    }

    public static MethodSpec slicer(CodecSettings c) {
        String family =
                switch (c.mode()) {
                    case LOSSLESS -> "slicer lossless";
                    case TOPK -> c.entropy() ? "slicer topk+rans" : "slicer topk";
                    case TS_TABQ -> c.entropy() ? "slicer ts-tabq+rans" : "slicer ts-tabq";
                    case ECSQ -> c.predict() ? "slicer ecsq+pred" : "slicer ecsq";
                };
        return new MethodSpec(
                idOf(c), family, c.label(), c.mode() == CodecMode.LOSSLESS, Optional.of(c), () -> new SlicerCodec(c));
    }

    /** The id of a SLICER setting; {@link #parse} reads it back. */
    public static String idOf(CodecSettings c) {
        String e = c.entropy() ? "rans" : "raw";
        return switch (c.mode()) {
            case LOSSLESS -> "slicer-lossless";
            case TOPK ->
                String.format(
                        Locale.ROOT,
                        "slicer-topk-s%s-m%dx%d-l%s-q%d-d%s-%s",
                        num(c.sparsity()),
                        c.blocksPos(),
                        c.blocksNeg(),
                        num(c.lambda()),
                        c.qbit(),
                        num(c.delta()),
                        e);
            case TS_TABQ ->
                String.format(
                        Locale.ROOT,
                        "slicer-tstabq-o%s-q%d-d%s-%s",
                        num(c.outlierFraction()),
                        c.qbit(),
                        num(c.delta()),
                        e);
            case ECSQ ->
                "slicer-ecsq-st" + new java.math.BigDecimal(num(c.step())).toPlainString() + "-"
                        + (c.predict() ? "pred" : "plain");
        };
    }

    private static String num(double v) {
        return Double.toString(v);
    }

    /** Looks a method up by id: a baseline id or a SLICER id as produced by {@link #idOf}. */
    public static MethodSpec parse(String id) {
        for (MethodSpec b : baselines()) {
            if (b.id().equals(id)) {
                return b;
            }
        }
        String[] p = id.split("-");
        try {
            if (id.equals("slicer-lossless")) {
                return slicer(CodecSettings.lossless());
            }
            if (p.length == 4 && p[0].equals("slicer") && p[1].equals("ecsq")) {
                return slicer(CodecSettings.ecsq()
                        .step(Double.parseDouble(after(p[2], "st")))
                        .predict(p[3].equals("pred"))
                        .build());
            }
            if (p.length == 8 && p[0].equals("slicer") && p[1].equals("topk")) {
                String[] m = after(p[3], "m").split("x");
                return slicer(CodecSettings.topK()
                        .sparsity(Double.parseDouble(after(p[2], "s")))
                        .blocks(Integer.parseInt(m[0]), Integer.parseInt(m[1]))
                        .lambda(Double.parseDouble(after(p[4], "l")))
                        .qbit(Integer.parseInt(after(p[5], "q")))
                        .delta(Double.parseDouble(after(p[6], "d")))
                        .entropy(entropy(p[7]))
                        .build());
            }
            if (p.length == 6 && p[0].equals("slicer") && p[1].equals("tstabq")) {
                return slicer(CodecSettings.tsTabq()
                        .outlierFraction(Double.parseDouble(after(p[2], "o")))
                        .qbit(Integer.parseInt(after(p[3], "q")))
                        .delta(Double.parseDouble(after(p[4], "d")))
                        .entropy(entropy(p[5]))
                        .build());
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad method id '" + id + "': " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("unknown method id '" + id + "'");
    }

    private static String after(String part, String prefix) {
        if (!part.startsWith(prefix)) {
            throw new IllegalArgumentException("expected '" + prefix + "...' but got '" + part + "'");
        }
        return part.substring(prefix.length());
    }

    private static boolean entropy(String s) {
        return switch (s) {
            case "rans" -> true;
            case "raw" -> false;
            default -> throw new IllegalArgumentException("expected rans or raw, got " + s);
        };
    }
}
