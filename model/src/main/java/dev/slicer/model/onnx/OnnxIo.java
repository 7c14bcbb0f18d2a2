package dev.slicer.model.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.slicer.model.InvalidModelException;
import dev.slicer.model.onnx.proto.Onnx.GraphProto;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.NodeProto;
import dev.slicer.model.onnx.proto.Onnx.StringStringEntryProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/** Reads and writes ONNX models, including weights stored in external data files. */
public final class OnnxIo {
    private static final int MAX_IR_VERSION = 64;

    private OnnxIo() {}

    /**
     * Reads a model and inlines every externally stored initializer into {@code raw_data}.
     *
     * @throws InvalidModelException if the file is missing, corrupt, truncated, not ONNX, or an
     *     external data file is missing or too short
     */
    public static ModelProto load(Path path) {
        ModelProto model;
        try (InputStream in = Files.newInputStream(path)) {
            CodedInputStream cis = CodedInputStream.newInstance(in);
            cis.setSizeLimit(Integer.MAX_VALUE);
            cis.setRecursionLimit(512);
            model = ModelProto.parseFrom(cis);
        } catch (NoSuchFileException e) {
            throw new InvalidModelException("model file not found: " + path);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidModelException(
                    "not a valid ONNX model (corrupt or truncated protobuf): " + path + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new InvalidModelException("cannot read model " + path + ": " + e.getMessage(), e);
        }
        validate(model, path.toString());
        return inlineExternalData(model, path.toAbsolutePath().getParent());
    }

    /** Parses a model held in memory (no external data). */
    public static ModelProto parse(byte[] bytes, String name) {
        ModelProto model;
        try {
            CodedInputStream cis = CodedInputStream.newInstance(bytes);
            cis.setSizeLimit(Integer.MAX_VALUE);
            cis.setRecursionLimit(512);
            model = ModelProto.parseFrom(cis);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidModelException(
                    "not a valid ONNX model (corrupt or truncated protobuf): " + name + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new InvalidModelException("cannot parse model " + name + ": " + e.getMessage(), e);
        }
        validate(model, name);
        for (TensorProto t : model.getGraph().getInitializerList()) {
            if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                throw new InvalidModelException(
                        name + ": initializer '" + t.getName() + "' uses external data, load the model from a file");
            }
        }
        return model;
    }

    /** Structural checks that separate an ONNX model from arbitrary bytes that happen to parse. */
    static void validate(ModelProto model, String name) {
        if (model.getIrVersion() <= 0 || model.getIrVersion() > MAX_IR_VERSION) {
            throw new InvalidModelException(
                    "not an ONNX model: " + name + " (ir_version " + model.getIrVersion() + " is not valid)");
        }
        if (!model.hasGraph()) {
            throw new InvalidModelException("not an ONNX model: " + name + " has no graph");
        }
        if (model.getOpsetImportCount() == 0) {
            throw new InvalidModelException("not an ONNX model: " + name + " declares no opset");
        }
        GraphProto g = model.getGraph();
        if (g.getOutputCount() == 0) {
            throw new InvalidModelException("invalid ONNX model: " + name + ": graph has no outputs");
        }
        for (NodeProto n : g.getNodeList()) {
            if (n.getOpType().isEmpty()) {
                throw new InvalidModelException(
                        "invalid ONNX model: " + name + ": node '" + n.getName() + "' has no op_type");
            }
        }
    }

    private static ModelProto inlineExternalData(ModelProto model, Path baseDir) {
        GraphProto graph = model.getGraph();
        boolean any = graph.getInitializerList().stream()
                .anyMatch(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL);
        if (!any) {
            return model;
        }
        GraphProto.Builder gb = graph.toBuilder();
        Map<Path, FileChannel> open = new HashMap<>();
        try {
            for (int i = 0; i < gb.getInitializerCount(); i++) {
                TensorProto t = gb.getInitializer(i);
                if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
                    continue;
                }
                gb.setInitializer(i, readExternal(t, baseDir, open));
            }
        } finally {
            for (FileChannel ch : open.values()) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing a read-only channel cannot lose data
                }
            }
        }
        return model.toBuilder().setGraph(gb).build();
    }

    private static TensorProto readExternal(TensorProto t, Path baseDir, Map<Path, FileChannel> open) {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = Long.parseLong(e.getValue());
                case "length" -> length = Long.parseLong(e.getValue());
                default -> {}
            }
        }
        if (location == null) {
            throw new InvalidModelException("initializer '" + t.getName() + "' has external data without a location");
        }
        Path file = baseDir.resolve(location).normalize();
        if (!file.startsWith(baseDir)) {
            throw new InvalidModelException("initializer '" + t.getName()
                    + "': external data location escapes the model directory: " + location);
        }
        if (length < 0) {
            length = Tensors.elementCount(t) * DataTypes.byteSize(t.getDataType());
        }
        try {
            FileChannel ch = open.get(file);
            if (ch == null) {
                ch = FileChannel.open(file, StandardOpenOption.READ);
                open.put(file, ch);
            }
            if (offset + length > ch.size()) {
                throw new InvalidModelException("external data file " + file + " is truncated: initializer '"
                        + t.getName() + "' needs bytes " + offset + ".." + (offset + length) + " of " + ch.size());
            }
            if (length > Integer.MAX_VALUE) {
                throw new InvalidModelException("initializer '" + t.getName() + "' is larger than 2 GiB");
            }
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) length);
            while (buf.hasRemaining()) {
                int r = ch.read(buf, offset + buf.position());
                if (r < 0) {
                    throw new InvalidModelException("external data file " + file + " ended early");
                }
            }
            buf.flip();
            return t.toBuilder()
                    .clearExternalData()
                    .clearDataLocation()
                    .setRawData(ByteString.copyFrom(buf))
                    .build();
        } catch (NoSuchFileException e) {
            throw new InvalidModelException(
                    "external data file " + file + " for initializer '" + t.getName() + "' does not exist");
        } catch (IOException e) {
            throw new InvalidModelException("cannot read external data file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes a self-contained model atomically. */
    public static void save(ModelProto model, Path path) throws IOException {
        AtomicFiles.write(path, model::writeTo);
    }

    /**
     * Writes the model with every initializer of at least {@code thresholdBytes} bytes moved to the
     * external data file {@code dataFileName} next to it (both written atomically, data first).
     */
    public static void saveWithExternalData(ModelProto model, Path path, String dataFileName, long thresholdBytes)
            throws IOException {
        Path dataPath = path.toAbsolutePath().getParent().resolve(dataFileName);
        GraphProto.Builder gb = model.getGraph().toBuilder();
        long[] offsets = new long[gb.getInitializerCount()];
        AtomicFiles.write(dataPath, out -> {
            long pos = 0;
            for (int i = 0; i < gb.getInitializerCount(); i++) {
                TensorProto t = gb.getInitializer(i);
                offsets[i] = -1;
                if (!t.getRawData().isEmpty() && t.getRawData().size() >= thresholdBytes) {
                    long pad = (4096 - pos % 4096) % 4096;
                    writeZeros(out, pad);
                    pos += pad;
                    offsets[i] = pos;
                    t.getRawData().writeTo(out);
                    pos += t.getRawData().size();
                }
            }
        });
        try {
            for (int i = 0; i < gb.getInitializerCount(); i++) {
                if (offsets[i] < 0) {
                    continue;
                }
                TensorProto t = gb.getInitializer(i);
                gb.setInitializer(
                        i,
                        t.toBuilder()
                                .clearRawData()
                                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                                .addExternalData(entry("location", dataFileName))
                                .addExternalData(entry("offset", Long.toString(offsets[i])))
                                .addExternalData(entry(
                                        "length",
                                        Integer.toString(t.getRawData().size()))));
            }
            save(model.toBuilder().setGraph(gb).build(), path);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(dataPath);
            throw e;
        }
    }

    private static void writeZeros(OutputStream out, long n) throws IOException {
        byte[] zeros = new byte[4096];
        while (n > 0) {
            int k = (int) Math.min(n, zeros.length);
            out.write(zeros, 0, k);
            n -= k;
        }
    }

    private static StringStringEntryProto entry(String k, String v) {
        return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }
}
