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
import java.time.Duration;
import java.time.LocalDateTime;
import pomf.access.boundary.AdminOnly;
import pomf.access.boundary.AuditLog;
import pomf.access.entity.Actor;
import pomf.problem.entity.ProblemException;
import pomf.review.boundary.ReviewQueue;
import pomf.review.entity.ReviewItem;
import pomf.review.entity.ReviewOrder;
import pomf.upload.control.Expiry;
import pomf.upload.entity.UploadRejectedException;

/**
 * The review queue as JSON: {@code GET /api/v1/reviews?open=true&sort=newest|most&category=...&limit=100}; {@code POST
 * /api/v1/reviews/{id}} with {@code {"resolution": "..."}} marks an item reviewed; {@code POST
 * /api/v1/reviews/{id}/take-down} with {@code {"reason": "...", "delete": true, "block": "7d"}} bans the content
 * everywhere, deletes its uploads (unless {@code "delete": false}), blocks its uploaders' ranges for that long when
 * {@code block} is given, and closes every open item of it. All audited.
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
    ReviewActions actions;

    @Inject
    Actors actors;

    @Context
    SecurityContext security;

    @Context
    HttpServletRequest request;

    @GET
    public JsonObject items(
            @QueryParam("open") Boolean open,
            @QueryParam("sort") String sort,
            @QueryParam("category") String category,
            @QueryParam("limit") Integer limit) {
        ReviewOrder order =
                ReviewOrder.named(sort).orElseThrow(() -> ProblemException.badRequest("sort: newest or most"));
        if (category != null && !category.equals("hash_list") && !ReviewQueue.CATEGORIES.contains(category)) {
            throw ProblemException.badRequest("category: hash_list or one of " + ReviewQueue.CATEGORIES);
        }
        JsonArrayBuilder items = Json.createArrayBuilder();
        for (ReviewItem item : queue.items(open == null || open, order, category, limit == null ? 100 : limit)) {
            JsonObjectBuilder json = Json.createObjectBuilder()
                    .add("id", item.id())
                    .add("name", item.storedName())
                    .add("sha256", item.sha256())
                    .add("source", item.source())
                    .add("category", item.category())
                    .add("reports", item.reports())
                    .add("contact", item.contact() == null ? "" : item.contact())
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
        long number = number(id);
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

    @POST
    @Path("{id}/take-down")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject takeDown(@PathParam("id") String id, String body) {
        long number = number(id);
        JsonObject json = JsonBodies.object(body, true);
        String reason = JsonBodies.string(json, "reason", 500, "").trim();
        if (reason.isEmpty()) {
            throw ProblemException.badRequest("reason: say why (at most 500 characters)");
        }
        boolean delete = JsonBodies.bool(json, "delete", true);
        String block = JsonBodies.string(json, "block", 20, "").trim();
        Duration blockFor = null;
        if (!block.isEmpty()) {
            try {
                blockFor = Expiry.parse(block)
                        .orElseThrow(() -> ProblemException.badRequest("block: a duration such as 7d"));
            } catch (UploadRejectedException e) {
                throw ProblemException.badRequest("block: a duration such as 12h or 7d");
            }
        }
        ReviewActions.TakenDown done = actions.takeDown(number, reason, delete, blockFor, actors.of(security, request));
        JsonArrayBuilder blocked = Json.createArrayBuilder();
        done.blocked().forEach(blocked::add);
        return Json.createObjectBuilder()
                .add("name", done.name())
                .add("ban", done.ban())
                .add("blocked", blocked)
                .add("closed", done.closed())
                .build();
    }

    private static long number(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("id: an item's number");
        }
    }

    private static void add(JsonObjectBuilder json, String key, LocalDateTime time) {
        if (time == null) {
            json.addNull(key);
        } else {
            json.add(key, time.toString());
        }
    }
}
