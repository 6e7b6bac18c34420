package pomf.admin.boundary;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import pomf.access.boundary.AdminOnly;
import pomf.admin.control.Series;
import pomf.admin.entity.DashboardTotals;
import pomf.problem.entity.ProblemException;

/** The dashboard's JSON twin: totals, node states, and bandwidth and request rates per instance over time. */
@Path("dashboard")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
public class DashboardResource {

    @Inject
    Overview overview;

    @GET
    public JsonObject dashboard(
            @QueryParam("hours") @DefaultValue("24") int hours,
            @QueryParam("bucketMinutes") @DefaultValue("5") int bucketMinutes) {
        if (hours < 1 || hours > 24 * 31) {
            throw ProblemException.badRequest("hours: 1 to 744");
        }
        if (bucketMinutes < 1 || bucketMinutes > 1440 || hours * 60 / bucketMinutes > 5000) {
            throw ProblemException.badRequest("bucketMinutes: 1 to 1440, and at most 5000 buckets");
        }
        DashboardTotals t = overview.totals();
        JsonArrayBuilder nodes = Json.createArrayBuilder();
        overview.nodes()
                .forEach(n -> nodes.add(Json.createObjectBuilder()
                        .add("name", n.name())
                        .add("address", n.address())
                        .add("state", n.state())
                        .add("reason", n.reason())
                        .add("since", n.since().toString())));
        return Json.createObjectBuilder()
                .add(
                        "totals",
                        Json.createObjectBuilder()
                                .add("files", t.files())
                                .add("storedBytes", t.storedBytes())
                                .add("uploadsToday", t.uploadsToday())
                                .add("requestsLastHour", t.requestsLastHour())
                                .add("bytesLastHour", t.bytesLastHour())
                                .add("hitRatioLastHour", t.hitRatioLastHour())
                                .add("edgeRequestsLastHour", t.edgeRequestsLastHour())
                                .add("nodesLive", t.nodesLive())
                                .add("nodesDead", t.nodesDead())
                                .add("nodesMaintenance", t.nodesMaintenance()))
                .add("nodes", nodes)
                .add("bandwidthMbitPerSecond", series(overview.bandwidth(hours, bucketMinutes)))
                .add("requestsPerSecond", series(overview.requests(hours, bucketMinutes)))
                .build();
    }

    private static JsonObject series(Series series) {
        JsonArrayBuilder buckets = Json.createArrayBuilder();
        series.buckets().forEach(b -> buckets.add(b.toString()));
        JsonObjectBuilder values = Json.createObjectBuilder();
        for (Map.Entry<String, double[]> e : series.values().entrySet()) {
            JsonArrayBuilder data = Json.createArrayBuilder();
            for (double v : e.getValue()) {
                data.add(Math.round(v * 1000) / 1000.0);
            }
            values.add(e.getKey(), data);
        }
        return Json.createObjectBuilder()
                .add("buckets", buckets)
                .add("values", values)
                .build();
    }
}
