package pomf.traffic.boundary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import pomf.it.deployments.Database;

/** What the traffic tables hold for one node, summed over its minutes (or hours), as reports would read them. */
record TrafficRows(
        long requests,
        long bytesSent,
        long status2xx,
        long status3xx,
        long status4xx,
        long status5xx,
        long hits,
        long misses,
        long stale,
        long revalidated,
        long bytesFromOrigin) {

    static TrafficRows of(String node, String role) {
        long[] v = sums(
                "select coalesce(sum(requests), 0), coalesce(sum(bytes_sent), 0), coalesce(sum(status_2xx), 0),"
                        + " coalesce(sum(status_3xx), 0), coalesce(sum(status_4xx), 0), coalesce(sum(status_5xx), 0),"
                        + " coalesce(sum(hits), 0), coalesce(sum(misses), 0), coalesce(sum(stale), 0),"
                        + " coalesce(sum(revalidated), 0), coalesce(sum(bytes_from_origin), 0)"
                        + " from traffic_minute where node = ? and role = ?",
                11,
                node,
                role);
        return new TrafficRows(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]);
    }

    /** Requests and bytes of one file on one node, over all hours. */
    static List<Long> file(String node, String name) {
        long[] v = sums(
                "select coalesce(sum(requests), 0), coalesce(sum(bytes_sent), 0) from file_traffic_hour"
                        + " where node = ? and file_name = ?",
                2,
                node,
                name);
        return List.of(v[0], v[1]);
    }

    static void clear(String node) {
        Database.execute("delete from traffic_minute where node = ?", node);
        Database.execute("delete from file_traffic_hour where node = ?", node);
        Database.execute("delete from traffic_batch where node = ?", node);
    }

    private static long[] sums(String sql, int columns, Object... params) {
        try (Connection c = Database.connect("pomf");
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                long[] values = new long[columns];
                for (int i = 0; i < columns; i++) {
                    values[i] = rs.getLong(i + 1);
                }
                return values;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
