package dev.slicer.edge.link;

import dev.slicer.edge.EdgeRuntime;
import dev.slicer.edge.oip.ErrorMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * {@code /slicer/link}: reads and sets the emulated uplink rate ({@link LinkThrottle}). Answers 404 unless
 * {@code slicer.edge.link-emulation=true}, so a production edge never exposes it.
 */
@Path("/slicer/link")
@Produces(MediaType.APPLICATION_JSON)
public class LinkResource {
    private final EdgeRuntime runtime;

    public LinkResource(EdgeRuntime runtime) {
        this.runtime = runtime;
    }

    /** The body of PUT: bytes per second, 0 for unlimited. */
    public record Rate(long bytesPerSecond) {}

    @GET
    public Response get() {
        LinkThrottle t = runtime.linkThrottle();
        return t == null ? disabled() : Response.ok(new Rate(t.rate())).build();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(Rate rate) {
        LinkThrottle t = runtime.linkThrottle();
        if (t == null) {
            return disabled();
        }
        if (rate == null) {
            return ErrorMapper.error(400, "expected {\"bytesPerSecond\": N}");
        }
        try {
            t.setRate(rate.bytesPerSecond());
        } catch (IllegalArgumentException e) {
            return ErrorMapper.error(400, e.getMessage());
        }
        return Response.ok(new Rate(t.rate())).build();
    }

    private static Response disabled() {
        return Response.status(404)
                .entity(Map.of("error", "link emulation is off (slicer.edge.link-emulation=true turns it on)"))
                .build();
    }
}
