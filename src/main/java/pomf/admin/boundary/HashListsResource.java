package pomf.admin.boundary;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import pomf.access.boundary.AdminOnly;
import pomf.hashlists.boundary.HashLists;
import pomf.hashlists.control.HashListSql;
import pomf.problem.entity.ProblemException;

/**
 * Hash lists as JSON: {@code PUT /api/v1/hash-lists/{name}?reason=...} with the list as the body (one hash per line or
 * CSV; SHA-256, SHA-1 or MD5) creates the list or replaces its hashes; {@code GET} lists them; {@code DELETE} removes
 * one. Uploads matching any list are refused with 451; stored links that match are quarantined (451 at the origin
 * and every edge) and queued for review. Every change is audited.
 */
@Path("hash-lists")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
public class HashListsResource {
    /** A million SHA-256 lines with CRLF are 66 MB; lists with notes in CSV may be a few times that. */
    static final long MAX_BODY = 512L * 1024 * 1024;

    @Inject
    HashLists lists;

    @Inject
    ModerationActions moderation;

    @Inject
    Actors actors;

    @Context
    SecurityContext security;

    @Context
    HttpServletRequest request;

    @GET
    public JsonObject all() {
        JsonArrayBuilder all = Json.createArrayBuilder();
        for (HashListSql.ListView list : lists.all()) {
            all.add(Json.createObjectBuilder()
                    .add("name", list.name())
                    .add("reason", list.reason())
                    .add("entries", list.entries())
                    .add("createdBy", list.createdBy())
                    .add("createdAt", list.createdAt().toString())
                    .add("updatedAt", list.updatedAt().toString()));
        }
        return Json.createObjectBuilder().add("lists", all).build();
    }

    @PUT
    @Path("{name}")
    @Consumes({MediaType.TEXT_PLAIN, "text/csv", MediaType.APPLICATION_OCTET_STREAM})
    public JsonObject replace(
            @PathParam("name") String name,
            @QueryParam("reason") String reason,
            @HeaderParam("Content-Length") Long length,
            InputStream body) {
        if (length != null && length > MAX_BODY) {
            throw new ProblemException(413, "Payload Too Large", "a list may have at most " + MAX_BODY + " bytes");
        }
        long started = System.nanoTime();
        HashListSql.Imported imported =
                moderation.importList(name, reason, new Capped(body), actors.of(security, request));
        long millis = (System.nanoTime() - started) / 1_000_000;
        JsonArrayBuilder ignoredLines = Json.createArrayBuilder();
        imported.firstIgnored().forEach(ignoredLines::add);
        return Json.createObjectBuilder()
                .add("name", name)
                .add("entries", imported.entries())
                .add("lines", imported.lines())
                .add("ignored", imported.ignored())
                .add("firstIgnoredLines", ignoredLines)
                .add("added", imported.added())
                .add("removed", imported.removed())
                .add("quarantined", names(imported.quarantined()))
                .add("released", names(imported.released()))
                .add("md5Pending", imported.md5Pending())
                .add("millis", millis)
                .build();
    }

    @DELETE
    @Path("{name}")
    public JsonObject remove(@PathParam("name") String name) {
        HashListSql.Removed removed = moderation.removeList(name, actors.of(security, request));
        JsonObjectBuilder answer = Json.createObjectBuilder()
                .add("removed", name)
                .add("entries", removed.entries())
                .add("released", names(removed.released()));
        return answer.build();
    }

    private static JsonArrayBuilder names(List<String> names) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        names.stream().limit(1000).forEach(array::add);
        return array;
    }

    /** The body, refused past {@link #MAX_BODY} bytes when it came without a length (chunked). */
    private static final class Capped extends FilterInputStream {
        private long read;

        Capped(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            int n = super.read(bytes, offset, length);
            count(Math.max(0, n));
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > MAX_BODY) {
                throw new ProblemException(413, "Payload Too Large", "a list may have at most " + MAX_BODY + " bytes");
            }
        }
    }
}
