package dev.slicer.edge.infer;

/**
 * A request the edge cannot answer, with the HTTP status the inference API gives it: 400 bad input, 404 unknown
 * model, 429 back-end overloaded, 503 back-end unavailable (the message names the cause), 500 otherwise.
 */
public final class EdgeFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public EdgeFailure(int status, String message) {
        super(message);
        this.status = status;
    }

    public EdgeFailure(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public static EdgeFailure badInput(String message) {
        return new EdgeFailure(400, message);
    }

    public int status() {
        return status;
    }
}
