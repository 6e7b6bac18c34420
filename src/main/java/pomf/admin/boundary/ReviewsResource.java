package pomf.admin.boundary;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.LocalDateTime;
import pomf.access.boundary.AdminOnly;
import pomf.access.boundary.AuditLog;
import pomf.access.entity.Actor;
import pomf.problem.entity.ProblemException;
import pomf.review.boundary.ReviewQueue;

/**
 * The review queue as JSON: {@code GET /api/v1/reviews?open=true&limit=100} (newest first), and {@code POST
 * /api/v1/reviews/{id}} with {@code {"resolution": "..."}} to mark an item reviewed (audited).
 */
@Path("reviews")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
public class ReviewsResource {
    @Inject
    ReviewQueue queue;

    @Inject
    AuditLog audit;

    @Inject
    Actors actors;

    @Context
    SecurityContext security;

    @Context
    HttpServletRequest request;

    @GET
    public JsonObject items(@QueryParam("open") Boolean open, @QueryParam("limit") Integer limit) {
        JsonArrayBuilder items = Json.createArrayBuilder();
        for (ReviewQueue.Item item : queue.items(open == null || open, limit == null ? 100 : limit)) {
            JsonObjectBuilder json = Json.createObjectBuilder()
                    .add("id", item.id())
                    .add("name", item.storedName())
                    .add("sha256", item.sha256())
                    .add("source", item.source())
                    .add("reason", item.reason())
                    .add("createdAt", item.createdAt().toString());
            add(json, "resolvedAt", item.resolvedAt());
            json.add("resolvedBy", item.resolvedBy() == null ? "" : item.resolvedBy());
            json.add("resolution", item.resolution() == null ? "" : item.resolution());
            items.add(json);
        }
        return Json.createObjectBuilder()
                .add("open", queue.openCount())
                .add("items", items)
                .build();
    }

    @POST
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject resolve(@PathParam("id") String id, String body) {
        long number;
        try {
            number = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("id: an item's number");
        }
        JsonObject json = JsonBodies.object(body, true);
        String resolution = JsonBodies.string(json, "resolution", 200, "").trim();
        if (resolution.isEmpty()) {
            throw ProblemException.badRequest("resolution: what was decided (at most 200 characters)");
        }
        Actor actor = actors.of(security, request);
        if (!queue.resolve(number, actor.name(), resolution)) {
            throw ProblemException.notFound("no open review item " + number);
        }
        audit.record(actor, "review.resolve", id, resolution);
        return Json.createObjectBuilder().add("resolved", number).build();
    }

    private static void add(JsonObjectBuilder json, String key, LocalDateTime time) {
        if (time == null) {
            json.addNull(key);
        } else {
            json.add(key, time.toString());
        }
    }
}
