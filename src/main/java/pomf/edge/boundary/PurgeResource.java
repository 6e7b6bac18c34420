package pomf.edge.boundary;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.edge.control.EdgeCache;

/**
 * Purge: the origin removes a deleted file from every edge at once. Authenticated by a shared token
 * ({@code POMF_EDGE_PURGE_TOKEN}); without one configured, purging is off.
 */
@Path("edge/purge/{name}")
public class PurgeResource {
    private static final Logger LOG = Logger.getLogger(PurgeResource.class.getName());

    @Inject
    EdgeCache cache;

    @Inject
    @ConfigProperty(name = "pomf.edge.purge-token")
    Optional<String> token;

    @DELETE
    @Produces(MediaType.APPLICATION_JSON)
    public Response purge(@PathParam("name") String name, @HeaderParam("Authorization") String authorization) {
        if (!cache.enabled()) {
            return problem(404, "This instance is not an edge.");
        }
        if (token.isEmpty() || authorization == null || !constantTimeEquals(authorization, "Bearer " + token.get())) {
            return problem(401, "A valid purge token is required.");
        }
        boolean removed = cache.purge(name);
        LOG.info(() -> "purged " + name + (removed ? "" : " (was not cached)"));
        return Response.ok("{\"purged\":" + removed + "}").build();
    }

    private static Response problem(int status, String detail) {
        return Response.status(status)
                .type("application/problem+json")
                .entity("{\"status\":" + status + ",\"title\":\"" + detail + "\"}")
                .build();
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
