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
import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.logging.Logger;
import javax.sql.DataSource;
import pomf.database.boundary.SchemaMigration;
import pomf.jobs.boundary.OnceJobs;
import pomf.roles.control.Roles;
import pomf.traffic.control.TrafficSettings;
import pomf.traffic.control.TrafficSql;

/**
 * Monthly partitions of the big tables: the current and the next two months made ahead, months past retention
 * dropped whole, at startup and daily. Instances sharing the database take turns (a transaction-scoped advisory
 * lock), so two never create or drop the same partition at once; and the daily run is claimed through {@link
 * OnceJobs}, so of several instances one does it a day. The run at startup is claimed with no interval: every
 * instance still makes sure of its partitions when it starts, as a lone one always did, just never two at once.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
public class TrafficRetention {
    private static final Logger LOG = Logger.getLogger(TrafficRetention.class.getName());
    private static final long DAY_MILLIS = 86_400_000L;
    private static final int MONTHS_AHEAD = 3;
    /** The daily run's name in {@code job_run}. */
    static final String JOB = "traffic-retention";

    @Resource
    TimerService timers;

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    @Inject
    Roles roles;

    @Inject
    TrafficSettings settings;

    @Inject
    OnceJobs jobs;

    /** Whether the run at startup was tried (the timer's first expiry); later ones are the daily runs. */
    private boolean startedOnce;

    @PostConstruct
    void schedule() {
        if (roles.usesDatabase()) {
            // The first run right after startup, in its own transaction (not inside the deployment).
            timers.createIntervalTimer(1, DAY_MILLIS, new TimerConfig("traffic-retention", false));
        }
    }

    @Timeout
    void daily() {
        Duration interval = startedOnce ? Duration.ofMillis(DAY_MILLIS) : Duration.ZERO;
        startedOnce = true;
        if (!jobs.claim(JOB, interval)) {
            return; // another instance runs it, now (the partitions are the database's: that run is this one's too)
        }
        RuntimeException failure = null;
        try {
            run();
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            jobs.finish(JOB, failure);
        }
    }

    /** Makes and drops partitions now; what it did, as the admin API shows it. */
    public JsonObject run() {
        LocalDate month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        TrafficSql.Retained done;
        try (Connection c = dataSource.getConnection()) {
            done = TrafficSql.retain(
                    c, month, MONTHS_AHEAD, settings.retentionMonths(), settings.checkRetentionMonths());
        } catch (SQLException e) {
            throw new IllegalStateException("traffic partitions and retention: " + e.getMessage(), e);
        }
        if (!done.created().isEmpty() || !done.dropped().isEmpty()) {
            LOG.info(() -> "partitions created: " + done.created() + "; dropped past retention: " + done.dropped());
        }
        return Json.createObjectBuilder()
                .add("created", Json.createArrayBuilder(done.created()))
                .add("dropped", Json.createArrayBuilder(done.dropped()))
                .add("batchIdsDeleted", done.batchIdsDeleted())
                .build();
    }
}
