package dev.slicer.model.builder;

import dev.slicer.model.builder.GraphBuilder.Attrs;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;
import java.util.List;

/**
 * A small Llama-style decoder built from a seed, exported in the Hugging Face Optimum layout with
 * KV cache: inputs {@code input_ids}, {@code attention_mask}, {@code position_ids},
 * {@code past_key_values.N.key/value}; outputs {@code logits}, {@code present.N.key/value}.
 * RMSNorm, rotary positions, multi-head causal attention with padding mask, SwiGLU MLP. Nodes are
 * named like an Optimum export ({@code model.layers.3.self_attn.q_proj/MatMul}).
 */
public final class TinyLlama {
    /** Model dimensions. */
    public record Config(
            int vocabSize,
            int hiddenSize,
            int layers,
            int heads,
            int intermediateSize,
            double ropeTheta,
            float rmsEps) {
        /** The {@code builtin:tiny-llama} configuration. */
        public static final Config TINY = new Config(256, 64, 4, 4, 128, 10000.0, 1e-5f);
        /** The {@code builtin:small-llama} configuration (about 21 M parameters, byte vocabulary). */
        public static final Config SMALL = new Config(256, 512, 8, 8, 1024, 10000.0, 1e-5f);

        public Config {
            if (hiddenSize % heads != 0 || (hiddenSize / heads) % 2 != 0) {
                throw new IllegalArgumentException("hiddenSize/heads must be an even integer");
            }
        }

        public int headDim() {
            return hiddenSize / heads;
        }
    }

    public static final String BATCH = "batch_size";
    public static final String SEQ = "sequence_length";
    public static final String PAST = "past_sequence_length";
    public static final String TOTAL = "total_sequence_length";

    private TinyLlama() {}

    public static ModelProto build(Config c, long seed) {
        GraphBuilder g = new GraphBuilder("tiny_llama", seed);
        int f = DataType.FLOAT_VALUE;
        int i64 = DataType.INT64_VALUE;
        String hd = Integer.toString(c.headDim());
        String nh = Integer.toString(c.heads());
        String ids = g.input("input_ids", i64, BATCH, SEQ);
        String am = g.input("attention_mask", i64, BATCH, TOTAL);
        String pos = g.input("position_ids", i64, BATCH, SEQ);
        for (int l = 0; l < c.layers(); l++) {
            g.input("past_key_values." + l + ".key", f, BATCH, nh, PAST, hd);
            g.input("past_key_values." + l + ".value", f, BATCH, nh, PAST, hd);
        }
        g.output("logits", f, BATCH, SEQ, Integer.toString(c.vocabSize()));
        for (int l = 0; l < c.layers(); l++) {
            g.output("present." + l + ".key", f, BATCH, nh, TOTAL, hd);
            g.output("present." + l + ".value", f, BATCH, nh, TOTAL, hd);
        }

        String one = g.longs("const.one", new long[] {1}, 1);
        String two = g.longs("const.two", new long[] {1}, 2);
        String zeroScalar = g.longs("const.zero_scalar", new long[0], 0);
        String oneScalar = g.longs("const.one_scalar", new long[0], 1);
        String axis0 = g.longs("const.axes0", new long[] {1}, 0);
        String axis1 = g.longs("const.axes1", new long[] {1}, 1);
        String axis2 = g.longs("const.axes2", new long[] {1}, 2);
        String axes12 = g.longs("const.axes12", new long[] {2}, 1, 2);

        // Additive causal + padding mask [batch, 1, seq, total], shared by all layers.
        String amShape = g.op("model.mask/Shape", "Shape", am);
        String total = g.op("model.mask/Slice", "Slice", amShape, one, two);
        String idsShape = g.op("model.mask/Shape", "Shape", ids);
        String seq = g.op("model.mask/Slice", "Slice", idsShape, one, two);
        String past = g.op("model.mask/Sub", "Sub", total, seq);
        String totalScalar = g.op("model.mask/Squeeze", "Squeeze", total, axis0);
        String pastScalar = g.op("model.mask/Squeeze", "Squeeze", past, axis0);
        String rows = g.op("model.mask/Range", "Range", pastScalar, totalScalar, oneScalar);
        String cols = g.op("model.mask/Range", "Range", zeroScalar, totalScalar, oneScalar);
        String causal = g.op(
                "model.mask/LessOrEqual",
                "LessOrEqual",
                g.op("model.mask/Unsqueeze", "Unsqueeze", cols, axis0),
                g.op("model.mask/Unsqueeze", "Unsqueeze", rows, axis1));
        String pad = g.op("model.mask/Cast", "Cast", Attrs.of().i("to", DataType.BOOL_VALUE), am);
        String pad4 = g.op("model.mask/Unsqueeze", "Unsqueeze", pad, axes12);
        String allowed = g.op("model.mask/And", "And", causal, pad4);
        String zeroF = g.floats("const.mask_zero", new long[0], 0f);
        String negF = g.floats("const.mask_min", new long[0], -1e9f);
        String mask = g.op("model.mask/Where", "Where", allowed, zeroF, negF);

        // Rotary embeddings cos/sin [batch, 1, seq, head_dim], shared by all layers.
        int half = c.headDim() / 2;
        float[] inv = new float[half];
        for (int i = 0; i < half; i++) {
            inv[i] = (float) (1.0 / Math.pow(c.ropeTheta(), (2.0 * i) / c.headDim()));
        }
        String invFreq = g.floats("model.rotary_emb.inv_freq", new long[] {half}, inv);
        String posF = g.op("model.rotary_emb/Cast", "Cast", Attrs.of().i("to", DataType.FLOAT_VALUE), pos);
        String freqs = g.op(
                "model.rotary_emb/Mul", "Mul", g.op("model.rotary_emb/Unsqueeze", "Unsqueeze", posF, axis2), invFreq);
        String emb = g.op("model.rotary_emb/Concat", "Concat", Attrs.of().i("axis", -1), freqs, freqs);
        String cos = g.op("model.rotary_emb/Unsqueeze", "Unsqueeze", g.op("model.rotary_emb/Cos", "Cos", emb), axis1);
        String sin = g.op("model.rotary_emb/Unsqueeze", "Unsqueeze", g.op("model.rotary_emb/Sin", "Sin", emb), axis1);

        float std = 0.02f * 8;
        String embW = g.normal("model.embed_tokens.weight", 0f, 1f, c.vocabSize(), c.hiddenSize());
        String h = g.op("model.embed_tokens/Gather", "Gather", embW, ids);

        String headShape = g.longs("const.head_shape", new long[] {4}, 0, 0, c.heads(), c.headDim());
        String hiddenShape = g.longs("const.hidden_shape", new long[] {3}, 0, 0, c.hiddenSize());
        String halfStart = g.longs("const.half_start", new long[] {1}, 0);
        String halfMid = g.longs("const.half_mid", new long[] {1}, half);
        String halfEnd = g.longs("const.half_end", new long[] {1}, c.headDim());
        String axis3 = g.longs("const.axes3", new long[] {1}, 3);
        String scale = g.floats("const.attn_scale", new long[0], (float) (1.0 / Math.sqrt(c.headDim())));
        int hs = c.hiddenSize();
        for (int l = 0; l < c.layers(); l++) {
            String p = "model.layers." + l;
            String hn = rmsNorm(g, p + ".input_layernorm", h, c);
            String a = p + ".self_attn";
            String q = g.op(a + ".q_proj/MatMul", "MatMul", hn, g.normal(a + ".q_proj.weight", 0f, std / 4, hs, hs));
            String k = g.op(a + ".k_proj/MatMul", "MatMul", hn, g.normal(a + ".k_proj.weight", 0f, std / 4, hs, hs));
            String v = g.op(a + ".v_proj/MatMul", "MatMul", hn, g.normal(a + ".v_proj.weight", 0f, std / 4, hs, hs));
            q = heads(g, a, q, headShape);
            k = heads(g, a, k, headShape);
            v = heads(g, a, v, headShape);
            q = rope(g, a, q, cos, sin, halfStart, halfMid, halfEnd, axis3);
            k = rope(g, a, k, cos, sin, halfStart, halfMid, halfEnd, axis3);
            String presentK = "present." + l + ".key";
            String presentV = "present." + l + ".value";
            g.node(
                    a + "/Concat",
                    "Concat",
                    Attrs.of().i("axis", 2),
                    List.of("past_key_values." + l + ".key", k),
                    List.of(presentK));
            g.node(
                    a + "/Concat",
                    "Concat",
                    Attrs.of().i("axis", 2),
                    List.of("past_key_values." + l + ".value", v),
                    List.of(presentV));
            String kt = g.op(a + "/Transpose", "Transpose", Attrs.of().ints("perm", 0, 1, 3, 2), presentK);
            String scores = g.op(a + "/MatMul", "MatMul", q, kt);
            scores = g.op(a + "/Mul", "Mul", scores, scale);
            scores = g.op(a + "/Add", "Add", scores, mask);
            String probs = g.op(a + "/Softmax", "Softmax", Attrs.of().i("axis", -1), scores);
            String ctx = g.op(a + "/MatMul", "MatMul", probs, presentV);
            ctx = g.op(a + "/Transpose", "Transpose", Attrs.of().ints("perm", 0, 2, 1, 3), ctx);
            ctx = g.op(a + "/Reshape", "Reshape", ctx, hiddenShape);
            String o = g.op(a + ".o_proj/MatMul", "MatMul", ctx, g.normal(a + ".o_proj.weight", 0f, std / 4, hs, hs));
            String h1 = g.op(p + "/Add", "Add", h, o);
            String hn2 = rmsNorm(g, p + ".post_attention_layernorm", h1, c);
            String m = p + ".mlp";
            int is = c.intermediateSize();
            String gate =
                    g.op(m + ".gate_proj/MatMul", "MatMul", hn2, g.normal(m + ".gate_proj.weight", 0f, std, hs, is));
            String up = g.op(m + ".up_proj/MatMul", "MatMul", hn2, g.normal(m + ".up_proj.weight", 0f, std, hs, is));
            String silu = g.op(m + ".act_fn/Mul", "Mul", gate, g.op(m + ".act_fn/Sigmoid", "Sigmoid", gate));
            String prod = g.op(m + "/Mul", "Mul", silu, up);
            String down =
                    g.op(m + ".down_proj/MatMul", "MatMul", prod, g.normal(m + ".down_proj.weight", 0f, std, is, hs));
            h = g.op(p + "/Add", "Add", h1, down);
        }
        String hn = rmsNorm(g, "model.norm", h, c);
        String lm = g.normal("lm_head.weight", 0f, std, hs, c.vocabSize());
        g.node("lm_head/MatMul", "MatMul", Attrs.of(), List.of(hn, lm), List.of("logits"));
        return g.build(17, "slicer-builder tiny-llama");
    }

    private static String rmsNorm(GraphBuilder g, String name, String x, Config c) {
        String sq = g.op(name + "/Mul", "Mul", x, x);
        String mean = g.op(
                name + "/ReduceMean", "ReduceMean", Attrs.of().ints("axes", -1).i("keepdims", 1), sq);
        String eps = g.floats(name + ".eps", new long[0], c.rmsEps());
        String rms = g.op(name + "/Sqrt", "Sqrt", g.op(name + "/Add", "Add", mean, eps));
        String normed = g.op(name + "/Div", "Div", x, rms);
        String w = g.normal(name + ".weight", 1f, 0.05f, c.hiddenSize());
        return g.op(name + "/Mul", "Mul", normed, w);
    }

    /** [b, s, hidden] -> [b, heads, s, head_dim]. */
    private static String heads(GraphBuilder g, String a, String x, String headShape) {
        String r = g.op(a + "/Reshape", "Reshape", x, headShape);
        return g.op(a + "/Transpose", "Transpose", Attrs.of().ints("perm", 0, 2, 1, 3), r);
    }

    /** x * cos + rotate_half(x) * sin, with rotate_half(x) = concat(-x2, x1). */
    private static String rope(
            GraphBuilder g,
            String a,
            String x,
            String cos,
            String sin,
            String start,
            String mid,
            String end,
            String axis3) {
        String x1 = g.op(a + "/Slice", "Slice", x, start, mid, axis3);
        String x2 = g.op(a + "/Slice", "Slice", x, mid, end, axis3);
        String rot = g.op(a + "/Concat", "Concat", Attrs.of().i("axis", -1), g.op(a + "/Neg", "Neg", x2), x1);
        return g.op(a + "/Add", "Add", g.op(a + "/Mul", "Mul", x, cos), g.op(a + "/Mul", "Mul", rot, sin));
    }
}
