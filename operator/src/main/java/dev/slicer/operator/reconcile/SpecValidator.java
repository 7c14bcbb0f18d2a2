package dev.slicer.operator.reconcile;

import dev.slicer.crds.v1alpha1.Durations;
import dev.slicer.crds.v1alpha1.SplitInferenceSpec;
import dev.slicer.crds.v1alpha1.spec.BackendSpec;
import dev.slicer.crds.v1alpha1.spec.DeviceClassSpec;
import dev.slicer.crds.v1alpha1.spec.EdgeDaemonSetSpec;
import dev.slicer.crds.v1alpha1.spec.ModelSpec;
import dev.slicer.operator.dependent.PodTemplateOverride;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Optional;

/**
 * Checks a spec beyond what the schema guarantees (or for API servers that did not enforce it). Each rule returns
 * the problem or empty, so an admission webhook can reuse them.
 */
public interface SpecValidator {

    Optional<String> validate(SplitInferenceSpec spec);

    /** The operator's rules, first failure wins. */
    static SpecValidator standard() {
        List<SpecValidator> rules = List.of(
                SpecValidator::required,
                SpecValidator::durations,
                SpecValidator::replicas,
                SpecValidator::memory,
                SpecValidator::sequence,
                SpecValidator::podTemplates);
        return spec -> rules.stream()
                .map(r -> r.validate(spec))
                .flatMap(Optional::stream)
                .findFirst();
    }

    static Optional<String> required(SplitInferenceSpec spec) {
        if (spec == null
                || spec.getModel() == null
                || spec.getEdges() == null
                || spec.getBackend() == null
                || spec.getSlo() == null) {
            return Optional.of("spec needs model, edges, backend and slo");
        }
        if (spec.getEdges().getDeviceClasses() == null
                || spec.getEdges().getDeviceClasses().isEmpty()) {
            return Optional.of("spec.edges.deviceClasses needs at least one device class");
        }
        return Optional.empty();
    }

    static Optional<String> durations(SplitInferenceSpec spec) {
        try {
            if (Durations.parse(spec.getSlo().getLatency()).isZero()) {
                return Optional.of("spec.slo.latency must be positive");
            }
            if (spec.getPolicy() != null && spec.getPolicy().getReplanInterval() != null) {
                Durations.parse(spec.getPolicy().getReplanInterval());
            }
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    static Optional<String> replicas(SplitInferenceSpec spec) {
        BackendSpec b = spec.getBackend();
        if (b.getMinReplicas() > b.getMaxReplicas()) {
            return Optional.of("spec.backend.minReplicas (" + b.getMinReplicas() + ") exceeds maxReplicas ("
                    + b.getMaxReplicas() + ")");
        }
        if (b.getExecutionProvider() == BackendSpec.ExecutionProvider.CUDA && b.getGpus() < 1) {
            return Optional.of("spec.backend.executionProvider CUDA needs gpus >= 1");
        }
        return Optional.empty();
    }

    static Optional<String> memory(SplitInferenceSpec spec) {
        boolean ar = spec.getModel().getMode() == ModelSpec.Mode.AUTOREGRESSIVE;
        for (DeviceClassSpec dc : spec.getEdges().getDeviceClasses()) {
            try {
                long m = Quantity.getAmountInBytes(new Quantity(dc.getMemoryBudget()))
                        .longValueExact();
                if (ar) {
                    if (dc.getArBuffer() == null) {
                        return Optional.of("device class " + dc.getName() + " needs arBuffer in AUTOREGRESSIVE mode");
                    }
                    long mar = Quantity.getAmountInBytes(new Quantity(dc.getArBuffer()))
                            .longValueExact();
                    if (mar >= m) {
                        return Optional.of("device class " + dc.getName() + ": arBuffer must be below memoryBudget");
                    }
                }
            } catch (IllegalArgumentException | ArithmeticException e) {
                return Optional.of(
                        "device class " + dc.getName() + " has an invalid memory quantity: " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** AUTOREGRESSIVE: positive token counts within the planner's modelled sequence length. */
    static Optional<String> sequence(SplitInferenceSpec spec) {
        ModelSpec model = spec.getModel();
        if (model.getMode() != ModelSpec.Mode.AUTOREGRESSIVE) {
            return Optional.empty();
        }
        int tokens = model.maxNewTokensOrDefault();
        int prompt = model.promptTokensOrDefault();
        if (tokens < 1 || prompt < 1) {
            return Optional.of("spec.model.maxNewTokens and promptTokens must be >= 1");
        }
        if ((long) tokens + prompt > ModelSpec.MAX_SEQUENCE_TOKENS) {
            return Optional.of("spec.model.promptTokens + maxNewTokens must not exceed " + ModelSpec.MAX_SEQUENCE_TOKENS
                    + " positions");
        }
        return Optional.empty();
    }

    /** The unsupported pod-template overrides must be pod templates Kubernetes understands. */
    static Optional<String> podTemplates(SplitInferenceSpec spec) {
        Optional<String> backend = Optional.ofNullable(spec.getBackend().getPod())
                .flatMap(p -> PodTemplateOverride.problem(p.getTemplate(), "spec.backend.pod.template"));
        if (backend.isPresent()) {
            return backend;
        }
        return Optional.ofNullable(spec.getEdges().getDaemonSet())
                .map(EdgeDaemonSetSpec::getPod)
                .flatMap(p -> PodTemplateOverride.problem(p.getTemplate(), "spec.edges.daemonSet.pod.template"));
    }
}
