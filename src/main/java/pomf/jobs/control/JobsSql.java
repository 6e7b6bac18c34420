package pomf.jobs.control;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Every statement of the jobs feature; it writes {@code job_run} and reads nothing else. Each is one statement on
 * its own connection, committed as it returns (the caller runs it outside any transaction of its own, so a claim is
 * seen by the other origins at once). Times are the database's {@code now()}: the origins' clocks play no part.
 */
public class JobsSql {
    private static final int MAX_ERROR = 2000;
    private final DataSource dataSource;

    /** A row of {@code job_run}, as a log line or a test reads it. */
    public record JobRun(
            String job,
            String owner,
            Instant claimedUntil,
            Instant lastStarted,
            Instant lastFinished,
            String lastError) {}

    public JobsSql(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Claims the job for {@code owner} when no owner holds a live lease and its last start is at least the terms'
     * spacing ago, or its last run failed (a failure does not count: the next tick of any origin tries again). One
     * statement: of two origins claiming at once, the second waits for the first's row and then finds it taken.
     *
     * @return whether {@code owner} has it now, until the lease ends or {@link #finish}
     */
    public boolean claim(JobTerms terms, String owner) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement claim = c.prepareStatement("insert into job_run as j"
                        + " (name, owner, claimed_until, last_started)"
                        + " values (?, ?, now() + make_interval(secs => ?), now())"
                        + " on conflict (name) do update set owner = excluded.owner,"
                        + " claimed_until = excluded.claimed_until, last_started = excluded.last_started"
                        + " where (j.claimed_until is null or j.claimed_until <= now())"
                        + " and (j.last_error is not null or j.last_started <= now() - make_interval(secs => ?))")) {
            claim.setString(1, terms.job());
            claim.setString(2, owner);
            claim.setDouble(3, seconds(terms.lease()));
            claim.setDouble(4, seconds(terms.spacing()));
            return claim.executeUpdate() == 1;
        }
    }

    /** Moves the end of {@code owner}'s lease to {@code lease} from now; false when the job is no longer its own. */
    public boolean renew(String job, String owner, Duration lease) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement renew = c.prepareStatement("update job_run"
                        + " set claimed_until = now() + make_interval(secs => ?)"
                        + " where name = ? and owner = ? and claimed_until is not null")) {
            renew.setDouble(1, seconds(lease));
            renew.setString(2, job);
            renew.setString(3, owner);
            return renew.executeUpdate() == 1;
        }
    }

    /**
     * Notes the end of {@code owner}'s run ({@code error} null when it went well) and releases the lease; false when
     * another owner had taken the job over meanwhile, whose row it leaves alone.
     */
    public boolean finish(String job, String owner, String error) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement finish = c.prepareStatement("update job_run"
                        + " set claimed_until = null, last_finished = now(), last_error = ?"
                        + " where name = ? and owner = ? and claimed_until is not null")) {
            finish.setString(1, error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR));
            finish.setString(2, job);
            finish.setString(3, owner);
            return finish.executeUpdate() == 1;
        }
    }

    /** The job's row, if it ever ran. */
    public Optional<JobRun> read(String job) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement read = c.prepareStatement("select owner, claimed_until, last_started,"
                        + " last_finished, last_error from job_run where name = ?")) {
            read.setString(1, job);
            try (ResultSet rs = read.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new JobRun(
                        job,
                        rs.getString(1),
                        instant(rs.getTimestamp(2)),
                        instant(rs.getTimestamp(3)),
                        instant(rs.getTimestamp(4)),
                        rs.getString(5)));
            }
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
