package dev.slicer.edge.oip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slicer.edge.infer.EdgeFailure;
import dev.slicer.edge.model.EdgeModel;
import dev.slicer.model.PinnedInputException;
import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.text.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the inputs of an OIP v2 infer request into the model's graph inputs, checking every name, datatype, shape and
 * size before allocating. A text model takes one BYTES input (a batch of strings, tokenized with the model's
 * tokenizer) or its INT64 {@code input_ids} / {@code attention_mask} directly; a missing {@code attention_mask} is all
 * ones and a missing {@code token_type_ids} all zeros.
 */
public final class OipInputs {
    /** Characters of one text input; longer texts are rejected rather than tokenized. */
    static final int MAX_TEXT_CHARS = 1 << 16;

    private final EdgeModel model;
    private final int maxTokens;
    private final long maxElements;
    private final int maxBatch;

    public OipInputs(EdgeModel model, int maxTokens, long maxElements, int maxBatch) {
        this.model = model;
        this.maxTokens = maxTokens;
        this.maxElements = maxElements;
        this.maxBatch = maxBatch;
    }

    public Map<String, HostTensor> parse(JsonNode inputs) {
        return parse(inputs, BinaryTensors.none());
    }

    /** The inputs of a request whose tensors may come, in part or whole, from its binary section. */
    Map<String, HostTensor> parse(JsonNode inputs, BinaryTensors binary) {
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw EdgeFailure.badInput("'inputs' must be a non-empty array");
        }
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (JsonNode in : inputs) {
            String name = text(in, "name");
            String datatype = text(in, "datatype");
            long[] shape = shape(in.get("shape"), name);
            long n = count(shape, name);
            JsonNode data = in.get("data");
            List<JsonNode> values = new ArrayList<>();
            if (data == null) {
                JsonNode params = in.get("parameters");
                values = binary.values(name, datatype, n, params == null ? null : params.get("binary_data_size"));
            } else {
                flatten(data, values, n, name);
            }
            if (values.size() != n) {
                throw EdgeFailure.badInput("input '" + name + "' has shape " + Arrays.toString(shape) + " (" + n
                        + " elements) but " + values.size() + " data values");
            }
            if (out.containsKey(name)) {
                throw EdgeFailure.badInput("input '" + name + "' given twice");
            }
            if (datatype.equals("BYTES")) {
                if (model.tokenizer().isEmpty()) {
                    throw EdgeFailure.badInput("model " + model.name() + " takes no text (BYTES) input");
                }
                out.putAll(tokenize(values, shape, name));
                continue;
            }
            if (!model.hasInput(name)) {
                throw EdgeFailure.badInput("model " + model.name() + " has no input '" + name + "'");
            }
            out.put(name, tensor(name, datatype, model.inputType(name), shape, values));
        }
        binary.requireConsumed();
        completeTextInputs(out);
        checkTokenIds(out.get("input_ids"));
        for (EdgeModel.Port p : model.inputs()) {
            if (!out.containsKey(p.name())) {
                throw EdgeFailure.badInput("missing input '" + p.name() + "' (" + OipDatatypes.name(p.dataType()) + " "
                        + Arrays.toString(p.shape()) + ")");
            }
        }
        try {
            // a model served specialized for a scalar (an inlined If) would answer another value wrongly
            model.splittable().checkPinned(out);
        } catch (PinnedInputException e) {
            throw EdgeFailure.badInput(e.getMessage());
        }
        return out;
    }

    private Map<String, HostTensor> tokenize(List<JsonNode> values, long[] shape, String name) {
        if (shape.length < 1 || shape.length > 2 || (shape.length == 2 && shape[1] != 1)) {
            throw EdgeFailure.badInput(
                    "text input '" + name + "' must have shape [N] or [N, 1], got " + Arrays.toString(shape));
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode v : values) {
            if (!v.isTextual()) {
                throw EdgeFailure.badInput("text input '" + name + "' holds a non-string value: " + v);
            }
            if (v.asText().length() > MAX_TEXT_CHARS) {
                throw EdgeFailure.badInput(
                        "text input '" + name + "' holds a text above " + MAX_TEXT_CHARS + " characters");
            }
            texts.add(v.asText());
        }
        if (texts.isEmpty()) {
            throw EdgeFailure.badInput("text input '" + name + "' is empty");
        }
        TextTokenizer.Batch b = model.tokenizer().orElseThrow().encodeBatch(texts, maxTokens);
        long[] s = {b.batchSize(), b.length()};
        Map<String, HostTensor> out = new LinkedHashMap<>();
        out.put("input_ids", HostTensor.ofLongs(s, b.inputIds()));
        if (model.hasInput("attention_mask")) {
            out.put("attention_mask", HostTensor.ofLongs(s, b.attentionMask()));
        }
        if (model.hasInput("token_type_ids")) {
            out.put("token_type_ids", HostTensor.ofLongs(s, b.tokenTypeIds()));
        }
        return out;
    }

    private void completeTextInputs(Map<String, HostTensor> in) {
        HostTensor ids = in.get("input_ids");
        if (ids == null || model.tokenizer().isEmpty()) {
            return;
        }
        int n = Math.toIntExact(ids.elementCount());
        if (model.hasInput("attention_mask") && !in.containsKey("attention_mask")) {
            long[] ones = new long[n];
            Arrays.fill(ones, 1L);
            in.put("attention_mask", HostTensor.ofLongs(ids.shape(), ones));
        }
        if (model.hasInput("token_type_ids") && !in.containsKey("token_type_ids")) {
            in.put("token_type_ids", HostTensor.ofLongs(ids.shape(), new long[n]));
        }
        for (String side : List.of("attention_mask", "token_type_ids")) {
            HostTensor t = in.get(side);
            if (t != null && !Arrays.equals(t.shape(), ids.shape())) {
                throw EdgeFailure.badInput("'" + side + "' has shape " + Arrays.toString(t.shape()) + ", 'input_ids' "
                        + Arrays.toString(ids.shape()));
            }
        }
    }

    /** Token ids index the embedding table: outside the vocabulary they fail deep in the graph, on either end. */
    private void checkTokenIds(HostTensor ids) {
        if (ids == null || model.tokenizer().isEmpty() || !(ids.data() instanceof long[] v)) {
            return;
        }
        int vocab = model.tokenizer().get().vocabSize();
        for (long id : v) {
            if (id < 0 || id >= vocab) {
                throw EdgeFailure.badInput("input_ids holds " + id + ", outside the vocabulary [0, " + vocab + ")");
            }
        }
    }

    private static HostTensor tensor(String name, String datatype, int expected, long[] shape, List<JsonNode> v) {
        int n = v.size();
        switch (expected) {
            case DataType.INT64_VALUE, DataType.INT32_VALUE -> {
                require(datatype, name, expected, "INT64", "INT32");
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    JsonNode x = v.get(i);
                    if (!x.canConvertToLong() || !x.isIntegralNumber()) {
                        throw EdgeFailure.badInput("input '" + name + "' holds a non-integer value: " + x);
                    }
                    a[i] = x.asLong();
                }
                if (expected == DataType.INT64_VALUE) {
                    return HostTensor.ofLongs(shape, a);
                }
                int[] b = new int[n];
                for (int i = 0; i < n; i++) {
                    if (a[i] != (int) a[i]) {
                        throw EdgeFailure.badInput("input '" + name + "' value " + a[i] + " is out of INT32 range");
                    }
                    b[i] = (int) a[i];
                }
                return new HostTensor(DataType.INT32_VALUE, shape, b);
            }
            case DataType.FLOAT_VALUE -> {
                require(datatype, name, expected, "FP32", "FP64");
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    JsonNode x = v.get(i);
                    if (!x.isNumber()) {
                        throw EdgeFailure.badInput("input '" + name + "' holds a non-number value: " + x);
                    }
                    a[i] = (float) x.asDouble();
                    if (!Float.isFinite(a[i])) {
                        throw EdgeFailure.badInput("input '" + name + "' holds a value outside FP32: " + x);
                    }
                }
                return HostTensor.ofFloats(shape, a);
            }
            case DataType.BOOL_VALUE -> {
                require(datatype, name, expected, "BOOL");
                byte[] a = new byte[n];
                for (int i = 0; i < n; i++) {
                    if (!v.get(i).isBoolean()) {
                        throw EdgeFailure.badInput("input '" + name + "' holds a non-boolean value: " + v.get(i));
                    }
                    a[i] = (byte) (v.get(i).asBoolean() ? 1 : 0);
                }
                return new HostTensor(DataType.BOOL_VALUE, shape, a);
            }
            default ->
                throw EdgeFailure.badInput("input '" + name + "' has element type " + OipDatatypes.name(expected)
                        + ", which this edge does not accept over OIP");
        }
    }

    private static void require(String datatype, String name, int expected, String... accepted) {
        if (!Arrays.asList(accepted).contains(datatype)) {
            throw EdgeFailure.badInput(
                    "input '" + name + "' must be " + OipDatatypes.name(expected) + ", got " + datatype);
        }
    }

    private long[] shape(JsonNode s, String name) {
        if (s == null || !s.isArray() || s.size() > 8) {
            throw EdgeFailure.badInput("input '" + name + "' needs a 'shape' array of at most 8 dimensions");
        }
        long[] out = new long[s.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode d = s.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
                throw EdgeFailure.badInput("input '" + name + "' has an invalid dimension " + d);
            }
            out[i] = d.asLong();
        }
        if (out.length > 0 && out[0] > maxBatch) {
            throw EdgeFailure.badInput("input '" + name + "' has a batch of " + out[0] + ", above " + maxBatch);
        }
        return out;
    }

    private long count(long[] shape, String name) {
        long n = 1;
        for (long d : shape) {
            n = d == 0 ? 0 : n > maxElements / d ? maxElements + 1 : n * d;
        }
        if (n > maxElements) {
            throw EdgeFailure.badInput("input '" + name + "' has shape " + Arrays.toString(shape)
                    + ", above the limit of " + maxElements + " elements");
        }
        return n;
    }

    /** Row-major flattening of nested arrays, stopping as soon as there are more values than the shape holds. */
    private static void flatten(JsonNode data, List<JsonNode> out, long limit, String name) {
        if (data.isArray()) {
            for (JsonNode d : data) {
                flatten(d, out, limit, name);
            }
        } else {
            if (out.size() >= limit) {
                throw EdgeFailure.badInput("input '" + name + "' has more data values than its shape holds");
            }
            out.add(data);
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw EdgeFailure.badInput("every input needs a string '" + field + "'");
        }
        return v.asText();
    }
}
