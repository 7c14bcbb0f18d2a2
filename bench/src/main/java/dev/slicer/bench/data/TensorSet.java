package dev.slicer.bench.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

/**
 * A benchmark data set: a list of 2-D tensors {@code [rows_i, cols]} stored back to back in one float array, so a
 * benchmark can walk all of them without pointer chasing. Each tensor is one unit of compression (one frame), e.g. the
 * hidden states of one sentence.
 */
public final class TensorSet {

    private static final int MAGIC = 0x534c5453; // "SLTS"

    private final String name;
    private final String description;
    private final int cols;
    private final int[] rows;
    private final int[] offsets;
    private final float[] data;

    public TensorSet(String name, String description, int cols, int[] rows, float[] data) {
        if (cols <= 0) {
            throw new IllegalArgumentException("cols must be positive, got " + cols);
        }
        this.name = name;
        this.description = description;
        this.cols = cols;
        this.rows = rows.clone();
        this.offsets = new int[rows.length + 1];
        long total = 0;
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] <= 0) {
                throw new IllegalArgumentException("tensor " + i + " has no rows");
            }
            offsets[i] = Math.toIntExact(total);
            total += (long) rows[i] * cols;
        }
        offsets[rows.length] = Math.toIntExact(total);
        if (total != data.length) {
            throw new IllegalArgumentException("data holds " + data.length + " floats, shapes need " + total);
        }
        this.data = data;
    }

    /** Concatenates tensors that all have {@code cols} columns. */
    public static TensorSet of(String name, String description, int cols, List<float[]> tensors) {
        int[] rows = new int[tensors.size()];
        int total = 0;
        for (int i = 0; i < rows.length; i++) {
            float[] t = tensors.get(i);
            if (t.length % cols != 0) {
                throw new IllegalArgumentException(
                        "tensor " + i + " length " + t.length + " is not a multiple of " + cols);
            }
            rows[i] = t.length / cols;
            total = Math.addExact(total, t.length);
        }
        float[] data = new float[total];
        int off = 0;
        for (float[] t : tensors) {
            System.arraycopy(t, 0, data, off, t.length);
            off += t.length;
        }
        return new TensorSet(name, description, cols, rows, data);
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public int cols() {
        return cols;
    }

    public int count() {
        return rows.length;
    }

    public int rows(int i) {
        return rows[i];
    }

    public int offset(int i) {
        return offsets[i];
    }

    public int elements(int i) {
        return rows[i] * cols;
    }

    public long totalElements() {
        return data.length;
    }

    /** Size of the data as fp32, the unit of all throughput figures. */
    public long fp32Bytes() {
        return 4L * data.length;
    }

    public int maxElements() {
        int max = 0;
        for (int r : rows) {
            max = Math.max(max, r * cols);
        }
        return max;
    }

    /** The backing array (shared, not copied): tensor i is {@code [offset(i), offset(i) + elements(i))}. */
    public float[] data() {
        return data;
    }

    public float[] tensor(int i) {
        return Arrays.copyOfRange(data, offsets[i], offsets[i] + elements(i));
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeUTF(name);
            out.writeUTF(description);
            out.writeInt(cols);
            out.writeInt(rows.length);
            for (int r : rows) {
                out.writeInt(r);
            }
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < data.length; ) {
                buf.clear();
                int n = Math.min(buf.capacity() / 4, data.length - i);
                buf.asFloatBuffer().put(data, i, n);
                out.write(buf.array(), 0, 4 * n);
                i += n;
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static TensorSet read(Path file) throws IOException {
        try (InputStream is = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(is, 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a tensor set file");
            }
            String name = in.readUTF();
            String description = in.readUTF();
            int cols = in.readInt();
            int n = in.readInt();
            if (cols <= 0 || n < 0 || n > 10_000_000) {
                throw new IOException(file + ": bad header (cols " + cols + ", tensors " + n + ")");
            }
            int[] rows = new int[n];
            long total = 0;
            for (int i = 0; i < n; i++) {
                rows[i] = in.readInt();
                total += (long) rows[i] * cols;
            }
            if (total > Integer.MAX_VALUE - 8 || total < 0) {
                throw new IOException(file + ": too many elements " + total);
            }
            float[] data = new float[(int) total];
            byte[] bytes = new byte[1 << 16];
            ByteBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < data.length; ) {
                int m = Math.min(bytes.length / 4, data.length - i);
                in.readFully(bytes, 0, 4 * m);
                view.clear();
                view.asFloatBuffer().get(data, i, m);
                i += m;
            }
            return new TensorSet(name, description, cols, rows, data);
        }
    }
}
