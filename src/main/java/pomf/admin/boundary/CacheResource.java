package pomf.admin.boundary;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Map;
import pomf.access.boundary.AdminOnly;
import pomf.access.boundary.AuditLog;
import pomf.admin.control.EdgeScrape;
import pomf.names.control.StoredNames;
import pomf.problem.entity.ProblemException;
import pomf.registry.control.EdgePurger;

/**
 * The cache page's JSON twin: each configured edge's live figures (from its {@code /metrics}) with the last hour's
 * recorded traffic, and a purge of one file on every edge now, answered per edge.
 */
@Path("cache")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
public class CacheResource {

    @Inject
    EdgePurger purger;

    @Inject
    EdgeScrape scrape;

    @Inject
    EdgeTraffic traffic;

    @Inject
    AuditLog audit;

    @Inject
    Actors actors;

    @Context
    SecurityContext security;

    @Context
    HttpServletRequest request;

    @GET
    public JsonObject edges() {
        JsonArrayBuilder edges = Json.createArrayBuilder();
        scrape.read(purger.edges()).forEach(e -> edges.add(e.toJson()));
        return Json.createObjectBuilder()
                .add("edges", edges)
                .add("lastHour", traffic.lastHour())
                .build();
    }

    @POST
    @Path("purge")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject purge(String body) {
        String name = JsonBodies.string(JsonBodies.object(body, true), "name", 40, "");
        if (!StoredNames.valid(name)) {
            throw ProblemException.badRequest("name: a stored name is 1 to 40 of A-Z a-z 0-9 . _ -");
        }
        Map<String, String> outcomes = purger.purgeNow(name);
        audit.record(actors.of(security, request), "cache.purge", name, outcomes.toString());
        JsonArrayBuilder edges = Json.createArrayBuilder();
        outcomes.forEach((edge, result) ->
                edges.add(Json.createObjectBuilder().add("edge", edge).add("result", result)));
        return Json.createObjectBuilder().add("name", name).add("edges", edges).build();
    }
}
