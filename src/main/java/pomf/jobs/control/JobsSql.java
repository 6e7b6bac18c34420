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
 * Every statement of the jobs feature; it writes {@code job_run} and reads nothing else. A claim takes a session-level
 * advisory lock on its own connection and keeps that connection (a {@link Hold}) until the run ends: the lock, not
 * the row, keeps two origins from running a job at once, and PostgreSQL drops it with the session, so a dead origin
 * (killed, crashed, undeployed, or cut off: keepalives find that out within about a minute) holds nothing. The row
 * keeps the spacing of starts: every statement commits as it returns (the caller runs outside any transaction of its
 * own). Times are the database's {@code now()}: the origins' clocks play no part.
 */
public class JobsSql {
    private static final int MAX_ERROR = 2000;
    /** The first key of the jobs' advisory locks ("pomf"); the second is the hash of the job's name. */
    private static final int LOCKS = 0x706f6d66;
    /** TCP keepalive of a holding session, in seconds: an origin cut off from the database loses its jobs in 60 s. */
    private static final String KEEPALIVES = "select set_config('tcp_keepalives_idle', '30', false),"
            + " set_config('tcp_keepalives_interval', '10', false), set_config('tcp_keepalives_count', '3', false)";

    private final DataSource dataSource;

    /** A row of {@code job_run}, as a log line or a test reads it. */
    public record JobRun(
            String job,
            String owner,
            Instant runningSince,
            Instant lastStarted,
            Instant lastFinished,
            String lastError) {}

    /** A claimed job: the connection whose session holds the job's lock, and that session's server process. */
    public record Hold(String job, Connection connection, int backendPid) {}

    public JobsSql(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Claims the job for {@code owner} when no session holds its lock and its last start is at least the terms'
     * spacing ago, or its last run failed or died unfinished (neither counts as a run: the next tick of any origin
     * tries again; a row still "running" whose lock is free is a run whose origin died).
     *
     * @return the hold, to {@link #finish} however the run ends; empty when another run holds it or it is not due
     */
    public Optional<Hold> claim(JobTerms terms, String owner) throws SQLException {
        Connection c = dataSource.getConnection();
        boolean locked = false;
        try {
            int pid;
            try (PreparedStatement lock =
                    c.prepareStatement("select pg_try_advisory_lock(?, hashtext(?)), pg_backend_pid()")) {
                lock.setInt(1, LOCKS);
                lock.setString(2, terms.job());
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    locked = rs.getBoolean(1);
                    pid = rs.getInt(2);
                }
            }
            if (!locked) {
                c.close();
                return Optional.empty();
            }
            int claimed;
            try (PreparedStatement claim = c.prepareStatement("insert into job_run as j"
                    + " (name, owner, running_since, last_started) values (?, ?, now(), now())"
                    + " on conflict (name) do update set owner = excluded.owner,"
                    + " running_since = excluded.running_since, last_started = excluded.last_started"
                    + " where j.last_error is not null or j.running_since is not null"
                    + " or j.last_started <= now() - make_interval(secs => ?)")) {
                claim.setString(1, terms.job());
                claim.setString(2, owner);
                claim.setDouble(3, seconds(terms.spacing()));
                claimed = claim.executeUpdate();
            }
            if (claimed != 1) {
                release(new Hold(terms.job(), c, pid));
                return Optional.empty();
            }
            try (PreparedStatement keepalive = c.prepareStatement(KEEPALIVES)) {
                keepalive.execute();
            }
            return Optional.of(new Hold(terms.job(), c, pid));
        } catch (SQLException | RuntimeException e) {
            if (locked) {
                release(new Hold(terms.job(), c, -1));
            } else {
                closeQuietly(c);
            }
            throw e;
        }
    }

    /** Whether the hold's session is still there (a round trip): when it is not, its lock is gone with it. */
    public boolean alive(Hold hold) {
        try {
            return hold.connection().isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Notes the end of the held run ({@code error} null when it went well) and ends the hold. False when the session
     * had been lost and another owner took the job over meanwhile: its row is left alone.
     */
    public boolean finish(Hold hold, String owner, String error) throws SQLException {
        try (PreparedStatement finish = hold.connection()
                .prepareStatement("update job_run"
                        + " set running_since = null, last_finished = now(), last_error = ?"
                        + " where name = ? and owner = ? and running_since is not null")) {
            finish.setString(1, error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR));
            finish.setString(2, hold.job());
            finish.setString(3, owner);
            return finish.executeUpdate() == 1;
        } finally {
            release(hold);
        }
    }

    /**
     * Unlocks and gives the connection back. A connection that cannot unlock is broken, and its session (with the
     * lock) is gone; the pool finds it broken.
     */
    public void release(Hold hold) {
        try (PreparedStatement unlock =
                hold.connection().prepareStatement("select pg_advisory_unlock(?, hashtext(?))")) {
            unlock.setInt(1, LOCKS);
            unlock.setString(2, hold.job());
            unlock.execute();
        } catch (SQLException e) {
            // The session is gone, and its lock with it.
        } finally {
            closeQuietly(hold.connection());
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // Nothing more to give back.
        }
    }

    /** The job's row, if it ever ran. */
    public Optional<JobRun> read(String job) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement read = c.prepareStatement("select owner, running_since, last_started,"
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
