package pomf.edge.boundary;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.logging.Logger;
import pomf.edge.control.EdgeCache;
import pomf.http.control.EdgeLink;

/**
 * Purge: the origin removes a deleted file from every edge at once; with {@code ?taken-down=true} (its content was
 * banned) the edge also answers the name 451 from then on without asking the origin, until a plain purge. Authenticated by the edges' shared token
 * ({@code POMF_EDGE_PURGE_TOKEN}, read once, in {@link pomf.edge.control.EdgeSettings}); without one, purging is off.
 */
@Path("edge/purge/{name}")
public class PurgeResource {
    private static final Logger LOG = Logger.getLogger(PurgeResource.class.getName());

    @Inject
    EdgeCache cache;

    @Inject
    EdgeLink link;

    @DELETE
    @Produces(MediaType.APPLICATION_JSON)
    public Response purge(
            @PathParam("name") String name,
            @HeaderParam("Authorization") String authorization,
            @QueryParam("taken-down") boolean takenDown) {
        if (!cache.enabled()) {
            return problem(404, "This instance is not an edge.");
        }
        if (!link.authorizes(authorization)) {
            return problem(401, "A valid purge token is required.");
        }
        boolean removed = takenDown ? cache.takeDown(name) : cache.purge(name);
        LOG.info(() -> (takenDown ? "taken down (451 from now on): " : "purged ")
                + name
                + (removed ? "" : " (was not cached)"));
        return Response.ok(Json.createObjectBuilder().add("purged", removed).build())
                .build();
    }

    private static Response problem(int status, String detail) {
        return Response.status(status)
                .type("application/problem+json")
                .entity(Json.createObjectBuilder()
                        .add("status", status)
                        .add("title", detail)
                        .build())
                .build();
    }
}
