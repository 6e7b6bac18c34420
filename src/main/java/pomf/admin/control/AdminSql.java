package pomf.admin.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import pomf.admin.entity.Ban;
import pomf.admin.entity.DashboardTotals;
import pomf.admin.entity.DnsChange;
import pomf.admin.entity.EdgeTrafficRow;
import pomf.admin.entity.FileDetail;
import pomf.admin.entity.FileRow;
import pomf.admin.entity.NodeBoardRow;
import pomf.admin.entity.NodeStateRow;
import pomf.admin.entity.UploadRow;
import pomf.database.boundary.SchemaMigration;

/**
 * The admin pages' reading, every statement of the feature: native queries for the dashboard and the nodes page,
 * plain JDBC for the file search (its SQL is {@link FileSearchSql}'s, built per request), a file's detail, the ban
 * list and the edges' recorded traffic. All in the caller's transaction. Writes no table; reads
 * {@code traffic_minute}, {@code stored_file}, {@code upload}, {@code banned_hash}, {@code node}, {@code strike},
 * {@code check_result} and {@code dns_change}.
 */
@ApplicationScoped
public class AdminSql {
    private static final String[] EDGE_TRAFFIC_COLUMNS = {
        "requests", "bytes_sent", "hits", "misses", "stale", "revalidated", "bytes_from_origin"
    };

    @PersistenceContext
    EntityManager em;

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource database;

    /** Mbit/s per instance in buckets of {@code bucketMinutes} from {@code from} to {@code to}. */
    public Series bandwidth(OffsetDateTime from, OffsetDateTime to, int bucketMinutes) {
        return series(from, to, bucketMinutes, "sum(bytes_sent) * 8.0 / (?2 * 60) / 1000000");
    }

    /** Requests per second per instance in buckets of {@code bucketMinutes} from {@code from} to {@code to}. */
    public Series requestRates(OffsetDateTime from, OffsetDateTime to, int bucketMinutes) {
        return series(from, to, bucketMinutes, "sum(requests) * 1.0 / (?2 * 60)");
    }

    private Series series(OffsetDateTime from, OffsetDateTime to, int bucketMinutes, String measure) {
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

    /** The dashboard's figures, in four statements. */
    public DashboardTotals totals() {
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
        return new DashboardTotals(
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

    /** Every node with its state, by record and name (the dashboard's list). */
    public List<NodeStateRow> nodeStates() {
        List<?> rows = em.createNativeQuery(
                        "select name, address, state, state_reason, state_since from node order by record, name")
                .getResultList();
        List<NodeStateRow> nodes = new ArrayList<>();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            nodes.add(new NodeStateRow((String) r[0], (String) r[1], (String) r[2], (String) r[3], instant(r[4])));
        }
        return nodes;
    }

    /** Every node with its strikes of the last hour and its last checks, by record and name (the nodes page). */
    public List<NodeBoardRow> nodeBoard() {
        List<?> rows = em.createNativeQuery("select n.name, n.address, n.check_url, n.ssh_port, n.record, n.state,"
                        + " n.state_reason, n.state_since,"
                        + " (select count(*) from strike s where s.node_id = n.id and s.tick > now() - interval '1 hour'),"
                        + " coalesce((select string_agg(c.check_kind || ' ' || c.outcome || ' ' || c.latency_ms || ' ms',"
                        + " ', ' order by c.check_kind) from check_result c where c.node_id = n.id"
                        + " and c.tick = (select max(tick) from check_result where node_id = n.id)"
                        + " and c.witness = (select max(witness) from check_result where node_id = n.id"
                        + " and tick = c.tick)), '')"
                        + " from node n order by n.record, n.name")
                .getResultList();
        List<NodeBoardRow> result = new ArrayList<>();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            result.add(new NodeBoardRow(
                    (String) r[0],
                    (String) r[1],
                    (String) r[2],
                    ((Number) r[3]).intValue(),
                    (String) r[4],
                    (String) r[5],
                    (String) r[6],
                    instant(r[7]),
                    ((Number) r[8]).longValue(),
                    (String) r[9]));
        }
        return result;
    }

    /** Strikes per node per minute from {@code from} to {@code to}. */
    public Series strikesPerMinute(OffsetDateTime from, OffsetDateTime to) {
        Series series = new Series(from, to, 1);
        List<?> rows = em.createNativeQuery("select n.name, date_trunc('minute', s.tick), count(*) from strike s"
                        + " join node n on n.id = s.node_id where s.tick >= ?1 group by 1, 2")
                .setParameter(1, from)
                .getResultList();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            series.put((String) r[0], instant(r[1]), ((Number) r[2]).doubleValue());
        }
        return series;
    }

    /** The DNS changes pending or applied, oldest first. */
    public List<DnsChange> openDnsChanges() {
        List<?> rows = em.createNativeQuery(
                        "select id, record, address, action, state, attempts, last_error, created_at"
                                + " from dns_change where state in ('pending', 'applied') order by id")
                .getResultList();
        List<DnsChange> result = new ArrayList<>();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            result.add(new DnsChange(
                    ((Number) r[0]).longValue(),
                    (String) r[1],
                    (String) r[2],
                    (String) r[3],
                    (String) r[4],
                    ((Number) r[5]).intValue(),
                    (String) r[6],
                    instant(r[7])));
        }
        return result;
    }

    /** Each edge's recorded traffic summed over the last hour, by node name. */
    public List<EdgeTrafficRow> edgeTrafficLastHour() {
        String sums = String.join(
                ", ",
                Arrays.stream(EDGE_TRAFFIC_COLUMNS).map(c -> "sum(" + c + ")").toList());
        try (Connection c = database.getConnection();
                PreparedStatement s = c.prepareStatement("select node, " + sums + " from traffic_minute"
                        + " where role = 'edge' and minute >= now() - interval '1 hour' group by node order by node");
                ResultSet rs = s.executeQuery()) {
            List<EdgeTrafficRow> nodes = new ArrayList<>();
            while (rs.next()) {
                nodes.add(new EdgeTrafficRow(
                        rs.getString(1),
                        rs.getLong(2),
                        rs.getLong(3),
                        rs.getLong(4),
                        rs.getLong(5),
                        rs.getLong(6),
                        rs.getLong(7),
                        rs.getLong(8)));
            }
            return nodes;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the edges' traffic failed", e);
        }
    }

    /** One page of the files matching {@code criteria}, without counting. */
    public List<FileRow> fileRows(FileCriteria criteria, long offset, int limit) {
        try (Connection c = database.getConnection();
                ResultSet rs = query(c, new FileSearchSql(criteria).page(offset, limit))) {
            List<FileRow> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(row(rs));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("file search failed", e);
        }
    }

    /** The number of files matching {@code criteria} up to {@link FileSearchSql#COUNT_CAP} + 1. */
    public long cappedFileCount(FileCriteria criteria) {
        try (Connection c = database.getConnection();
                ResultSet rs = query(c, new FileSearchSql(criteria).cappedCount())) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("file count failed", e);
        }
    }

    /**
     * {@code file} with the oldest {@code maxUploads} uploads of its bytes and its ban's reason (null when not
     * banned), on one connection.
     */
    public FileDetail fileDetail(FileRow file, int maxUploads) {
        try (Connection c = database.getConnection()) {
            List<UploadRow> uploads = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "select u.original_name, u.uploader_address, u.created_at, u.expires_at, f.name from upload u"
                            + " join stored_file f on f.id = u.file_id where f.sha256 = ?"
                            + " order by u.created_at, u.id limit ?")) {
                s.setString(1, file.sha256());
                s.setInt(2, maxUploads);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        uploads.add(new UploadRow(
                                rs.getString(1), rs.getString(2), time(rs, 3), time(rs, 4), rs.getString(5)));
                    }
                }
            }
            String reason = null;
            try (PreparedStatement s = c.prepareStatement(
                    "select coalesce(reason, '') from banned_hash where hash in (?, ?) order by created_at limit 1")) {
                s.setString(1, file.sha1());
                s.setString(2, file.sha256());
                try (ResultSet rs = s.executeQuery()) {
                    reason = rs.next() ? rs.getString(1) : null;
                }
            }
            return new FileDetail(file, reason, uploads);
        } catch (SQLException e) {
            throw new IllegalStateException("file detail failed", e);
        }
    }

    /** The newest {@code max} bans first. */
    public List<Ban> bans(int max) {
        try (Connection c = database.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select hash, reason, created_at from banned_hash order by created_at desc, hash limit ?")) {
            s.setInt(1, max);
            List<Ban> bans = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    bans.add(new Ban(rs.getString(1), rs.getString(2), time(rs, 3)));
                }
            }
            return bans;
        } catch (SQLException e) {
            throw new IllegalStateException("listing bans failed", e);
        }
    }

    private static ResultSet query(Connection c, FileSearchSql.Statement statement) throws SQLException {
        PreparedStatement s = c.prepareStatement(statement.sql());
        s.closeOnCompletion();
        for (int i = 0; i < statement.params().size(); i++) {
            s.setObject(i + 1, statement.params().get(i));
        }
        return s.executeQuery();
    }

    private static FileRow row(ResultSet rs) throws SQLException {
        return new FileRow(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getString(5),
                time(rs, 6),
                rs.getLong(7),
                rs.getString(8),
                rs.getString(9),
                rs.getBoolean(10));
    }

    private static LocalDateTime time(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class);
    }

    private static OffsetDateTime instant(Object value) {
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
