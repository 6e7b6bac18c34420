package pomf.witness.boundary;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.StringReader;
import java.net.URI;
import pomf.access.boundary.AdminOnly;
import pomf.problem.entity.ProblemException;
import pomf.witness.control.NodeForm;
import pomf.witness.entity.Node;

/**
 * The nodes the witness watches, as JSON: list, add, edit, remove, and kill / revive / maintenance with a reason.
 * Refusals (the last live node of a record, a duplicate address) are 409 problem+json.
 */
@Path("nodes")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
public class NodesResource {
    @Context
    SecurityContext security;

    @Inject
    NodeActions actions;

    @Inject
    WitnessRecords records;

    @GET
    public JsonObject list() {
        JsonArrayBuilder nodes = Json.createArrayBuilder();
        for (Node node : actions.all()) {
            nodes.add(records.withStatus(node));
        }
        return Json.createObjectBuilder().add("nodes", nodes).build();
    }

    @GET
    @Path("{name}")
    public JsonObject one(@PathParam("name") String name) {
        return records.details(actions.find(name));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(String body) {
        Node node = actions.add(NodeForm.of(null, object(body)), actor());
        return Response.created(URI.create("nodes/" + node.getName()))
                .entity(node.toJson())
                .build();
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject edit(@PathParam("name") String name, String body) {
        return actions.edit(NodeForm.of(name, object(body)), actor()).toJson();
    }

    @DELETE
    @Path("{name}")
    public Response remove(@PathParam("name") String name) {
        actions.remove(name, actor());
        return Response.noContent().build();
    }

    @POST
    @Path("{name}/kill")
    public JsonObject kill(@PathParam("name") String name, String body) {
        return actions.kill(name, reason(body, "killed by hand"), actor()).toJson();
    }

    @POST
    @Path("{name}/revive")
    public JsonObject revive(@PathParam("name") String name, String body) {
        return actions.revive(name, reason(body, "revived by hand"), actor()).toJson();
    }

    @POST
    @Path("{name}/maintenance")
    public JsonObject maintenance(@PathParam("name") String name, String body) {
        return actions.maintenance(name, reason(body, "maintenance"), actor()).toJson();
    }

    /** "admin API (alice)" or "admin API (api-token)": who changed the node, for its history. */
    private String actor() {
        return "admin API (" + security.getUserPrincipal().getName() + ")";
    }

    private static JsonObject object(String body) {
        try (JsonReader reader = Json.createReader(new StringReader(body == null ? "" : body))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw ProblemException.badRequest("the body must be a JSON object: " + e.getMessage());
        }
    }

    /** The reason from an optional body: {@code {"reason": "..."}}, or plain text. */
    private static String reason(String body, String fallback) {
        String reason = body == null ? "" : body.trim();
        if (reason.startsWith("{")) {
            try (JsonReader reader = Json.createReader(new StringReader(reason))) {
                reason = reader.readObject().get("reason") instanceof JsonString s
                        ? s.getString().trim()
                        : "";
            } catch (JsonException e) {
                throw ProblemException.badRequest("the body must be {\"reason\": \"...\"} or plain text");
            }
        }
        return reason.isEmpty() ? fallback : reason.length() > 500 ? reason.substring(0, 500) : reason;
    }
}
