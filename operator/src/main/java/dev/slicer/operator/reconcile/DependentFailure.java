package dev.slicer.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A child object the API server refused to apply, as the status and Events report it: which dependent, the HTTP code
 * (0 when no answer came) and the server's message, e.g. {@code edge: 422 DaemonSet.apps "x-edge" is invalid:
 * spec.selector: ... field is immutable}.
 */
public record DependentFailure(String dependent, int code, String message) {

    /** Longest message kept per failure (the condition message and Event stay small). */
    static final int MAX_MESSAGE = 512;

    public static DependentFailure of(String dependent, Throwable error) {
        KubernetesClientException k = find(error);
        String message;
        int code = 0;
        if (k != null) {
            code = k.getCode();
            message = k.getStatus() != null && k.getStatus().getMessage() != null
                    ? k.getStatus().getMessage()
                    : k.getMessage();
        } else {
            message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        }
        return new DependentFailure(
                dependent, code, message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message);
    }

    /** The failures of one workflow run in a stable order (by dependent name). */
    public static List<DependentFailure> of(Map<String, ? extends Throwable> errors) {
        List<DependentFailure> out = new ArrayList<>();
        errors.forEach((name, e) -> out.add(of(name, e)));
        out.sort(Comparator.comparing(DependentFailure::dependent));
        return List.copyOf(out);
    }

    /** One line for a condition or Event message. */
    public String describe() {
        return dependent + ": " + (code == 0 ? "" : code + " ") + message;
    }

    private static KubernetesClientException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k) {
                return k;
            }
        }
        return null;
    }
}
