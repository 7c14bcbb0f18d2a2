package dev.slicer.e2e.controlplane;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One write request as the API server's audit log recorded it (Metadata level, stage ResponseComplete).
 *
 * @param verb create, update, patch, delete or deletecollection
 * @param user the authenticated user, e.g. {@code system:serviceaccount:NS:NAME}
 * @param apiGroup the resource's API group ("" for the core group)
 * @param resource plural resource name, e.g. {@code deployments}
 * @param subresource e.g. {@code status}, or ""
 * @param namespace "" for cluster-scoped resources
 * @param name the object's name ("" for a create whose name the server generated)
 * @param code the HTTP status code of the answer
 * @param userAgent the client's User-Agent
 */
public record AuditEvent(
        String verb,
        String user,
        String apiGroup,
        String resource,
        String subresource,
        String namespace,
        String name,
        int code,
        String userAgent) {

    /** A write that changed (or would have changed) state: 2xx answer. */
    public boolean succeeded() {
        return code >= 200 && code < 300;
    }

    public boolean byServiceAccount(String namespace, String name) {
        return user.equals("system:serviceaccount:" + namespace + ":" + name);
    }

    static AuditEvent of(JsonNode e) {
        JsonNode ref = e.path("objectRef");
        return new AuditEvent(
                e.path("verb").asText(),
                e.path("user").path("username").asText(),
                ref.path("apiGroup").asText(),
                ref.path("resource").asText(),
                ref.path("subresource").asText(),
                ref.path("namespace").asText(),
                ref.path("name").asText(),
                e.path("responseStatus").path("code").asInt(),
                e.path("userAgent").asText());
    }
}
