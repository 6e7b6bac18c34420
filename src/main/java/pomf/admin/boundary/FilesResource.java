package pomf.admin.boundary;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import pomf.access.boundary.AdminOnly;
import pomf.admin.entity.Outcome;
import pomf.names.control.StoredNames;
import pomf.problem.entity.ProblemException;

/**
 * The files page's JSON twin: search with paging, one file, delete, ban and unban content, bulk delete or ban. A
 * name or hash that is not there is a 404; a malformed one, or any malformed field, a 400 naming the field.
 */
@Path("files")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
public class FilesResource {
    private static final Pattern FULL_HASH = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    @Inject
    FileCatalog catalog;

    @Inject
    FileActions actions;

    @Inject
    Actors actors;

    @Context
    SecurityContext security;

    @Context
    HttpServletRequest request;

    @GET
    public JsonObject search(@Context UriInfo uri) {
        return FileSearchQuery.of(uri.getQueryParameters()).run(catalog);
    }

    @GET
    @Path("bans")
    public JsonObject bans() {
        JsonArrayBuilder bans = Json.createArrayBuilder();
        catalog.bans().forEach(b -> bans.add(b.toJson()));
        return Json.createObjectBuilder().add("bans", bans).build();
    }

    @GET
    @Path("{name}")
    public JsonObject one(@PathParam("name") String name) {
        return catalog.detail(name(name))
                .orElseThrow(() -> ProblemException.notFound("no stored file named " + name))
                .toJson();
    }

    @DELETE
    @Path("{name}")
    public JsonObject delete(@PathParam("name") String name) {
        return found(actions.delete(name(name), actors.of(security, request)));
    }

    @POST
    @Path("{name}/ban")
    public JsonObject ban(@PathParam("name") String name, String body) {
        JsonObject json = JsonBodies.object(body, false);
        String reason = JsonBodies.string(json, "reason", 1024, "banned by an administrator");
        boolean delete = JsonBodies.bool(json, "delete", false);
        return found(actions.ban(name(name), reason, delete, actors.of(security, request)));
    }

    @DELETE
    @Path("bans/{hash}")
    public JsonObject unban(@PathParam("hash") String hash) {
        String hex = hash.toLowerCase(Locale.ROOT);
        if (!FULL_HASH.matcher(hex).matches()) {
            throw ProblemException.badRequest("hash: expected a whole SHA-1 (40) or SHA-256 (64) in hex");
        }
        return found(actions.unban(hex, actors.of(security, request)));
    }

    @POST
    @Path("bulk")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject bulk(String body) {
        JsonObject json = JsonBodies.object(body, true);
        String action = JsonBodies.string(json, "action", 10, "");
        if (!action.equals("delete") && !action.equals("ban")) {
            throw ProblemException.badRequest("action: expected delete or ban");
        }
        String reason = JsonBodies.string(json, "reason", 1024, "banned by an administrator");
        boolean delete = JsonBodies.bool(json, "delete", false);
        List<Outcome> outcomes =
                actions.bulk(names(json), action.equals("ban"), reason, delete, actors.of(security, request));
        JsonArrayBuilder results = Json.createArrayBuilder();
        outcomes.forEach(o -> results.add(o.toJson()));
        return Json.createObjectBuilder()
                .add("action", action)
                .add("results", results)
                .build();
    }

    private static List<String> names(JsonObject json) {
        if (!(json.get("names") instanceof JsonArray array) || array.isEmpty()) {
            throw ProblemException.badRequest("names: expected a non-empty array of stored names");
        }
        if (array.size() > FileActions.MAX_BULK) {
            throw ProblemException.badRequest("names: at most " + FileActions.MAX_BULK + " per request");
        }
        List<String> names = new ArrayList<>();
        for (JsonValue value : array) {
            if (!(value instanceof JsonString s)) {
                throw ProblemException.badRequest("names: expected strings only");
            }
            names.add(s.getString());
        }
        return names.stream().distinct().toList();
    }

    private static String name(String name) {
        if (!StoredNames.valid(name)) {
            throw ProblemException.badRequest("name: a stored name is 1 to 40 of A-Z a-z 0-9 . _ -");
        }
        return name;
    }

    private static JsonObject found(Outcome outcome) {
        if (!outcome.found()) {
            throw ProblemException.notFound(outcome.target() + ": " + outcome.detail());
        }
        return outcome.toJson();
    }
}
