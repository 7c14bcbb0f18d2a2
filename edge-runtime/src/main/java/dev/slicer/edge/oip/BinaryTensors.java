package dev.slicer.edge.oip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.slicer.edge.infer.EdgeFailure;
import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;
import dev.slicer.model.split.HostTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary tensor data extension of OIP v2 (KServe, Triton): the body is a JSON header of
 * {@value #HEADER} bytes followed by the tensors' raw bytes, each input naming its size in
 * {@code parameters.binary_data_size}, in input order; fixed-size elements little-endian and row-major, BYTES elements
 * a 4-byte little-endian length and the bytes. The official Triton client sends and asks for binary data by default.
 * Every size is checked against the bytes present before anything is read or allocated.
 */
final class BinaryTensors {
    /** The HTTP header giving the JSON header's length in a request or response body. */
    static final String HEADER = "Inference-Header-Content-Length";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ByteBuffer section;

    private BinaryTensors(ByteBuffer section) {
        this.section = section.order(ByteOrder.LITTLE_ENDIAN);
    }

    /** No binary section: a plain JSON body. */
    static BinaryTensors none() {
        return new BinaryTensors(ByteBuffer.allocate(0));
    }

    /**
     * Splits a body by the header's value: the JSON header's length, or null for a plain JSON body. Returns the JSON
     * header's length; the rest of the body is this request's binary section.
     */
    static int jsonLength(String header, int bodyLength) {
        if (header == null) {
            return bodyLength;
        }
        long n;
        try {
            n = Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            throw EdgeFailure.badInput(HEADER + " must be a byte count, got '" + header + "'");
        }
        if (n <= 0 || n > bodyLength) {
            throw EdgeFailure.badInput(HEADER + " is " + n + ", the body has " + bodyLength + " bytes");
        }
        return (int) n;
    }

    static BinaryTensors of(byte[] body, int jsonLength) {
        return new BinaryTensors(
                ByteBuffer.wrap(body, jsonLength, body.length - jsonLength).slice());
    }

    /**
     * The next {@code size} bytes as {@code count} values of {@code datatype}, as the JSON path would have parsed them
     * (so one set of type and range checks serves both).
     */
    List<JsonNode> values(String name, String datatype, long count, JsonNode size) {
        if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
            throw EdgeFailure.badInput("input '" + name + "' has no 'data' and no valid parameters.binary_data_size");
        }
        long bytes = size.asLong();
        if (bytes > section.remaining()) {
            throw EdgeFailure.badInput("input '" + name + "' declares " + bytes + " binary bytes, "
                    + section.remaining() + " remain in the body");
        }
        if (datatype.equals("BYTES")) {
            return strings(name, count, (int) bytes);
        }
        int width = width(datatype, name);
        if (bytes != count * width) {
            throw EdgeFailure.badInput("input '" + name + "' has " + count + " " + datatype + " elements ("
                    + count * width + " bytes) but binary_data_size " + bytes);
        }
        List<JsonNode> out = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            out.add(
                    switch (datatype) {
                        case "BOOL" -> NODES.booleanNode(section.get() != 0);
                        case "INT8" -> NODES.numberNode(section.get());
                        case "UINT8" -> NODES.numberNode(section.get() & 0xFF);
                        case "INT16" -> NODES.numberNode(section.getShort());
                        case "UINT16" -> NODES.numberNode(section.getShort() & 0xFFFF);
                        case "INT32" -> NODES.numberNode(section.getInt());
                        case "UINT32" -> NODES.numberNode(section.getInt() & 0xFFFFFFFFL);
                        case "INT64" -> NODES.numberNode(section.getLong());
                        case "FP32" -> NODES.numberNode((double) section.getFloat());
                        case "FP64" -> NODES.numberNode(section.getDouble());
                        default -> throw new IllegalStateException(datatype); // width() admitted only the above
                    });
        }
        return out;
    }

    /** Every byte of the section belongs to some input: trailing bytes mean the sizes and the body disagree. */
    void requireConsumed() {
        if (section.hasRemaining()) {
            throw EdgeFailure.badInput(section.remaining() + " binary bytes follow the inputs' declared sizes");
        }
    }

    private List<JsonNode> strings(String name, long count, int bytes) {
        ByteBuffer mine = section.slice(section.position(), bytes).order(ByteOrder.LITTLE_ENDIAN);
        section.position(section.position() + bytes);
        // each element takes at least its 4-byte length: bounds the list before it is allocated
        if (count > bytes / 4) {
            throw EdgeFailure.badInput("input '" + name + "' declares " + count + " BYTES elements in " + bytes
                    + " bytes (each takes at least 4)");
        }
        var utf8 = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<JsonNode> out = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            if (mine.remaining() < 4) {
                throw EdgeFailure.badInput("input '" + name + "' ends inside element " + i + "'s length");
            }
            long length = mine.getInt() & 0xFFFFFFFFL;
            if (length > mine.remaining()) {
                throw EdgeFailure.badInput("input '" + name + "' element " + i + " declares " + length + " bytes, "
                        + mine.remaining() + " remain");
            }
            ByteBuffer text = mine.slice(mine.position(), (int) length);
            mine.position(mine.position() + (int) length);
            try {
                out.add(NODES.textNode(utf8.decode(text).toString()));
            } catch (CharacterCodingException e) {
                throw EdgeFailure.badInput("input '" + name + "' element " + i + " is not UTF-8 text");
            }
        }
        if (mine.hasRemaining()) {
            throw EdgeFailure.badInput(
                    "input '" + name + "' has " + mine.remaining() + " bytes after its " + count + " elements");
        }
        return out;
    }

    private static int width(String datatype, String name) {
        return switch (datatype) {
            case "BOOL", "INT8", "UINT8" -> 1;
            case "INT16", "UINT16" -> 2;
            case "INT32", "UINT32", "FP32" -> 4;
            case "INT64", "FP64" -> 8;
            default ->
                throw EdgeFailure.badInput("input '" + name + "' has datatype " + datatype
                        + ", which this edge does not take as binary data");
        };
    }

    /** A response tensor's raw bytes: little-endian, row-major, as {@link #values} reads them. */
    static byte[] encode(HostTensor t) {
        Object v = t.data();
        if (v instanceof float[] f) {
            ByteBuffer b = ByteBuffer.allocate(f.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(f);
            return b.array();
        }
        if (v instanceof long[] l) {
            ByteBuffer b = ByteBuffer.allocate(l.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            b.asLongBuffer().put(l);
            return b.array();
        }
        if (v instanceof int[] a) {
            ByteBuffer b = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asIntBuffer().put(a);
            return b.array();
        }
        if (v instanceof byte[] bytes) {
            if (t.dataType() == DataType.BOOL_VALUE) {
                byte[] out = new byte[bytes.length];
                for (int i = 0; i < bytes.length; i++) {
                    out[i] = (byte) (bytes[i] != 0 ? 1 : 0);
                }
                return out;
            }
            return bytes.clone();
        }
        throw new IllegalArgumentException("no binary encoding for " + v.getClass());
    }
}
