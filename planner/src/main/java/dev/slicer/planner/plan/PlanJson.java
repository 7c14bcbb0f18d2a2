package dev.slicer.planner.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.slicer.planner.InvalidPlanInputException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * JSON for plans and profiles. Canonical form: properties sorted alphabetically, map entries sorted by key, no
 * whitespace, doubles as Java's shortest round-trip representation; the plan hash is SHA-256 of that form.
 */
public final class PlanJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private PlanJson() {}

    /** The shared mapper (canonical settings). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(Object value, boolean pretty) {
        try {
            return pretty
                    ? MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value)
                    : MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** Reads a plan and checks its hash. */
    public static Plan readPlan(String json) {
        Plan plan = read(json, Plan.class);
        InvalidPlanInputException.require(plan.hashValid(), "plan hash does not match its content");
        return plan;
    }

    /** Reads any planner document; malformed or invalid content gives {@link InvalidPlanInputException}. */
    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvalidPlanInputException invalid) {
                throw invalid;
            }
            throw new InvalidPlanInputException("invalid " + type.getSimpleName() + " JSON: " + e.getOriginalMessage());
        }
    }

    /** SHA-256 (lower-case hex) of the canonical JSON of a value. */
    public static String sha256(Object value) {
        try {
            byte[] canonical = MAPPER.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash " + value.getClass().getSimpleName(), e);
        }
    }
}
