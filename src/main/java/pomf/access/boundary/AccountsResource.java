package pomf.access.boundary;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.StringReader;
import pomf.access.control.AccessSettings;
import pomf.access.control.AdminSession;
import pomf.access.entity.AdminAccount;
import pomf.access.entity.AuditRow;
import pomf.problem.entity.ProblemException;

/** The accounts page's JSON twin: administrators, adding and removing one, one's own password, the audit trail. */
@Path("")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
public class AccountsResource {

    @Inject
    AdminAccounts accounts;

    @Inject
    AuditLog audit;

    @Inject
    AccessSettings settings;

    @Context
    SecurityContext security;

    @Context
    HttpServletRequest request;

    @GET
    @Path("accounts")
    public JsonObject list() {
        JsonArrayBuilder all = Json.createArrayBuilder();
        for (AdminAccount a : accounts.all()) {
            all.add(Json.createObjectBuilder()
                    .add("username", a.getUsername())
                    .add("createdAt", a.getCreatedAt().toString())
                    .add(
                            "lastLoginAt",
                            a.getLastLoginAt() == null ? "" : a.getLastLoginAt().toString())
                    .add("failedLogins", a.getFailedLogins()));
        }
        return Json.createObjectBuilder().add("accounts", all).build();
    }

    @POST
    @Path("accounts")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(String body) {
        JsonObject json = object(body);
        String username = text(json, "username");
        accounts.create(username, text(json, "password"));
        record("account.add", username);
        return Response.status(201)
                .entity(Json.createObjectBuilder().add("username", username).build())
                .build();
    }

    @DELETE
    @Path("accounts/{username}")
    public Response remove(@PathParam("username") String username) {
        if (username.equals(caller())) {
            throw ProblemException.conflict("Administrators cannot remove themselves.");
        }
        accounts.remove(username);
        record("account.remove", username);
        return Response.noContent().build();
    }

    @POST
    @Path("accounts/password")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response password(String body) {
        if (AdminAuthentication.TOKEN_CALLER.equals(caller())) {
            throw ProblemException.conflict("The API token belongs to no account: log in to change a password.");
        }
        JsonObject json = object(body);
        AdminSession.renew(
                request.getSession(false),
                accounts.changePassword(caller(), text(json, "current"), text(json, "replacement")));
        record("account.password", caller());
        return Response.noContent().build();
    }

    @GET
    @Path("audit")
    public JsonObject audit(@QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ProblemException.badRequest("limit: 1 to 1000");
        }
        JsonArrayBuilder entries = Json.createArrayBuilder();
        for (AuditRow row : audit.recent(limit)) {
            entries.add(row.toJson());
        }
        return Json.createObjectBuilder().add("entries", entries).build();
    }

    private void record(String action, String target) {
        String address = settings.clientAddress().of(request);
        audit.record(caller(), address, action, target, "");
    }

    private String caller() {
        return security.getUserPrincipal().getName();
    }

    private static JsonObject object(String body) {
        try (JsonReader reader = Json.createReader(new StringReader(body == null ? "" : body))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw ProblemException.badRequest("the body must be a JSON object");
        }
    }

    private static String text(JsonObject json, String field) {
        if (!(json.get(field) instanceof JsonString value)) {
            throw ProblemException.badRequest(field + ": a string is required");
        }
        return value.getString();
    }
}
