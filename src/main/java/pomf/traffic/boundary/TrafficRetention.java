package pomf.traffic.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;
import pomf.database.boundary.SchemaMigration;
import pomf.roles.control.Roles;
import pomf.traffic.control.TrafficSettings;

/**
 * Monthly partitions of the big tables: the current and the next two months made ahead, months past retention
 * dropped whole, at startup and daily. Instances sharing the database take turns (a transaction-scoped advisory
 * lock), so two never create or drop the same partition at once.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
public class TrafficRetention {
    private static final Logger LOG = Logger.getLogger(TrafficRetention.class.getName());
    private static final long LOCK = 0x706f6d6652657465L; // "pomfRete"
    private static final long DAY_MILLIS = 86_400_000L;
    private static final int MONTHS_AHEAD = 3;

    @Resource
    TimerService timers;

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    @Inject
    Roles roles;

    @Inject
    TrafficSettings settings;

    @PostConstruct
    void schedule() {
        if (roles.usesDatabase()) {
            // The first run right after startup, in its own transaction (not inside the deployment).
            timers.createIntervalTimer(1, DAY_MILLIS, new TimerConfig("traffic-retention", false));
        }
    }

    @Timeout
    void daily() {
        run();
    }

    public JsonObject run() {
        LocalDate month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        List<String> created = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        long batches;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
                lock.setLong(1, LOCK);
                lock.executeQuery().close();
            }
            for (String table : List.of("traffic_minute", "file_traffic_hour", "check_result")) {
                for (int i = 0; i < MONTHS_AHEAD; i++) {
                    ensure(c, table, month.plusMonths(i), created);
                }
                int keep = table.equals("check_result") ? settings.checkRetentionMonths() : settings.retentionMonths();
                dropped.addAll(
                        strings(c, "select * from pomf_drop_month_partitions(?, ?)", table, month.minusMonths(keep)));
            }
            try (PreparedStatement delete =
                    c.prepareStatement("delete from traffic_batch where received_at < now() - interval '7 days'")) {
                batches = delete.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("traffic partitions and retention: " + e.getMessage(), e);
        }
        if (!created.isEmpty() || !dropped.isEmpty()) {
            LOG.info(() -> "partitions created: " + created + "; dropped past retention: " + dropped);
        }
        JsonArrayBuilder c = Json.createArrayBuilder(created);
        return Json.createObjectBuilder()
                .add("created", c)
                .add("dropped", Json.createArrayBuilder(dropped))
                .add("batchIdsDeleted", batches)
                .build();
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
}
