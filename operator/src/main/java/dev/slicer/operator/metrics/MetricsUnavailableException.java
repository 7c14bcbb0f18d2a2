package dev.slicer.operator.metrics;

/** Prometheus could not answer a query: unreachable, timed out, or returned an error. */
public class MetricsUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public MetricsUnavailableException(String message) {
        super(message);
    }

    public MetricsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
