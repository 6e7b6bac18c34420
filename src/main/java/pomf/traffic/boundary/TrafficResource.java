package pomf.traffic.boundary;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import pomf.access.boundary.AdminOnly;
import pomf.http.control.Bearer;
import pomf.problem.entity.ProblemException;
import pomf.traffic.control.BatchJson;
import pomf.traffic.control.TrafficSettings;
import pomf.traffic.entity.Batch;

/**
 * The origin's side of the edges' traffic records: a batch in, written once however often it is sent (200 both
 * times). Edges authenticate with {@code pomf.traffic.token}; without one configured the endpoint is closed.
 */
@Path("traffic")
public class TrafficResource {

    @Inject
    TrafficSettings settings;

    @Inject
    TrafficStore store;

    @Inject
    TrafficRetention retention;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject ingest(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, InputStream body)
            throws IOException {
        if (settings.token().isEmpty()) {
            throw new ProblemException(401, "Unauthorized", "Traffic ingest is closed: no pomf.traffic.token is set.");
        }
        if (!Bearer.carries(authorization, settings.token().get())) {
            throw new ProblemException(401, "Unauthorized", "A valid traffic token is required.");
        }
        Batch batch;
        try {
            batch = BatchJson.parse(text(body), System.currentTimeMillis() / 1000);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
        boolean written = store.write(batch);
        return Json.createObjectBuilder()
                .add("batch", batch.id().toString())
                .add("written", written)
                .build();
    }

    /** Partitions created ahead and dropped past retention, now rather than at the daily run. */
    @POST
    @Path("retention")
    @AdminOnly
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject retention() {
        return retention.run();
    }

    private static String text(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(BatchJson.MAX_BYTES + 1);
        if (bytes.length > BatchJson.MAX_BYTES) {
            throw ProblemException.badRequest("A batch is at most " + BatchJson.MAX_BYTES + " bytes.");
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ProblemException.badRequest("The body is not UTF-8.");
        }
    }
}
