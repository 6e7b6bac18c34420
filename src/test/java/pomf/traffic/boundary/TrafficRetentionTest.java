package pomf.traffic.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pomf.it.deployments.StandIn;
import pomf.jobs.boundary.JobsStandIn;

/**
 * The retention timer's claims among several instances ({@link JobsStandIn}): the run at startup with no interval
 * (every instance makes sure of its partitions when it starts, as a lone one did), the daily ones for a day; a run
 * is done only when claimed. The partitions' statements are {@code TrafficIT}'s.
 */
class TrafficRetentionTest {
    private final TrafficRetention retention = new TrafficRetention();
    private final JobsStandIn jobs = new JobsStandIn();
    private final List<String> connections = new ArrayList<>();

    @BeforeEach
    void wire() {
        retention.jobs = jobs;
        // The run's first step: the database is away, so a run that happens fails there (and says so).
        retention.dataSource = StandIn.of(DataSource.class, (method, args) -> {
            connections.add(method);
            throw unchecked(new SQLException("Connection refused", "08001"));
        });
    }

    @Test
    void theRunAtStartupIsClaimedWithNoIntervalAndTheDailyOnesForADay() {
        jobs.elsewhere.add(TrafficRetention.JOB);

        retention.daily();
        retention.daily();

        assertThat(jobs.calls).containsExactly("claim traffic-retention PT0S", "claim traffic-retention PT24H");
        assertThat(connections).as("another instance runs it").isEmpty();
    }

    @Test
    void theInstanceThatClaimsTheRunDoesItAndNotesHowItEnded() {
        assertThatThrownBy(retention::daily).hasMessageContaining("Connection refused");

        assertThat(connections).containsExactly("getConnection");
        assertThat(jobs.calls)
                .containsExactly(
                        "claim traffic-retention PT0S",
                        "finish traffic-retention: traffic partitions and retention: Connection refused");
    }

    /** Throws {@code e} from a stand-in, whose method declares it (getConnection throws SQLException). */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException unchecked(Throwable e) throws E {
        throw (E) e;
    }
}
