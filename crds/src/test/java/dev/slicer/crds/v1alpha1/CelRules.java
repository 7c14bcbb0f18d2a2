package dev.slicer.crds.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates the CRD's {@code x-kubernetes-validations} rules with CEL for Java the way the API server does:
 * every rule against every value at its schema location, with {@code self} bound to that value (typed by the
 * schema: integers as int, numbers as double) and, for transition rules on an update, {@code oldSelf} bound to
 * the previous value at the same path.
 */
final class CelRules {

    /** One evaluation of a rule at a concrete path; {@code error} is set when the rule could not be evaluated. */
    record Outcome(CrdSchema.Rule rule, String path, boolean passed, String error) {
        boolean failed() {
            return !passed;
        }
    }

    private final CrdSchema schema;
    private final Cel cel = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .build();
    private final Map<String, CelAbstractSyntaxTree> compiled = new HashMap<>();

    CelRules(CrdSchema schema) {
        this.schema = schema;
    }

    /** Compiles a rule (parse and check); throws when the expression is not valid CEL. */
    CelAbstractSyntaxTree compile(String rule) {
        return compiled.computeIfAbsent(rule, r -> {
            try {
                return cel.compile(r).getAst();
            } catch (CelValidationException e) {
                throw new IllegalArgumentException("rule does not compile: " + r + ": " + e.getMessage(), e);
            }
        });
    }

    /** Evaluates every rule on {@code object} (a create), defaults applied. */
    List<Outcome> evaluate(JsonNode object) {
        return evaluate(object, null);
    }

    /** Evaluates every rule on {@code object}; with {@code old}, transition rules too (an update). */
    List<Outcome> evaluate(JsonNode object, JsonNode old) {
        List<Outcome> outcomes = new ArrayList<>();
        for (CrdSchema.Rule rule : schema.rules()) {
            List<Located> values = new ArrayList<>();
            locate(schema.openApi(), object, rule.schemaPointer().split("/"), 1, "", values);
            for (Located value : values) {
                Map<String, Object> vars = new HashMap<>();
                vars.put("self", value.celValue());
                if (rule.isTransition()) {
                    if (old == null || value.path().contains("[")) {
                        continue; // create, or a value inside an atomic list: no oldSelf, rule not evaluated
                    }
                    JsonNode previous = old.at(value.path());
                    if (previous.isMissingNode()) {
                        continue;
                    }
                    vars.put("oldSelf", toCel(value.schema(), previous));
                }
                outcomes.add(run(rule, value.path(), vars));
            }
        }
        return outcomes;
    }

    private Outcome run(CrdSchema.Rule rule, String path, Map<String, Object> vars) {
        try {
            Object result = cel.createProgram(compile(rule.rule())).eval(vars);
            if (!(result instanceof Boolean b)) {
                return new Outcome(rule, path, false, "rule returned " + result + " instead of a bool");
            }
            return new Outcome(rule, path, b, null);
        } catch (CelEvaluationException e) {
            return new Outcome(rule, path, false, e.getMessage());
        }
    }

    private record Located(String path, JsonNode schema, Object celValue) {}

    private static void locate(
            JsonNode schemaNode, JsonNode value, String[] pointer, int index, String path, List<Located> out) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return;
        }
        if (index >= pointer.length) {
            out.add(new Located(path, schemaNode, toCel(schemaNode, value)));
            return;
        }
        String segment = pointer[index];
        switch (segment) {
            case "properties" -> {
                String name = pointer[index + 1];
                locate(
                        schemaNode.path("properties").path(name),
                        value.get(name),
                        pointer,
                        index + 2,
                        path + "/" + name,
                        out);
            }
            case "items" -> {
                for (int i = 0; i < value.size(); i++) {
                    locate(schemaNode.path("items"), value.get(i), pointer, index + 1, path + "[" + i + "]", out);
                }
            }
            case "additionalProperties" ->
                value.fields()
                        .forEachRemaining(e -> locate(
                                schemaNode.path("additionalProperties"),
                                e.getValue(),
                                pointer,
                                index + 1,
                                path + "[" + e.getKey() + "]",
                                out));
            default -> throw new IllegalArgumentException("unexpected schema pointer segment " + segment);
        }
    }

    /** Converts JSON to CEL values as the API server types them from the schema. */
    static Object toCel(JsonNode schema, JsonNode value) {
        if (value.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            value.fields().forEachRemaining(e -> {
                JsonNode fieldSchema = schema.path("properties").has(e.getKey())
                        ? schema.path("properties").get(e.getKey())
                        : schema.path("additionalProperties");
                map.put(e.getKey(), toCel(fieldSchema, e.getValue()));
            });
            return map;
        }
        if (value.isArray()) {
            List<Object> list = new ArrayList<>();
            value.forEach(item -> list.add(toCel(schema.path("items"), item)));
            return list;
        }
        if (value.isNumber()) {
            return "number".equals(schema.path("type").asText()) ? (Object) value.asDouble() : (Object) value.asLong();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        return value.asText();
    }
}
