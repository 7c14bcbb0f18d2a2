package dev.slicer.operator.dependent;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The unsupported pod-template override ({@code pod.template}): a user's partial pod template merged over the one
 * the operator generates. Objects merge field by field, lists of named items (containers, volumes, env, ports,
 * volume mounts) merge by name as a strategic merge patch would, other values replace, and {@code null} removes
 * the field. The generated labels always win, so the workload's selector keeps matching its pods.
 *
 * <p>{@link #problem} is the one check of an override, used by the spec validation before anything is applied: it
 * must be a pod template, every field must be one Kubernetes knows (the API server would drop an unknown one
 * silently and the operator would re-apply it on every reconcile), and every value must have the field's type.
 */
public final class PodTemplateOverride {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    /**
     * A plain mapper for the check: the client's own maps a value of the wrong type into the object's
     * additional properties instead of failing, so a mistyped field would pass and be sent.
     */
    private static final ObjectMapper STRICT = new ObjectMapper();

    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

    private PodTemplateOverride() {}

    /** The generated template with the override merged over it; {@code override} null leaves it as it is. */
    public static PodTemplateSpec apply(PodTemplateSpec generated, JsonNode override) {
        if (override == null || override.isNull()) {
            return generated;
        }
        JsonNode merged = merge(SERIALIZATION.convertValue(generated, JsonNode.class), override);
        PodTemplateSpec result = SERIALIZATION.convertValue(merged, PodTemplateSpec.class);
        Map<String, String> labels = new LinkedHashMap<>();
        if (result.getMetadata() != null && result.getMetadata().getLabels() != null) {
            labels.putAll(result.getMetadata().getLabels());
        }
        labels.putAll(generated.getMetadata().getLabels());
        result.getMetadata().setLabels(labels);
        return result;
    }

    /** Why {@code override} (at {@code path} in the spec) is not a usable pod template, or empty if it is. */
    public static Optional<String> problem(JsonNode override, String path) {
        if (override == null || override.isNull()) {
            return Optional.empty();
        }
        if (!override.isObject()) {
            return Optional.of(path + " must be an object (a pod template: metadata and spec)");
        }
        List<String> unknown = new ArrayList<>();
        unknownFields(override, STRICT.constructType(PodTemplateSpec.class), path, unknown);
        if (!unknown.isEmpty()) {
            return Optional.of(path + " has fields a pod template does not have: " + String.join(", ", unknown));
        }
        try {
            STRICT.treeToValue(override, PodTemplateSpec.class);
            return Optional.empty();
        } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
            return Optional.of(path + " is not a pod template: " + firstLine(e.getMessage()));
        }
    }

    static JsonNode merge(JsonNode base, JsonNode over) {
        if (base instanceof ObjectNode b && over instanceof ObjectNode o) {
            ObjectNode result = b.deepCopy();
            o.fields().forEachRemaining(f -> {
                if (f.getValue().isNull()) {
                    result.remove(f.getKey());
                } else {
                    result.set(f.getKey(), merge(result.get(f.getKey()), f.getValue()));
                }
            });
            return result;
        }
        if (base instanceof ArrayNode b && over instanceof ArrayNode o && named(b) && named(o)) {
            ArrayNode result = b.deepCopy();
            for (JsonNode item : o) {
                int at = indexOf(result, item.get("name").asText());
                if (at < 0) {
                    result.add(item.deepCopy());
                } else {
                    result.set(at, merge(result.get(at), item));
                }
            }
            return result;
        }
        return over.deepCopy();
    }

    private static boolean named(ArrayNode list) {
        for (JsonNode item : list) {
            if (!item.isObject() || !item.path("name").isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(ArrayNode list, String name) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).get("name").asText().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Fields of {@code node} that the Kubernetes model type {@code type} does not declare, by path. */
    private static void unknownFields(JsonNode node, JavaType type, String path, List<String> out) {
        if (type.isCollectionLikeType() || type.isArrayType()) {
            for (int i = 0; node.isArray() && i < node.size(); i++) {
                unknownFields(node.get(i), type.getContentType(), path + "[" + i + "]", out);
            }
            return;
        }
        Class<?> raw = type.getRawClass();
        if (!node.isObject()
                || type.isMapLikeType()
                || !raw.getName().startsWith(MODEL_PACKAGE)
                || raw == Quantity.class
                || raw == IntOrString.class) {
            return; // values, maps of data (labels, annotations), and types with their own (de)serializers
        }
        BeanDescription bean = STRICT.getDeserializationConfig().introspect(type);
        Map<String, JavaType> fields = new LinkedHashMap<>();
        for (BeanPropertyDefinition p : bean.findProperties()) {
            if (p.hasSetter() || p.hasField() || p.hasConstructorParameter()) {
                fields.put(p.getName(), p.getPrimaryType());
            }
        }
        node.fields().forEachRemaining(f -> {
            JavaType fieldType = fields.get(f.getKey());
            if (fieldType == null) {
                out.add(path + "." + f.getKey());
            } else {
                unknownFields(f.getValue(), fieldType, path + "." + f.getKey(), out);
            }
        });
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
