package dev.slicer.edge.openai;

/** A request the OpenAI-compatible API refuses: HTTP status and the OpenAI error type. */
final class OpenAiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String type;

    OpenAiError(int status, String type, String message) {
        super(message);
        this.status = status;
        this.type = type;
    }

    static OpenAiError invalid(String message) {
        return new OpenAiError(400, "invalid_request_error", message);
    }
}
