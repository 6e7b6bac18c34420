package pomf.admin.boundary;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import javax.sql.DataSource;
import pomf.database.boundary.SchemaMigration;

/**
 * The edges' recorded traffic of the last hour ({@code traffic_minute}), per node: what the cache page shows beside
 * the live counters, which restart with the edge.
 */
@Stateless
public class EdgeTraffic {
    private static final String[] COLUMNS = {
        "requests", "bytes_sent", "hits", "misses", "stale", "revalidated", "bytes_from_origin"
    };

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource database;

    public JsonArray lastHour() {
        String sums = String.join(
                ", ", Arrays.stream(COLUMNS).map(c -> "sum(" + c + ")").toList());
        try (Connection c = database.getConnection();
                PreparedStatement s = c.prepareStatement("select node, " + sums + " from traffic_minute"
                        + " where role = 'edge' and minute >= now() - interval '1 hour' group by node order by node");
                ResultSet rs = s.executeQuery()) {
            JsonArrayBuilder nodes = Json.createArrayBuilder();
            while (rs.next()) {
                var node = Json.createObjectBuilder().add("node", rs.getString(1));
                for (int i = 0; i < COLUMNS.length; i++) {
                    node.add(camel(COLUMNS[i]), rs.getLong(i + 2));
                }
                nodes.add(node);
            }
            return nodes.build();
        } catch (SQLException e) {
            throw new IllegalStateException("reading the edges' traffic failed", e);
        }
    }

    private static String camel(String column) {
        StringBuilder name = new StringBuilder();
        for (String part : column.split("_")) {
            name.append(name.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return name.toString();
    }
}
