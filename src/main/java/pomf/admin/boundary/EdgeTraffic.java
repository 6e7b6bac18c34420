package pomf.admin.boundary;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import pomf.admin.control.AdminSql;

/**
 * The edges' recorded traffic of the last hour ({@code traffic_minute}), per node: what the cache page shows beside
 * the live counters, which restart with the edge.
 */
@Stateless
public class EdgeTraffic {
    @Inject
    AdminSql sql;

    /** Each edge's sums over the last hour, by node name, as the cache page's JSON. */
    public JsonArray lastHour() {
        JsonArrayBuilder nodes = Json.createArrayBuilder();
        sql.edgeTrafficLastHour().forEach(row -> nodes.add(row.toJson()));
        return nodes.build();
    }
}
