package pomf.admin.boundary;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
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
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import pomf.access.boundary.AdminOnly;
import pomf.blocks.control.BlockList;
import pomf.blocks.entity.AddressBlock;
import pomf.problem.entity.ProblemException;

/**
 * Address blocks as JSON: list the ones in force, block an address or CIDR range (IPv4 or IPv6) for a while or until
 * removed, remove one. Uploads (form and tus) from a blocked address are refused with 403 before any byte is stored.
 * Every change is audited.
 */
@Path("blocks")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
public class BlocksResource {
    @Inject
    BlockList blocks;

    @Inject
    ModerationActions moderation;

    @Inject
    Actors actors;

    @Context
    SecurityContext security;

    @Context
    HttpServletRequest request;

    @GET
    public JsonObject list() {
        JsonArrayBuilder list = Json.createArrayBuilder();
        blocks.active().forEach(b -> list.add(b.toJson()));
        return Json.createObjectBuilder().add("blocks", list).build();
    }

    /** {@code {"cidr": "203.0.113.0/24", "reason": "...", "expires": "7d"}}; without expires, until removed. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(String body) {
        JsonObject json = JsonBodies.object(body, true);
        AddressBlock block = moderation.block(
                JsonBodies.string(json, "cidr", 60, ""),
                JsonBodies.string(json, "reason", 500, ""),
                JsonBodies.string(json, "expires", 20, ""),
                actors.of(security, request));
        return Response.created(URI.create("blocks/" + block.getId()))
                .entity(block.toJson())
                .build();
    }

    @DELETE
    @Path("{id}")
    public JsonObject remove(@PathParam("id") String id) {
        long number;
        try {
            number = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("id: a block's number");
        }
        moderation.unblock(number, actors.of(security, request));
        return Json.createObjectBuilder().add("removed", number).build();
    }
}
