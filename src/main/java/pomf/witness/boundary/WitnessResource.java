package pomf.witness.boundary;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import pomf.access.boundary.AdminOnly;

/** The witness's own record as JSON: recent ticks (who decided, how long the checks took), faults, events, DNS. */
@Path("witness")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
public class WitnessResource {

    @Inject
    WitnessRecords records;

    @GET
    @Path("ticks")
    public JsonObject ticks(@QueryParam("limit") @DefaultValue("60") int limit) {
        return Json.createObjectBuilder()
                .add("ticks", records.ticks(bounded(limit)))
                .build();
    }

    @GET
    @Path("faults")
    public JsonObject faults(@QueryParam("limit") @DefaultValue("60") int limit) {
        return Json.createObjectBuilder()
                .add("faults", records.faults(bounded(limit)))
                .build();
    }

    @GET
    @Path("events")
    public JsonObject events(@QueryParam("limit") @DefaultValue("100") int limit) {
        return Json.createObjectBuilder()
                .add("events", records.events(bounded(limit)))
                .build();
    }

    @GET
    @Path("dns-changes")
    public JsonObject dnsChanges(
            @QueryParam("open") @DefaultValue("false") boolean open,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        return Json.createObjectBuilder()
                .add("changes", records.dnsChanges(open, bounded(limit)))
                .build();
    }

    private static int bounded(int limit) {
        return Math.max(1, Math.min(1000, limit));
    }
}
