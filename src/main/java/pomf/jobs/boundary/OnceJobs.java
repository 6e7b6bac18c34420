package pomf.jobs.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import pomf.database.boundary.SchemaMigration;
import pomf.jobs.control.JobTerms;
import pomf.jobs.control.JobsSql;

/**
 * Lets one of several origins on one database do a job per interval: every origin's timer still fires, and the one
 * whose {@link #claim} succeeds does the work, {@link #keep}s its lease while it runs long, and {@link #finish}es it.
 * This instance's name in {@code job_run} is its host, pid and a random part (a restarted process is another owner),
 * logged once. Outside the caller's transaction: a claim is committed, and seen by the other origins, as it returns.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED)
public class OnceJobs {
    private static final Logger LOG = Logger.getLogger(OnceJobs.class.getName());

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    /** When a held lease was last made or renewed (System.nanoTime), and its length, by job. */
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    private record Held(Duration lease, long renewedNanos) {}

    LongSupplier nanos = System::nanoTime;
    private String owner;
    private JobsSql sql;

    @PostConstruct
    void start() {
        start(instanceName());
        LOG.info(() -> "jobs that several origins do once per interval are claimed in job_run as " + owner);
    }

    /** For tests: this bean as the owner {@code name}, over {@code dataSource}. */
    void start(String name) {
        owner = name;
        sql = new JobsSql(dataSource);
    }

    /** This instance's name in {@code job_run}. */
    public String owner() {
        return owner;
    }

    /**
     * Takes the job for this instance when no instance holds a live lease on it and its last start is at least
     * {@code interval} ago (less a small tolerance; {@code 0}: whenever no one runs it), or its last run failed.
     * Logged at FINE when another instance has it.
     *
     * @param lease how long the job is this instance's unless {@link #keep} renews it: what a crash delays it by
     * @return whether this instance does the job now; it then calls {@link #finish} however the run ends
     * @throws IllegalArgumentException for a malformed name, interval or lease
     */
    public boolean claim(String job, Duration interval, Duration lease) {
        JobTerms terms = new JobTerms(job, interval, lease);
        long now = nanos.getAsLong();
        try {
            if (sql.claim(terms, owner)) {
                held.put(job, new Held(lease, now));
                return true;
            }
            if (LOG.isLoggable(Level.FINE)) {
                LOG.fine("job " + job + " skipped by " + owner + ": "
                        + sql.read(job).map(Object::toString).orElse("(no row)"));
            }
            return false;
        } catch (SQLException e) {
            throw new IllegalStateException("job " + job + " could not be claimed: " + e.getMessage(), e);
        }
    }

    /**
     * Renews the lease of a claimed job once a quarter of it has passed since it was made or last renewed (cheap to
     * call for every item of a long run).
     *
     * @throws IllegalStateException when the job is not this instance's any more (its lease ran out and another
     *     instance claimed it): the run should stop
     */
    public void keep(String job) {
        Held claim = held.get(job);
        if (claim == null) {
            throw new IllegalStateException("job " + job + " is not claimed by " + owner);
        }
        long now = nanos.getAsLong();
        if (now - claim.renewedNanos() < claim.lease().toNanos() / 4) {
            return;
        }
        try {
            if (!sql.renew(job, owner, claim.lease())) {
                held.remove(job);
                throw new IllegalStateException("job " + job + " was taken over by another instance after the lease of "
                        + owner + " ran out; " + owner + " stops it");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the lease of job " + job + " could not be renewed: " + e.getMessage(), e);
        }
        held.put(job, new Held(claim.lease(), now));
    }

    /**
     * Notes the end of a claimed run and releases the job. A failure ({@code error} not null) does not count as a
     * run: the next claim of any instance may take the job at once.
     */
    public void finish(String job, Throwable error) {
        held.remove(job);
        try {
            if (!sql.finish(job, owner, error == null ? null : error.toString())) {
                LOG.warning(() -> "job " + job + " ended on " + owner
                        + " after another instance had taken it over (the lease ran out)");
            }
        } catch (SQLException e) {
            // The lease ends by itself: the job is taken again after it, not lost.
            LOG.log(Level.WARNING, "the end of job " + job + " could not be noted; its lease will run out", e);
        }
    }

    /** The job's row, for tests and the logs. */
    JobsSql.JobRun state(String job) throws SQLException {
        return sql.read(job).orElse(null);
    }

    private static String instanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = ManagementFactory.getRuntimeMXBean().getName().replaceAll("^\\d+@", "");
        }
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        return host + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random);
    }
}
