package dev.slicer.codec;

import dev.slicer.codec.atkf.Atkf;
import dev.slicer.codec.frame.TopKPayloadCodec;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The codec part of SLICER-Search's time model {@code zeta(theta)}: per-stage costs measured on the running machine,
 * combined linearly. TOPK encode time is {@code T (select + index + frame) + k (split + quantize + values)} plus, with
 * the entropy stage, {@code (T/8 + 2k) entropy} for the bitmap, membership and value symbols; decode time is
 * {@code T decodeElement + k decodeSurvivor} plus the entropy symbols at {@code decodeEntropy}. LOSSLESS and TS_TABQ
 * are measured whole, per element. Block counts and bit widths change the cost little and are not modelled.
 *
 * <p>Calibrate once per machine ({@link #calibrate}), store {@link #costs()} (plain doubles) and rebuild with
 * {@link #of}.
 */
public final class TimeModel {

    /** Measured costs in nanoseconds. */
    public record Costs(
            double selectNsPerElement,
            double splitNsPerSurvivor,
            double quantizeNsPerSurvivor,
            double indexNsPerElement,
            double valuesNsPerSurvivor,
            double frameNsPerElement,
            double entropyNsPerSymbol,
            double decodeNsPerElement,
            double decodeNsPerSurvivor,
            double decodeEntropyNsPerSymbol,
            double losslessEncodeNsPerElement,
            double losslessDecodeNsPerElement,
            double tabqEncodeNsPerElement,
            double tabqDecodeNsPerElement) {

        public Costs {
            double[] all = {
                selectNsPerElement,
                splitNsPerSurvivor,
                quantizeNsPerSurvivor,
                indexNsPerElement,
                valuesNsPerSurvivor,
                frameNsPerElement,
                entropyNsPerSymbol,
                decodeNsPerElement,
                decodeNsPerSurvivor,
                decodeEntropyNsPerSymbol,
                losslessEncodeNsPerElement,
                losslessDecodeNsPerElement,
                tabqEncodeNsPerElement,
                tabqDecodeNsPerElement
            };
            for (double d : all) {
                if (!(d >= 0) || !Double.isFinite(d)) {
                    throw new IllegalArgumentException("costs must be finite and >= 0");
                }
            }
        }
    }

    /** Calls before timing, so the JIT has compiled the hot paths. */
    private static final int WARMUP = 150;

    private final Costs c;

    private TimeModel(Costs c) {
        this.c = c;
    }

    public static TimeModel of(Costs costs) {
        return new TimeModel(costs);
    }

    public Costs costs() {
        return c;
    }

    /** Predicted encode time of a tensor of {@code elements} values. */
    public double encodeSeconds(long elements, CodecSettings s) {
        double t = elements;
        double ns =
                switch (s.mode()) {
                    case LOSSLESS ->
                        t * c.losslessEncodeNsPerElement() + (s.entropy() ? 4 * t * c.entropyNsPerSymbol() : 0);
                    case TOPK -> {
                        double k = Atkf.keepCount(elements, s.sparsity());
                        yield t * (c.selectNsPerElement() + c.indexNsPerElement() + c.frameNsPerElement())
                                + k * (c.splitNsPerSurvivor() + c.quantizeNsPerSurvivor() + c.valuesNsPerSurvivor())
                                + (s.entropy() ? (t / 8 + 2 * k) * c.entropyNsPerSymbol() : 0);
                    }
                    case TS_TABQ -> t * c.tabqEncodeNsPerElement() + (s.entropy() ? t * c.entropyNsPerSymbol() : 0);
                    case ECSQ -> t * (c.losslessEncodeNsPerElement() + c.entropyNsPerSymbol());
                };
        return ns * 1e-9;
    }

    /** Predicted decode time of a tensor of {@code elements} values. */
    public double decodeSeconds(long elements, CodecSettings s) {
        double t = elements;
        double ns =
                switch (s.mode()) {
                    case LOSSLESS ->
                        t * c.losslessDecodeNsPerElement() + (s.entropy() ? 4 * t * c.decodeEntropyNsPerSymbol() : 0);
                    case TOPK -> {
                        double k = Atkf.keepCount(elements, s.sparsity());
                        yield t * c.decodeNsPerElement()
                                + k * c.decodeNsPerSurvivor()
                                + (s.entropy() ? (t / 8 + 2 * k) * c.decodeEntropyNsPerSymbol() : 0);
                    }
                    case TS_TABQ ->
                        t * c.tabqDecodeNsPerElement() + (s.entropy() ? t * c.decodeEntropyNsPerSymbol() : 0);
                    case ECSQ -> t * (c.losslessDecodeNsPerElement() + c.decodeEntropyNsPerSymbol());
                };
        return ns * 1e-9;
    }

    /**
     * Measures the stage costs on this machine with a synthetic activation tensor of {@code elements} values
     * (Gaussian with a few outlier channels, seeded). Takes one to three seconds for 64k elements.
     */
    public static TimeModel calibrate(int elements, long seed) {
        if (elements < 64) {
            throw new IllegalArgumentException("calibrate with at least 64 elements");
        }
        int cols = elements % 384 == 0 ? 384 : elements;
        TensorShape shape = TensorShape.of(elements / cols, cols);
        float[] x = synthetic(elements, cols, seed);
        FrameEncoder enc = FrameEncoder.create();
        FrameDecoder dec = FrameDecoder.create(new DecodeLimits(Math.max(elements, 1), Long.MAX_VALUE));
        int reps = (int) Math.max(3, Math.min(60, 1_500_000L / elements));
        CodecSettings ref = CodecSettings.topK()
                .sparsity(0.75)
                .blocks(3, 3)
                .qbit(8)
                .delta(0.01)
                .entropy(false)
                .build();
        long cap = 0;
        for (CodecSettings cs : new CodecSettings[] {
            ref.withSparsity(0.5),
            CodecSettings.lossless(),
            CodecSettings.tsTabq()
                    .outlierFraction(0.01)
                    .qbit(4)
                    .delta(0.01)
                    .entropy(false)
                    .build()
        }) {
            cap = Math.max(cap, SizeBound.maxFrameBytes(shape, cs));
        }
        byte[] buf = new byte[(int) cap];
        float[] y = new float[elements];
        double t = elements;
        double k = Atkf.keepCount(elements, 0.75);

        // warm every path up first, so the JIT does not compile in the middle of a measurement
        for (CodecSettings cs : new CodecSettings[] {
            ref,
            ref.withEntropy(true),
            ref.withSparsity(0.5),
            ref.withSparsity(0.9),
            CodecSettings.lossless(),
            CodecSettings.tsTabq()
                    .outlierFraction(0.01)
                    .qbit(4)
                    .delta(0.01)
                    .entropy(false)
                    .build()
        }) {
            encodeNs(enc, x, shape, cs, buf, 1);
            decodeNs(enc, dec, x, shape, cs, buf, y, 1);
        }

        // TOPK stages, entropy off
        double encOff = encodeNs(enc, x, shape, ref, buf, reps);
        TopKPayloadCodec topk = enc.topk();
        topk.profile(true);
        topk.resetStages();
        for (int i = 0; i < reps; i++) {
            enc.encode(x, 0, shape, ref, buf, 0);
        }
        topk.profile(false);
        long[] st = topk.stageNanos().clone();
        double select = st[TopKPayloadCodec.STAGE_SELECT] / (double) reps / t;
        double split = st[TopKPayloadCodec.STAGE_SPLIT] / (double) reps / k;
        double quantize = st[TopKPayloadCodec.STAGE_QUANTIZE] / (double) reps / k;
        double index = st[TopKPayloadCodec.STAGE_INDEX] / (double) reps / t;
        double values = st[TopKPayloadCodec.STAGE_VALUES] / (double) reps / k;
        double stageSum = (select + index) * t + (split + quantize + values) * k;
        double frame = Math.max(0, encOff - stageSum) / t;
        // entropy stage: the difference with rANS on, per symbol
        double symbols = t / 8 + 2 * k;
        double encOn = encodeNs(enc, x, shape, ref.withEntropy(true), buf, reps);
        double entropy = Math.max(0, encOn - encOff) / symbols;

        // decode: two sparsities separate the per-element and per-survivor costs
        CodecSettings lo = ref.withSparsity(0.5);
        CodecSettings hi = ref.withSparsity(0.9);
        double dLo = decodeNs(enc, dec, x, shape, lo, buf, y, reps);
        double dHi = decodeNs(enc, dec, x, shape, hi, buf, y, reps);
        double kLo = Atkf.keepCount(elements, 0.5);
        double kHi = Atkf.keepCount(elements, 0.9);
        double perSurvivor = Math.max(0, (dLo - dHi) / (kLo - kHi));
        double perElement = Math.max(0, (dHi - perSurvivor * kHi) / t);
        double dOff = decodeNs(enc, dec, x, shape, ref, buf, y, reps);
        double dOn = decodeNs(enc, dec, x, shape, ref.withEntropy(true), buf, y, reps);
        double decEntropy = Math.max(0, dOn - dOff) / symbols;

        CodecSettings ll = CodecSettings.lossless();
        double llEnc = encodeNs(enc, x, shape, ll, buf, reps) / t;
        double llDec = decodeNs(enc, dec, x, shape, ll, buf, y, reps) / t;
        CodecSettings tq = CodecSettings.tsTabq()
                .outlierFraction(0.01)
                .qbit(4)
                .delta(0.01)
                .entropy(false)
                .build();
        double tqEnc = encodeNs(enc, x, shape, tq, buf, reps) / t;
        double tqDec = decodeNs(enc, dec, x, shape, tq, buf, y, reps) / t;
        return new TimeModel(new Costs(
                select,
                split,
                quantize,
                index,
                values,
                frame,
                entropy,
                perElement,
                perSurvivor,
                decEntropy,
                llEnc,
                llDec,
                tqEnc,
                tqDec));
    }

    private static float[] synthetic(int n, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            double v = r.nextDouble();
            double g = Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
            int col = i % cols;
            x[i] = (float) (col % 97 == 5 ? 8 + 2 * g : 0.8 * g);
        }
        return x;
    }

    /** Best of three trials of the mean time per call, in ns (after a warm-up). */
    private static double encodeNs(
            FrameEncoder enc, float[] x, TensorShape shape, CodecSettings s, byte[] buf, int reps) {
        for (int i = 0; i < Math.max(reps, WARMUP); i++) {
            enc.encode(x, 0, shape, s, buf, 0);
        }
        double best = Double.MAX_VALUE;
        for (int trial = 0; trial < 3; trial++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                enc.encode(x, 0, shape, s, buf, 0);
            }
            best = Math.min(best, (System.nanoTime() - t0) / (double) reps);
        }
        return best;
    }

    private static double decodeNs(
            FrameEncoder enc,
            FrameDecoder dec,
            float[] x,
            TensorShape shape,
            CodecSettings s,
            byte[] buf,
            float[] y,
            int reps) {
        int n = enc.encode(x, 0, shape, s, buf, 0);
        for (int i = 0; i < Math.max(reps, WARMUP); i++) {
            dec.decode(buf, 0, n, y, 0);
        }
        double best = Double.MAX_VALUE;
        for (int trial = 0; trial < 3; trial++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                dec.decode(buf, 0, n, y, 0);
            }
            best = Math.min(best, (System.nanoTime() - t0) / (double) reps);
        }
        return best;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "TimeModel[ns: select %.2f/el, split %.2f/kept, quantize %.2f/kept, index %.2f/el, values %.2f/kept,"
                        + " frame %.2f/el, entropy %.2f/sym; decode %.2f/el + %.2f/kept + %.2f/sym;"
                        + " lossless %.2f/%.2f per el; ts-tabq %.2f/%.2f per el]",
                c.selectNsPerElement(),
                c.splitNsPerSurvivor(),
                c.quantizeNsPerSurvivor(),
                c.indexNsPerElement(),
                c.valuesNsPerSurvivor(),
                c.frameNsPerElement(),
                c.entropyNsPerSymbol(),
                c.decodeNsPerElement(),
                c.decodeNsPerSurvivor(),
                c.decodeEntropyNsPerSymbol(),
                c.losslessEncodeNsPerElement(),
                c.losslessDecodeNsPerElement(),
                c.tabqEncodeNsPerElement(),
                c.tabqDecodeNsPerElement());
    }
}
