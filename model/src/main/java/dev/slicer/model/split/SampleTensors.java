package dev.slicer.model.split;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.slicer.model.InvalidSampleException;
import dev.slicer.model.onnx.DataTypes;
import dev.slicer.model.onnx.proto.Onnx.GraphProto;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;
import dev.slicer.model.onnx.proto.Onnx.TensorShapeProto;
import dev.slicer.model.onnx.proto.Onnx.ValueInfoProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Representative inputs from a directory: {@code input_N.pb} TensorProto files in the ONNX test-data
 * layout (as the ONNX model zoo ships them; matched by the tensor's name, else to the N-th graph
 * input), {@code NAME.npy} NumPy arrays (matched by file name) and images ({@code NAME.png},
 * {@code input_N.jpg}, ...) made tensors by an {@link ImagePreprocessing}. Each is checked against the graph
 * input it feeds (element type, rank, fixed dimensions); anything unusable is an
 * {@link InvalidSampleException} naming the file.
 */
public final class SampleTensors {
    /** Bound on one sample file, so a wrong path cannot exhaust the heap. */
    public static final long MAX_FILE_BYTES = 256L << 20;

    private static final Pattern PB = Pattern.compile("input_(\\d+)\\.pb");
    private static final Pattern INPUT_N = Pattern.compile("input_(\\d{1,6})");
    private static final Pattern NPY_DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
    private static final Pattern NPY_ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern NPY_SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private SampleTensors() {}

    /** The samples in {@code dir} by graph input name, in the graph's input order; images as {@link ImagePreprocessing#DEFAULT}. */
    public static Map<String, HostTensor> load(Path dir, ModelProto model) {
        return load(dir, model, ImagePreprocessing.DEFAULT);
    }

    /** As {@link #load(Path, ModelProto)}, with image files ({@code NAME.png}, {@code input_N.jpg}) made tensors by {@code images}. */
    public static Map<String, HostTensor> load(Path dir, ModelProto model, ImagePreprocessing images) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidSampleException("sample directory " + dir + " does not exist or is not a directory");
        }
        GraphProto g = model.getGraph();
        Set<String> inits =
                g.getInitializerList().stream().map(TensorProto::getName).collect(Collectors.toSet());
        List<ValueInfoProto> inputs = g.getInputList().stream()
                .filter(i -> !inits.contains(i.getName()))
                .toList();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(SampleTensors::isSampleFile).sorted().toList();
        } catch (IOException e) {
            throw new InvalidSampleException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new InvalidSampleException("no input_N.pb, NAME.npy or image file in " + dir);
        }
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (Path f : files) {
            String file = f.getFileName().toString();
            ValueInfoProto target;
            HostTensor t;
            if (file.endsWith(".pb")) {
                Matcher m = PB.matcher(file);
                if (!m.matches()) {
                    throw new InvalidSampleException(f + ": a .pb sample must be named input_N.pb");
                }
                TensorProto p = parsePb(f);
                int index = Integer.parseInt(m.group(1));
                target = !p.getName().isEmpty()
                        ? find(inputs, p.getName(), f)
                        : index < inputs.size() ? inputs.get(index) : null;
                if (target == null) {
                    throw new InvalidSampleException(
                            f + ": the model has " + inputs.size() + " inputs, no input " + index);
                }
                t = fromProto(p, f);
            } else if (file.endsWith(".npy")) {
                target = find(inputs, file.substring(0, file.length() - ".npy".length()), f);
                t = readNpy(f);
            } else {
                String stem = file.substring(0, file.lastIndexOf('.'));
                Matcher m = INPUT_N.matcher(stem);
                target = m.matches()
                                && inputs.stream().noneMatch(i -> i.getName().equals(stem))
                        ? byIndex(inputs, Integer.parseInt(m.group(1)), f)
                        : find(inputs, stem, f);
                t = images.tensor(f, target);
            }
            check(target, t, f);
            if (out.put(target.getName(), t) != null) {
                throw new InvalidSampleException(f + ": input " + target.getName() + " is given twice in " + dir);
            }
        }
        return out;
    }

    /** Whether {@code file} is read as a sample: {@code .pb}, {@code .npy} or an image. */
    public static boolean isSampleFile(Path file) {
        String name = file.getFileName().toString();
        return Files.isRegularFile(file)
                && (name.endsWith(".pb") || name.endsWith(".npy") || ImagePreprocessing.isImage(file));
    }

    private static ValueInfoProto byIndex(List<ValueInfoProto> inputs, int index, Path f) {
        if (index >= inputs.size()) {
            throw new InvalidSampleException(f + ": the model has " + inputs.size() + " inputs, no input " + index);
        }
        return inputs.get(index);
    }

    private static ValueInfoProto find(List<ValueInfoProto> inputs, String name, Path f) {
        return inputs.stream()
                .filter(i -> i.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new InvalidSampleException(f + ": the model has no input '" + name + "' (inputs: "
                        + inputs.stream().map(ValueInfoProto::getName).collect(Collectors.joining(", ")) + ")"));
    }

    /** Element type, rank and fixed dimensions of {@code t} must match the graph input. */
    static void check(ValueInfoProto in, HostTensor t, Path f) {
        int type = in.getType().getTensorType().getElemType();
        if (type != t.dataType()) {
            throw new InvalidSampleException(f + ": input " + in.getName() + " is " + DataTypes.name(type)
                    + ", the sample is " + DataTypes.name(t.dataType()));
        }
        TensorShapeProto shape = in.getType().getTensorType().getShape();
        long[] s = t.shape();
        if (in.getType().getTensorType().hasShape() && shape.getDimCount() != s.length) {
            throw new InvalidSampleException(f + ": input " + in.getName() + " has rank " + shape.getDimCount()
                    + ", the sample has shape " + java.util.Arrays.toString(s));
        }
        for (int i = 0; i < shape.getDimCount(); i++) {
            TensorShapeProto.Dimension d = shape.getDim(i);
            if (d.hasDimValue() && d.getDimValue() > 0 && d.getDimValue() != s[i]) {
                throw new InvalidSampleException(f + ": input " + in.getName() + " needs dimension " + i + " = "
                        + d.getDimValue() + ", the sample has shape " + java.util.Arrays.toString(s));
            }
        }
    }

    private static byte[] read(Path f) {
        try {
            long size = Files.size(f);
            if (size > MAX_FILE_BYTES) {
                throw new InvalidSampleException(
                        f + ": " + size + " bytes, more than the " + MAX_FILE_BYTES + " a sample may have");
            }
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new InvalidSampleException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    private static TensorProto parsePb(Path f) {
        try {
            return TensorProto.parseFrom(read(f));
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidSampleException(f + ": not a TensorProto (" + e.getMessage() + ")", e);
        }
    }

    /** A TensorProto's values (raw_data or the typed fields) as a host tensor. */
    static HostTensor fromProto(TensorProto p, Path f) {
        long[] shape = p.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long n = elementsWithin(shape, f);
        int width = DataTypes.byteSize(p.getDataType());
        if (!p.getRawData().isEmpty()) {
            byte[] raw = p.getRawData().toByteArray();
            if (width == 0 || raw.length != n * width) {
                throw new InvalidSampleException(f + ": raw_data has " + raw.length + " bytes, shape "
                        + java.util.Arrays.toString(shape) + " of " + DataTypes.name(p.getDataType()) + " needs "
                        + n * width);
            }
            return fromLittleEndian(p.getDataType(), shape, raw, f);
        }
        try {
            return switch (p.getDataType()) {
                case DataType.FLOAT_VALUE -> {
                    float[] v = new float[p.getFloatDataCount()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = p.getFloatData(i);
                    }
                    yield HostTensor.ofFloats(shape, v);
                }
                case DataType.INT64_VALUE ->
                    HostTensor.ofLongs(
                            shape,
                            p.getInt64DataList().stream()
                                    .mapToLong(Long::longValue)
                                    .toArray());
                case DataType.INT32_VALUE ->
                    new HostTensor(
                            DataType.INT32_VALUE,
                            shape,
                            p.getInt32DataList().stream()
                                    .mapToInt(Integer::intValue)
                                    .toArray());
                default -> throw unsupported(p.getDataType(), f);
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidSampleException(f + ": " + e.getMessage(), e);
        }
    }

    /** Element count of {@code shape}, rejecting negative dimensions and counts no file within the bound holds. */
    private static long elementsWithin(long[] shape, Path f) {
        long n = 1;
        for (long d : shape) {
            if (d < 0 || (d > 0 && n > MAX_FILE_BYTES / d)) {
                throw new InvalidSampleException(f + ": impossible shape " + java.util.Arrays.toString(shape));
            }
            n *= d;
        }
        return n;
    }

    private static InvalidSampleException unsupported(int type, Path f) {
        return new InvalidSampleException(f + ": element type " + DataTypes.name(type)
                + " is not supported for samples (float32, int64, int32, int8, uint8, bool)");
    }

    private static HostTensor fromLittleEndian(int type, long[] shape, byte[] raw, Path f) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int n = Math.toIntExact(HostTensor.elementCount(shape));
        return switch (type) {
            case DataType.FLOAT_VALUE -> {
                float[] v = new float[n];
                b.asFloatBuffer().get(v);
                yield HostTensor.ofFloats(shape, v);
            }
            case DataType.INT64_VALUE -> {
                long[] v = new long[n];
                b.asLongBuffer().get(v);
                yield HostTensor.ofLongs(shape, v);
            }
            case DataType.INT32_VALUE -> {
                int[] v = new int[n];
                b.asIntBuffer().get(v);
                yield new HostTensor(DataType.INT32_VALUE, shape, v);
            }
            case DataType.INT8_VALUE, DataType.UINT8_VALUE, DataType.BOOL_VALUE -> new HostTensor(type, shape, raw);
            default -> throw unsupported(type, f);
        };
    }

    /** A NumPy {@code .npy} file (format 1.0-3.0, C order, little-endian or single-byte types). */
    static HostTensor readNpy(Path f) {
        byte[] all = read(f);
        if (all.length < 10
                || (all[0] & 0xff) != 0x93
                || !new String(all, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new InvalidSampleException(f + ": not a .npy file (no \\x93NUMPY magic)");
        }
        int major = all[6];
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(b.getShort(8));
            start = 10;
        } else if ((major == 2 || major == 3) && all.length >= 12) {
            headerLen = b.getInt(8);
            start = 12;
        } else {
            throw new InvalidSampleException(f + ": unsupported .npy version " + major);
        }
        if (headerLen < 0 || start + (long) headerLen > all.length) {
            throw new InvalidSampleException(f + ": truncated .npy header");
        }
        String header = new String(all, start, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = NPY_DESCR.matcher(header);
        Matcher o = NPY_ORDER.matcher(header);
        Matcher s = NPY_SHAPE.matcher(header);
        if (!d.find() || !o.find() || !s.find()) {
            throw new InvalidSampleException(f + ": malformed .npy header " + header.strip());
        }
        if (o.group(1).equals("True")) {
            throw new InvalidSampleException(f + ": Fortran-order arrays are not supported (save with C order)");
        }
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            if (!part.isBlank()) {
                try {
                    dims.add(Long.parseLong(part.strip()));
                } catch (NumberFormatException e) {
                    throw new InvalidSampleException(f + ": malformed .npy shape (" + s.group(1) + ")", e);
                }
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        String kind = d.group(2) + d.group(3);
        int type =
                switch (kind) {
                    case "f4" -> DataType.FLOAT_VALUE;
                    case "i8" -> DataType.INT64_VALUE;
                    case "i4" -> DataType.INT32_VALUE;
                    case "i1" -> DataType.INT8_VALUE;
                    case "u1" -> DataType.UINT8_VALUE;
                    case "b1" -> DataType.BOOL_VALUE;
                    default ->
                        throw new InvalidSampleException(f + ": .npy dtype " + d.group(0)
                                + " is not supported (float32, int64, int32, int8, uint8, bool)");
                };
        if (d.group(1).equals(">") && !kind.endsWith("1")) {
            throw new InvalidSampleException(f + ": big-endian .npy arrays are not supported");
        }
        int width = Integer.parseInt(d.group(3));
        long need = elementsWithin(shape, f) * width;
        int dataStart = start + headerLen;
        if (all.length - dataStart != need) {
            throw new InvalidSampleException(f + ": " + (all.length - dataStart) + " data bytes, shape "
                    + java.util.Arrays.toString(shape) + " needs " + need);
        }
        byte[] raw = java.util.Arrays.copyOfRange(all, dataStart, all.length);
        return fromLittleEndian(type, shape, raw, f);
    }
}
