package pomf.admin.boundary;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import pomf.admin.control.Series;

/**
 * What the dashboard shows, read from the traffic records, the registry and the node table: bandwidth and requests
 * per node over time, the edges' hit ratio, storage used and the nodes' states.
 */
@Stateless
public class Overview {

    public record Totals(
            long files,
            long storedBytes,
            long uploadsToday,
            long requestsLastHour,
            long bytesLastHour,
            double hitRatioLastHour,
            long edgeRequestsLastHour,
            long nodesLive,
            long nodesDead,
            long nodesMaintenance) {}

    public record NodeState(String name, String address, String state, String reason, OffsetDateTime since) {}

    @PersistenceContext
    EntityManager em;

    /** Mbit/s per instance in buckets of {@code bucketMinutes} over the last {@code hours}. */
    public Series bandwidth(int hours, int bucketMinutes) {
        return series(hours, bucketMinutes, "sum(bytes_sent) * 8.0 / (?2 * 60) / 1000000");
    }

    /** Requests per second per instance in buckets of {@code bucketMinutes} over the last {@code hours}. */
    public Series requests(int hours, int bucketMinutes) {
        return series(hours, bucketMinutes, "sum(requests) * 1.0 / (?2 * 60)");
    }

    private Series series(int hours, int bucketMinutes, String measure) {
        OffsetDateTime to = OffsetDateTime.now(ZoneOffset.UTC).withSecond(0).withNano(0);
        OffsetDateTime from = to.minusHours(hours);
        List<?> rows = em.createNativeQuery("select node || ' (' || role || ')',"
                        + " to_timestamp(floor(extract(epoch from minute) / (?2 * 60)) * (?2 * 60)) as bucket, "
                        + measure + " from traffic_minute where minute >= ?1 group by 1, 2 order by 1, 2")
                .setParameter(1, from)
                .setParameter(2, bucketMinutes)
                .getResultList();
        Series series = new Series(from, to, bucketMinutes);
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            series.put((String) r[0], instant(r[1]), ((Number) r[2]).doubleValue());
        }
        return series;
    }

    public Totals totals() {
        // Links, and the bytes on disk: links of the same content share one blob.
        Object[] files = (Object[]) em.createNativeQuery(
                        "select count(*), (select coalesce(sum(size), 0)"
                                + " from (select distinct on (sha256) size from stored_file order by sha256) d) from stored_file")
                .getSingleResult();
        Number uploadsToday = (Number) em.createNativeQuery(
                        "select count(*) from upload where created_at >= date_trunc('day', now() at time zone 'UTC')")
                .getSingleResult();
        Object[] hour =
                (Object[]) em.createNativeQuery("select coalesce(sum(requests), 0), coalesce(sum(bytes_sent), 0),"
                                + " coalesce(sum(hits + stale + revalidated) filter (where role = 'edge'), 0),"
                                + " coalesce(sum(requests) filter (where role = 'edge'), 0)"
                                + " from traffic_minute where minute >= now() - interval '1 hour'")
                        .getSingleResult();
        Object[] nodes = (Object[]) em.createNativeQuery("select count(*) filter (where state = 'live'),"
                        + " count(*) filter (where state = 'dead'), count(*) filter (where state = 'maintenance')"
                        + " from node")
                .getSingleResult();
        long edgeRequests = ((Number) hour[3]).longValue();
        return new Totals(
                ((Number) files[0]).longValue(),
                ((Number) files[1]).longValue(),
                uploadsToday.longValue(),
                ((Number) hour[0]).longValue(),
                ((Number) hour[1]).longValue(),
                edgeRequests == 0 ? 0 : ((Number) hour[2]).doubleValue() / edgeRequests,
                edgeRequests,
                ((Number) nodes[0]).longValue(),
                ((Number) nodes[1]).longValue(),
                ((Number) nodes[2]).longValue());
    }

    public List<NodeState> nodes() {
        List<?> rows = em.createNativeQuery(
                        "select name, address, state, state_reason, state_since from node order by record, name")
                .getResultList();
        List<NodeState> nodes = new ArrayList<>();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            nodes.add(new NodeState((String) r[0], (String) r[1], (String) r[2], (String) r[3], instant(r[4])));
        }
        return nodes;
    }

    static OffsetDateTime instant(Object value) {
        if (value instanceof OffsetDateTime odt) {
            return odt.withOffsetSameInstant(ZoneOffset.UTC);
        }
        if (value instanceof Timestamp ts) {
            return ts.toInstant().atOffset(ZoneOffset.UTC);
        }
        if (value instanceof Instant instant) {
            return instant.atOffset(ZoneOffset.UTC);
        }
        throw new IllegalArgumentException("not a timestamp: " + value);
    }
}
