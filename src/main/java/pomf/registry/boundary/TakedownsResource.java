package pomf.registry.boundary;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import pomf.http.control.EdgeLink;
import pomf.http.entity.FeedTime;
import pomf.problem.entity.ProblemException;
import pomf.registry.control.RegistrySql;

/**
 * The origin's list of ban changes, for the edges' catch-up (an edge's {@code TakedownFeed}): the links whose content was
 * banned or released after {@code since} (an origin time from an earlier answer), oldest first, each with whether it
 * is taken down now; {@code after} is the last name of the previous page at the same time. Without {@code since}
 * it answers no changes and the origin's present, where a new edge starts. Only the edges (their shared token in
 * {@code X-Pomf-Edge-Fetch}) may read it: it names what was taken down.
 */
@Path("takedowns")
@Produces(MediaType.APPLICATION_JSON)
public class TakedownsResource {
    private static final int MAX_PAGE = 5000;

    @Inject
    Registry registry;

    @Inject
    EdgeLink link;

    @GET
    public JsonObject changes(
            @HeaderParam(EdgeLink.FETCH_HEADER) String token,
            @QueryParam("since") String since,
            @QueryParam("after") String after,
            @QueryParam("limit") Integer limit) {
        if (!link.fetchedByAnEdge(token)) {
            throw new ProblemException(401, "Unauthorized", "Only the edges (their shared token) read this list.");
        }
        if (since == null || since.isBlank()) {
            return answer(Json.createArrayBuilder(), FeedTime.FORMAT.format(Registry.now()), "");
        }
        LocalDateTime from;
        try {
            from = LocalDateTime.parse(since, FeedTime.FORMAT);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("since: expected a time such as 2026-12-04T10:15:30.000000");
        }
        String last = after == null ? "" : after;
        int size = Math.max(1, Math.min(MAX_PAGE, limit == null ? 1000 : limit));
        JsonArrayBuilder changes = Json.createArrayBuilder();
        String reached = since;
        for (RegistrySql.BanChange change : registry.banChangesSince(from, last, size)) {
            reached = FeedTime.FORMAT.format(change.at());
            last = change.name();
            changes.add(Json.createObjectBuilder()
                    .add("name", last)
                    .add("takenDown", change.takenDown())
                    .add("at", reached));
        }
        return answer(changes, reached, last);
    }

    private static JsonObject answer(JsonArrayBuilder changes, String since, String after) {
        return Json.createObjectBuilder()
                .add("changes", changes)
                .add("next", Json.createObjectBuilder().add("since", since).add("after", after))
                .build();
    }
}
