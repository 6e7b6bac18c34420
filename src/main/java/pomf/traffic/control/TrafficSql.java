package pomf.traffic.control;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import pomf.traffic.entity.Batch;
import pomf.traffic.entity.FileHourRow;
import pomf.traffic.entity.MinuteRow;

/**
 * Every statement of the traffic records, on a connection inside the caller's transaction. A batch writes its id
 * first (a batch seen before writes nothing), then its rows as JDBC batches of upserts that add to what a row already
 * holds; retention makes monthly partitions ahead and drops those past their months.
 *
 * <p>Writes {@code traffic_batch}, {@code traffic_minute}, {@code file_traffic_hour}, and the monthly partitions of
 * those two and of {@code check_result} (made and dropped, never written row by row here).
 */
public final class TrafficSql {
    private static final String BATCH =
            "insert into traffic_batch (node, batch_id) values (?, ?) on conflict do nothing";
    private static final String MINUTE = "insert into traffic_minute (node, role, minute, requests, bytes_sent,"
            + " status_2xx, status_3xx, status_4xx, status_5xx, hits, misses, stale, revalidated, bytes_from_origin)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (node, role, minute) do update set"
            + " requests = traffic_minute.requests + excluded.requests,"
            + " bytes_sent = traffic_minute.bytes_sent + excluded.bytes_sent,"
            + " status_2xx = traffic_minute.status_2xx + excluded.status_2xx,"
            + " status_3xx = traffic_minute.status_3xx + excluded.status_3xx,"
            + " status_4xx = traffic_minute.status_4xx + excluded.status_4xx,"
            + " status_5xx = traffic_minute.status_5xx + excluded.status_5xx,"
            + " hits = traffic_minute.hits + excluded.hits,"
            + " misses = traffic_minute.misses + excluded.misses,"
            + " stale = traffic_minute.stale + excluded.stale,"
            + " revalidated = traffic_minute.revalidated + excluded.revalidated,"
            + " bytes_from_origin = traffic_minute.bytes_from_origin + excluded.bytes_from_origin";
    private static final String FILE = "insert into file_traffic_hour (file_name, node, hour, requests, bytes_sent)"
            + " values (?, ?, ?, ?, ?) on conflict (file_name, node, hour) do update set"
            + " requests = file_traffic_hour.requests + excluded.requests,"
            + " bytes_sent = file_traffic_hour.bytes_sent + excluded.bytes_sent";

    /** Instances sharing the database take turns at retention: the key of their transaction-scoped advisory lock. */
    private static final long RETENTION_LOCK = 0x706f6d6652657465L; // "pomfRete"

    private TrafficSql() {}

    /** What a retention run did: partitions made, partitions dropped, batch ids forgotten. */
    public record Retained(List<String> created, List<String> dropped, long batchIdsDeleted) {}

    /**
     * Makes the partitions of {@code month} and the {@code monthsAhead - 1} months after it, drops months past
     * retention ({@code keepMonths} of traffic, {@code keepCheckMonths} of check results before {@code month}), and
     * forgets batch ids older than a week; waits for another instance's run first.
     */
    public static Retained retain(Connection c, LocalDate month, int monthsAhead, int keepMonths, int keepCheckMonths)
            throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
            lock.setLong(1, RETENTION_LOCK);
            lock.executeQuery().close();
        }
        List<String> created = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (String table : List.of("traffic_minute", "file_traffic_hour", "check_result")) {
            for (int i = 0; i < monthsAhead; i++) {
                ensure(c, table, month.plusMonths(i), created);
            }
            int keep = table.equals("check_result") ? keepCheckMonths : keepMonths;
            dropped.addAll(
                    strings(c, "select * from pomf_drop_month_partitions(?, ?)", table, month.minusMonths(keep)));
        }
        try (PreparedStatement delete =
                c.prepareStatement("delete from traffic_batch where received_at < now() - interval '7 days'")) {
            return new Retained(created, dropped, delete.executeUpdate());
        }
    }

    private static void ensure(Connection c, String table, LocalDate month, List<String> created) throws SQLException {
        String child = String.format("%s_%04d_%02d", table, month.getYear(), month.getMonthValue());
        if (strings(c, "select to_regclass(?)::text", child, null).get(0) == null) {
            created.addAll(strings(c, "select pomf_ensure_month_partition(?, ?)", table, month));
        }
    }

    private static List<String> strings(Connection c, String sql, String text, LocalDate date) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, text);
            if (date != null) {
                statement.setObject(2, date);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        }
    }

    /** @return false when the batch had been written before (nothing was written now) */
    public static boolean write(Connection connection, Batch batch) throws SQLException {
        try (PreparedStatement claim = connection.prepareStatement(BATCH)) {
            claim.setString(1, batch.node());
            claim.setObject(2, batch.id());
            if (claim.executeUpdate() == 0) {
                return false;
            }
        }
        ensurePartitions(connection, batch);
        if (!batch.minutes().isEmpty()) {
            try (PreparedStatement upsert = connection.prepareStatement(MINUTE)) {
                for (MinuteRow row : batch.minutes()) {
                    upsert.setString(1, batch.node());
                    upsert.setString(2, row.role());
                    upsert.setObject(3, utc(row.minute()));
                    long[] counts = row.counts();
                    for (int i = 0; i < counts.length; i++) {
                        upsert.setLong(4 + i, counts[i]);
                    }
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        }
        if (!batch.files().isEmpty()) {
            try (PreparedStatement upsert = connection.prepareStatement(FILE)) {
                for (FileHourRow row : batch.files()) {
                    upsert.setString(1, row.fileName());
                    upsert.setString(2, batch.node());
                    upsert.setObject(3, utc(row.hour()));
                    upsert.setLong(4, row.requests());
                    upsert.setLong(5, row.bytesSent());
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        }
        return true;
    }

    /**
     * A late batch may fall in a month whose partition the schedule has not made (a database created this month):
     * without one the insert fails, and the batch would be retried forever.
     */
    private static void ensurePartitions(Connection connection, Batch batch) throws SQLException {
        Set<LocalDate> minuteMonths = new TreeSet<>();
        batch.minutes().forEach(r -> minuteMonths.add(month(r.minute())));
        Set<LocalDate> hourMonths = new TreeSet<>();
        batch.files().forEach(r -> hourMonths.add(month(r.hour())));
        try (PreparedStatement ensure = connection.prepareStatement("select pomf_ensure_month_partition(?, ?)")) {
            for (LocalDate m : minuteMonths) {
                ensure(ensure, "traffic_minute", m);
            }
            for (LocalDate m : hourMonths) {
                ensure(ensure, "file_traffic_hour", m);
            }
        }
    }

    private static void ensure(PreparedStatement ensure, String table, LocalDate month) throws SQLException {
        ensure.setString(1, table);
        ensure.setObject(2, month);
        ensure.executeQuery().close();
    }

    static LocalDate month(long epochSeconds) {
        return LocalDate.ofInstant(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC)
                .withDayOfMonth(1);
    }

    private static OffsetDateTime utc(long epochSeconds) {
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
    }
}
