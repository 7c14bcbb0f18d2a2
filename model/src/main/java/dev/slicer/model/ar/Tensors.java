package dev.slicer.model.ar;

import dev.slicer.model.split.HostTensor;
import java.util.List;

/** Stacking, padding and slicing of float/int64 tensors on the batch axis for {@link KvDecoder}. */
final class Tensors {
    private Tensors() {}

    /** {@code [1, ...]} tensors of one shape stacked to {@code [b, ...]}. */
    static HostTensor stack(List<HostTensor> rows) {
        HostTensor first = rows.get(0);
        long[] shape = first.shape();
        int per = Math.toIntExact(first.elementCount());
        shape[0] = rows.size();
        if (first.data() instanceof float[]) {
            float[] out = new float[per * rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                System.arraycopy(rows.get(i).floats(), 0, out, i * per, per);
            }
            return HostTensor.ofFloats(shape, out);
        }
        long[] out = new long[per * rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i).longs(), 0, out, i * per, per);
        }
        return HostTensor.ofLongs(shape, out);
    }

    /** Row {@code i} of a {@code [b, ...]} tensor as {@code [1, ...]}. */
    static HostTensor row(HostTensor t, int i) {
        long[] shape = t.shape();
        int per = Math.toIntExact(t.elementCount() / shape[0]);
        shape[0] = 1;
        if (t.data() instanceof float[] f) {
            float[] out = new float[per];
            System.arraycopy(f, i * per, out, 0, per);
            return HostTensor.ofFloats(shape, out);
        }
        long[] out = new long[per];
        System.arraycopy(t.longs(), i * per, out, 0, per);
        return HostTensor.ofLongs(shape, out);
    }

    /** Row {@code i} of a {@code [b, heads, total, dim]} present tensor without its first {@code pad} positions. */
    static HostTensor rowWithoutPad(HostTensor t, int i, int pad) {
        long[] s = t.shape();
        int heads = (int) s[1];
        int total = (int) s[2];
        int dim = (int) s[3];
        int len = total - pad;
        float[] src = t.floats();
        float[] out = new float[heads * len * dim];
        for (int h = 0; h < heads; h++) {
            int from = ((i * heads + h) * total + pad) * dim;
            System.arraycopy(src, from, out, h * len * dim, len * dim);
        }
        return HostTensor.ofFloats(new long[] {1, heads, len, dim}, out);
    }

    /**
     * The past input {@code name} for a batch: {@code [b, heads, past, dim]}, each session's cache right-aligned
     * (left zero padding, masked by the attention mask).
     */
    static HostTensor padPast(List<KvCache> caches, String name, int past, long[] headsAndDim) {
        int b = caches.size();
        int heads = (int) headsAndDim[0];
        int dim = (int) headsAndDim[1];
        float[] out = new float[b * heads * past * dim];
        for (int i = 0; i < b; i++) {
            HostTensor t = caches.get(i).past(name);
            if (t == null) {
                continue; // an empty cache: all padding
            }
            int len = caches.get(i).length();
            int pad = past - len;
            float[] src = t.floats();
            for (int h = 0; h < heads; h++) {
                System.arraycopy(src, h * len * dim, out, ((i * heads + h) * past + pad) * dim, len * dim);
            }
        }
        return HostTensor.ofFloats(new long[] {b, heads, past, dim}, out);
    }
}
