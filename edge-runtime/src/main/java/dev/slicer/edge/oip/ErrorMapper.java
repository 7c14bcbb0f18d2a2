package dev.slicer.edge.oip;

import dev.slicer.edge.infer.EdgeFailure;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure as the Open Inference Protocol's error object {@code {"error": "..."}}. */
public class ErrorMapper {
    @ServerExceptionMapper
    public Response edgeFailure(EdgeFailure e) {
        return error(e.status(), e.getMessage());
    }

    public static Response error(int status, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", message == null ? "error" : message))
                .build();
    }
}
