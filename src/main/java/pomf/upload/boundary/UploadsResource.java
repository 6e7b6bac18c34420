package pomf.upload.boundary;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import pomf.problem.entity.ProblemException;
import pomf.registry.boundary.Registry;
import pomf.registry.boundary.Removal;
import pomf.registry.entity.Upload;
import pomf.upload.control.DeletionTokens;
import pomf.upload.control.Expiry;
import pomf.upload.control.UploadSettings;
import pomf.upload.entity.UploadRejectedException;

/**
 * An upload's owner, for scripts and ShareX: whoever holds an upload's deletion token (the last part of its {@code
 * delete_url}, sent in {@code X-Delete-Token}) may read it ({@code GET}), change its expiry ({@code PATCH}, {@code
 * {"expiry": "7d"}} or the form field {@code expiry}, as at upload: from now, within the same limits) or delete it
 * ({@code DELETE}) at {@code /api/v1/uploads/<stored name>}. A wrong token and an unknown name get the same 404, so
 * the API tells nothing to whoever has no token.
 */
@Path("uploads/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class UploadsResource {
    public static final String TOKEN_HEADER = "X-Delete-Token";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");

    @Inject
    Registry registry;

    @Inject
    Removal removal;

    @Inject
    UploadSettings settings;

    @GET
    public JsonObject show(@PathParam("name") String name, @HeaderParam(TOKEN_HEADER) String token) {
        return describe(owned(name, token)).build();
    }

    /** {@code {"expiry": "7d"}}: expires that long from now ({@code "never"}: when the limits allow it). */
    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject changeExpiry(
            @PathParam("name") String name, @HeaderParam(TOKEN_HEADER) String token, JsonObject body) {
        JsonValue expiry = body == null ? null : body.get("expiry");
        if (!(expiry instanceof JsonString text)) {
            throw ProblemException.badRequest(
                    "expiry: a duration such as \"30m\", \"1h\", \"7d\", \"2w\" or \"never\"");
        }
        return expire(name, token, text.getString());
    }

    /** The form field {@code expiry}, as at upload ({@code curl -X PATCH -d expiry=7d}). */
    @PATCH
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public JsonObject changeExpiryForm(
            @PathParam("name") String name,
            @HeaderParam(TOKEN_HEADER) String token,
            @FormParam("expiry") String expiry) {
        if (expiry == null || expiry.isBlank()) {
            throw ProblemException.badRequest("expiry: a duration such as 30m, 1h, 7d, 2w or never");
        }
        return expire(name, token, expiry);
    }

    @DELETE
    public JsonObject delete(@PathParam("name") String name, @HeaderParam(TOKEN_HEADER) String token) {
        Upload upload = owned(name, token);
        removal.remove(upload, "its owner (API)");
        return Json.createObjectBuilder()
                .add("success", true)
                .add("deleted", upload.getFile().getName())
                .build();
    }

    private JsonObject expire(String name, String token, String expiry) {
        Upload upload = owned(name, token);
        Optional<Duration> lifetime;
        try {
            lifetime = Expiry.choose(
                    expiry, "", settings.expiryCap(upload.getFile().getSize()));
        } catch (UploadRejectedException e) {
            throw ProblemException.badRequest("expiry: " + e.getMessage());
        }
        LocalDateTime expiresAt = lifetime.map(Registry.now()::plus).orElse(null);
        Upload changed =
                registry.changeExpiry(DeletionTokens.hash(token), expiresAt).orElseThrow(UploadsResource::unknown);
        return describe(changed).build();
    }

    private Upload owned(String name, String token) {
        if (token == null || token.isBlank()) {
            throw new ProblemException(
                    401, "Unauthorized", TOKEN_HEADER + ": the upload's deletion token (the end of its delete_url)");
        }
        if (!DeletionTokens.wellFormed(token)) {
            throw unknown();
        }
        return registry.uploadByToken(DeletionTokens.hash(token))
                .filter(u -> u.getFile().getName().equals(name))
                .orElseThrow(UploadsResource::unknown);
    }

    private static ProblemException unknown() {
        return ProblemException.notFound("No upload of this name has this deletion token (or it was deleted).");
    }

    private JsonObjectBuilder describe(Upload upload) {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("success", true)
                .add("name", upload.getOriginalName())
                .add("stored", upload.getFile().getName())
                .add("url", settings.fileUrl(upload.getFile().getName()))
                .add("hash", upload.getFile().getSha1())
                .add("size", upload.getFile().getSize())
                .add("created", TIME.format(upload.getCreatedAt()));
        if (upload.getExpiresAt() == null) {
            json.addNull("expires");
        } else {
            json.add("expires", TIME.format(upload.getExpiresAt()));
        }
        return json;
    }
}
