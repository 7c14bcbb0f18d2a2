package dev.slicer.planner.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.slicer.planner.InvalidPlanInputException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A plan: per device class the budgets it was made for and its rate-indexed table, plus a content hash. Plans are
 * deterministic (no clocks, no randomness): the same profile and device classes give the same plan and hash.
 *
 * @param format format tag, {@value #FORMAT}
 * @param model the model planned for
 * @param candidates number of split candidates (the local-only split index)
 * @param candidateNames names of the candidates by index
 * @param fidelitySource {@code measured} (distortion table) or {@code prior} (see {@code FidelityPrior})
 * @param assumptions human-readable assumptions behind the predictions
 * @param tables one table per device class
 * @param sha256 SHA-256 (hex) of the canonical JSON of this plan with {@code sha256} null
 */
public record Plan(
        String format,
        String model,
        int candidates,
        List<String> candidateNames,
        String fidelitySource,
        List<String> assumptions,
        List<DeviceClassTable> tables,
        String sha256) {

    public static final String FORMAT = "slicer-plan/v1";

    public Plan {
        InvalidPlanInputException.require(tables != null && !tables.isEmpty(), "plan without tables");
        tables = List.copyOf(tables);
        candidateNames = candidateNames == null ? List.of() : List.copyOf(candidateNames);
        assumptions = assumptions == null ? List.of() : List.copyOf(assumptions);
        Set<String> names = new HashSet<>();
        for (DeviceClassTable t : tables) {
            InvalidPlanInputException.require(
                    names.add(t.deviceClass().name()),
                    "duplicate device class " + t.deviceClass().name());
        }
    }

    /** The same plan with its content hash filled in. */
    public Plan sealed() {
        Plan body = withSha256(null);
        return body.withSha256(PlanJson.sha256(body));
    }

    /**
     * The same plan naming {@code uri} as its model, resealed: the serving fleet compares this field with the model
     * URI it loaded, which can differ from the name the profile was made under.
     */
    public Plan forModel(String uri) {
        return new Plan(format, uri, candidates, candidateNames, fidelitySource, assumptions, tables, null).sealed();
    }

    public Plan withSha256(String hash) {
        return new Plan(format, model, candidates, candidateNames, fidelitySource, assumptions, tables, hash);
    }

    /** Whether {@link #sha256()} matches the content. */
    @JsonIgnore
    public boolean hashValid() {
        return sha256 != null && sha256.equals(PlanJson.sha256(withSha256(null)));
    }

    public Optional<DeviceClassTable> table(String deviceClass) {
        return tables.stream()
                .filter(t -> t.deviceClass().name().equals(deviceClass))
                .findFirst();
    }

    /** The row for a device class and a measurement; empty only for an unknown device class. */
    public Optional<PlanRow> lookup(String deviceClass, double measured) {
        return table(deviceClass).map(t -> t.lookup(measured));
    }
}
