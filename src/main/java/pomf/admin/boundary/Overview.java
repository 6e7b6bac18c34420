package pomf.admin.boundary;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import pomf.admin.control.AdminSql;
import pomf.admin.control.Series;
import pomf.admin.entity.DashboardTotals;
import pomf.admin.entity.NodeStateRow;

/**
 * What the dashboard shows, read from the traffic records, the registry and the node table (by {@link AdminSql}):
 * bandwidth and requests per node over time, the edges' hit ratio, storage used and the nodes' states.
 */
@Stateless
public class Overview {
    @Inject
    AdminSql sql;

    /** Mbit/s per instance in buckets of {@code bucketMinutes} over the last {@code hours}. */
    public Series bandwidth(int hours, int bucketMinutes) {
        OffsetDateTime to = OffsetDateTime.now(ZoneOffset.UTC).withSecond(0).withNano(0);
        return sql.bandwidth(to.minusHours(hours), to, bucketMinutes);
    }

    /** Requests per second per instance in buckets of {@code bucketMinutes} over the last {@code hours}. */
    public Series requests(int hours, int bucketMinutes) {
        OffsetDateTime to = OffsetDateTime.now(ZoneOffset.UTC).withSecond(0).withNano(0);
        return sql.requestRates(to.minusHours(hours), to, bucketMinutes);
    }

    /** The dashboard's figures: files, storage, today's uploads, the last hour's traffic, nodes per state. */
    public DashboardTotals totals() {
        return sql.totals();
    }

    /** Every node and its state. */
    public List<NodeStateRow> nodes() {
        return sql.nodeStates();
    }
}
