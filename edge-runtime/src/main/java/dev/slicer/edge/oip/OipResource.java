package dev.slicer.edge.oip;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slicer.edge.EdgeRuntime;
import dev.slicer.edge.infer.EdgeFailure;
import dev.slicer.edge.infer.InferResult;
import dev.slicer.edge.model.EdgeModel;
import dev.slicer.model.split.HostTensor;
import io.grpc.Context;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The KServe Open Inference Protocol v2 REST API (health, model metadata and readiness, infer) with the protocol's
 * JSON tensors and its error object. One model is served, under its configured name and version "1".
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
public class OipResource {
    static final String VERSION = "1";

    private final EdgeRuntime runtime;
    private final ObjectMapper json;

    public OipResource(EdgeRuntime runtime, ObjectMapper json) {
        this.runtime = runtime;
        this.json = json;
    }

    @GET
    @Path("/health/live")
    public Map<String, Object> live() {
        return Map.of("live", true);
    }

    @GET
    @Path("/health/ready")
    public Response ready() {
        return runtime.ready()
                ? Response.ok(Map.of("ready", true)).build()
                : ErrorMapper.error(503, "the edge is loading its model");
    }

    @GET
    @Path("/models/{name}")
    public ObjectNode metadata(@PathParam("name") String name) {
        EdgeModel m = model(name);
        ObjectNode out = json.createObjectNode();
        out.put("name", m.name());
        out.putArray("versions").add(VERSION);
        out.put("platform", "onnxruntime_onnx");
        ArrayNode inputs = out.putArray("inputs");
        if (m.tokenizer().isPresent()) {
            inputs.addObject()
                    .put("name", "text")
                    .put("datatype", "BYTES")
                    .putArray("shape")
                    .add(-1);
        }
        for (EdgeModel.Port p : m.inputs()) {
            port(inputs.addObject(), p);
        }
        ArrayNode outputs = out.putArray("outputs");
        for (EdgeModel.Port p : m.outputs()) {
            port(outputs.addObject(), p);
        }
        return out;
    }

    @GET
    @Path("/models/{name}/versions/{version}")
    public ObjectNode metadataVersion(@PathParam("name") String name, @PathParam("version") String version) {
        version(version);
        return metadata(name);
    }

    @GET
    @Path("/models/{name}/ready")
    public Map<String, Object> modelReady(@PathParam("name") String name) {
        return Map.of("name", model(name).name(), "ready", true);
    }

    @GET
    @Path("/models/{name}/versions/{version}/ready")
    public Map<String, Object> modelVersionReady(@PathParam("name") String name, @PathParam("version") String v) {
        version(v);
        return modelReady(name);
    }

    @POST
    @Path("/models/{name}/infer")
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    @Blocking
    public Response infer(
            @PathParam("name") String name, byte[] body, @jakarta.ws.rs.core.Context HttpServerRequest http) {
        EdgeModel m = model(name);
        JsonNode req;
        int jsonLength = BinaryTensors.jsonLength(http.getHeader(BinaryTensors.HEADER), body.length);
        try {
            req = json.readTree(body, 0, jsonLength);
        } catch (JsonProcessingException e) {
            throw EdgeFailure.badInput("the body is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw EdgeFailure.badInput("cannot read the body: " + e.getMessage());
        }
        if (req == null || !req.isObject()) {
            throw EdgeFailure.badInput("the body must be a JSON object with 'inputs'");
        }
        Map<String, HostTensor> inputs =
                runtime.oipInputs().parse(req.get("inputs"), BinaryTensors.of(body, jsonLength));
        Map<String, Boolean> wanted = requestedOutputs(req.get("outputs"), m, binaryOutputs(req.get("parameters")));
        String id = req.hasNonNull("id") ? req.get("id").asText() : "";
        // a client that goes away cancels the back-end call (and so its queued work there)
        Context.CancellableContext ctx = Context.current().withCancellation();
        http.response().closeHandler(v -> ctx.cancel(null));
        InferResult r;
        try {
            r = ctx.call(() -> runtime.pipeline()
                    .infer(
                            id.isEmpty() ? UUID.randomUUID().toString() : id,
                            inputs,
                            // only a strict subset is worth naming to the back-end
                            wanted.size() < m.outputs().size() ? wanted.keySet() : Set.of()));
        } catch (EdgeFailure | IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new EdgeFailure(500, e.toString(), e);
        } finally {
            ctx.cancel(null);
        }
        return response(m, id, r, wanted);
    }

    @POST
    @Path("/models/{name}/versions/{version}/infer")
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    @Blocking
    public Response inferVersion(
            @PathParam("name") String name,
            @PathParam("version") String version,
            byte[] body,
            @jakarta.ws.rs.core.Context HttpServerRequest http) {
        version(version);
        return infer(name, body, http);
    }

    /**
     * The response: JSON, or, when some output is asked for as binary data, the JSON header followed by those
     * outputs' raw bytes (in output order) with its length in {@value BinaryTensors#HEADER}.
     */
    private Response response(EdgeModel m, String id, InferResult r, Map<String, Boolean> wanted) {
        ObjectNode out = json.createObjectNode();
        out.put("model_name", m.name());
        out.put("model_version", VERSION);
        if (!id.isEmpty()) {
            out.put("id", id);
        }
        ObjectNode params = out.putObject("parameters");
        params.put("slicer_split", r.split());
        params.put("slicer_plan", r.planHash());
        params.put("slicer_row", r.row());
        InferResult.Timings cost = r.timings();
        params.put("slicer_batch_size", cost.batchSize());
        params.put("slicer_if_raw_bytes", cost.ifRawBytes());
        params.put("slicer_if_bytes", cost.ifSentBytes());
        ObjectNode tm = params.putObject("slicer_timings");
        tm.put("front", cost.front());
        tm.put("encode", cost.encode());
        tm.put("transfer", cost.transfer());
        tm.put("downlink", cost.downlink());
        tm.put("backend_queue", cost.backendQueue());
        tm.put("backend_decode", cost.backendDecode());
        tm.put("backend_compute", cost.backendCompute());
        if (r.fallback() != null) {
            params.put("slicer_fallback", r.fallback());
        }
        ArrayNode outputs = out.putArray("outputs");
        Map<String, HostTensor> ordered = new LinkedHashMap<>();
        for (EdgeModel.Port p : m.outputs()) {
            HostTensor t = r.outputs().get(p.name());
            if (t != null && wanted.containsKey(p.name())) {
                ordered.put(p.name(), t);
            }
        }
        java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
        for (Map.Entry<String, HostTensor> e : ordered.entrySet()) {
            HostTensor t = e.getValue();
            ObjectNode o = outputs.addObject();
            o.put("name", e.getKey());
            o.put("datatype", OipDatatypes.name(t.dataType()));
            ArrayNode shape = o.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            if (wanted.get(e.getKey())) {
                byte[] raw = BinaryTensors.encode(t);
                o.putObject("parameters").put("binary_data_size", raw.length);
                binary.writeBytes(raw);
                continue;
            }
            ArrayNode data = o.putArray("data");
            Object v = t.data();
            if (v instanceof float[] f) {
                for (float x : f) {
                    data.add(x);
                }
            } else if (v instanceof long[] l) {
                for (long x : l) {
                    data.add(x);
                }
            } else if (v instanceof int[] a) {
                for (int x : a) {
                    data.add(x);
                }
            } else {
                for (byte x : (byte[]) v) {
                    if (t.dataType() == dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType.BOOL_VALUE) {
                        data.add(x != 0);
                    } else {
                        data.add(
                                t.dataType() == dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType.INT8_VALUE
                                        ? x
                                        : x & 0xFF);
                    }
                }
            }
        }
        if (binary.size() == 0) {
            return Response.ok(out, MediaType.APPLICATION_JSON).build();
        }
        byte[] header;
        try {
            header = json.writeValueAsBytes(out);
        } catch (JsonProcessingException e) {
            throw new EdgeFailure(500, "cannot write the response: " + e.getOriginalMessage(), e);
        }
        byte[] body = java.util.Arrays.copyOf(header, header.length + binary.size());
        System.arraycopy(binary.toByteArray(), 0, body, header.length, binary.size());
        return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM)
                .header(BinaryTensors.HEADER, header.length)
                .build();
    }

    /** The request-level default for binary outputs ({@code parameters.binary_data_output}). */
    private static boolean binaryOutputs(JsonNode parameters) {
        JsonNode v = parameters == null ? null : parameters.get("binary_data_output");
        if (v != null && !v.isBoolean()) {
            throw EdgeFailure.badInput("parameters.binary_data_output must be a boolean");
        }
        return v != null && v.asBoolean();
    }

    /** Output name -> whether it goes as binary data; every output when the request names none. */
    private static Map<String, Boolean> requestedOutputs(JsonNode outputs, EdgeModel m, boolean binaryDefault) {
        Map<String, Boolean> wanted = new LinkedHashMap<>();
        if (outputs == null || outputs.isNull()) {
            m.outputs().forEach(p -> wanted.put(p.name(), binaryDefault));
            return wanted;
        }
        if (!outputs.isArray()) {
            throw EdgeFailure.badInput("'outputs' must be an array");
        }
        Set<String> known = new HashSet<>();
        m.outputs().forEach(p -> known.add(p.name()));
        for (JsonNode o : outputs) {
            String n = OipInputs.text(o, "name");
            if (!known.contains(n)) {
                throw EdgeFailure.badInput("model " + m.name() + " has no output '" + n + "'");
            }
            JsonNode v = o.path("parameters").get("binary_data");
            if (v != null && !v.isBoolean()) {
                throw EdgeFailure.badInput("output '" + n + "' parameters.binary_data must be a boolean");
            }
            wanted.put(n, v == null ? binaryDefault : v.asBoolean());
        }
        return wanted;
    }

    private EdgeModel model(String name) {
        if (!runtime.ready()) {
            throw new EdgeFailure(503, "the edge is loading its model");
        }
        EdgeModel m = runtime.pipeline().model();
        if (!m.name().equals(name)) {
            throw new EdgeFailure(404, "unknown model '" + name + "'; this edge serves '" + m.name() + "'");
        }
        return m;
    }

    private static void version(String v) {
        if (!VERSION.equals(v)) {
            throw new EdgeFailure(404, "unknown model version '" + v + "'; this edge serves version " + VERSION);
        }
    }

    private static void port(ObjectNode o, EdgeModel.Port p) {
        o.put("name", p.name());
        o.put("datatype", OipDatatypes.name(p.dataType()));
        ArrayNode shape = o.putArray("shape");
        for (long d : p.shape()) {
            shape.add(d);
        }
    }
}
