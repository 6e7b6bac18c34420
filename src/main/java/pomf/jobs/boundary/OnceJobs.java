package pomf.jobs.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
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
import java.util.Optional;
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
 * whose {@link #claim} succeeds does the work and {@link #finish}es it. A claim holds a database session (and its
 * advisory lock) for the whole run, so an origin that dies, or is undeployed, mid-run frees the job at once; a long
 * run calls {@link #keep} to learn that it lost its session. This instance's name in {@code job_run} is its host, pid
 * and a random part (a restarted process is another owner), logged once. Outside the caller's transaction: a claim is
 * committed, and seen by the other origins, as it returns.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED)
public class OnceJobs {
    private static final Logger LOG = Logger.getLogger(OnceJobs.class.getName());
    /** How often {@link #keep} asks the database whether the session is still there. */
    static final Duration CHECK_EVERY = Duration.ofSeconds(10);

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    /** The held runs by job, with when their session was last found alive (System.nanoTime). */
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    private record Held(JobsSql.Hold hold, long checkedNanos) {}

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

    /**
     * Gives the sessions of runs still going back as the application stops (they end with it): their jobs are free
     * for the other origins at once, and no pooled connection keeps a lock.
     */
    @PreDestroy
    void stop() {
        for (String job : held.keySet()) {
            Held run = held.remove(job);
            if (run != null) {
                sql.release(run.hold());
                LOG.info(() -> "job " + job + " given up by " + owner + " as the application stops");
            }
        }
    }

    /** This instance's name in {@code job_run}. */
    public String owner() {
        return owner;
    }

    /**
     * Takes the job for this instance when no run of it holds its lock (of any origin, this one's included) and its
     * last start is at least {@code interval} ago (less a small tolerance; {@code 0}: whenever no one runs it), or its
     * last run failed. Logged at FINE when it is not taken.
     *
     * @return whether this instance does the job now; it then calls {@link #finish} however the run ends
     * @throws IllegalArgumentException for a malformed name or interval
     */
    public boolean claim(String job, Duration interval) {
        JobTerms terms = new JobTerms(job, interval);
        try {
            Optional<JobsSql.Hold> hold = sql.claim(terms, owner);
            if (hold.isPresent()) {
                held.put(job, new Held(hold.get(), nanos.getAsLong()));
                return true;
            }
            if (LOG.isLoggable(Level.FINE)) {
                LOG.fine("job " + job + " not taken by " + owner + ": "
                        + sql.read(job).map(Object::toString).orElse("(no row)"));
            }
            return false;
        } catch (SQLException e) {
            throw new IllegalStateException("job " + job + " could not be claimed: " + e.getMessage(), e);
        }
    }

    /**
     * Checks, at most every {@link #CHECK_EVERY}, that the run's database session is still there (cheap to call for
     * every item of a long run).
     *
     * @throws IllegalStateException when the session was lost (the database restarted, or the connection broke): the
     *     job is free for the others, and the run should stop
     */
    public void keep(String job) {
        Held run = held.get(job);
        if (run == null) {
            throw new IllegalStateException("job " + job + " is not claimed by " + owner);
        }
        long now = nanos.getAsLong();
        if (now - run.checkedNanos() < CHECK_EVERY.toNanos()) {
            return;
        }
        if (!sql.alive(run.hold())) {
            held.remove(job);
            sql.release(run.hold());
            throw new IllegalStateException("job " + job + " lost the database session that held it, so another"
                    + " instance may run it; " + owner + " stops it");
        }
        held.put(job, new Held(run.hold(), now));
    }

    /**
     * Notes the end of a claimed run and frees the job. A failure ({@code error} not null) does not count as a run:
     * the next claim of any instance may take the job at once.
     */
    public void finish(String job, Throwable error) {
        Held run = held.remove(job);
        if (run == null) {
            return; // keep() found the session lost and said so
        }
        try {
            if (!sql.finish(run.hold(), owner, error == null ? null : error.toString())) {
                LOG.warning(() -> "job " + job + " ended on " + owner
                        + " after its session was lost and another instance had taken it over");
            }
        } catch (SQLException e) {
            // The lock went with the session: the job is free, and its run counts as not done.
            LOG.log(Level.WARNING, "the end of job " + job + " could not be noted; it runs again at the next claim", e);
        }
    }

    /** For tests: the server process of the session holding {@code job}'s run, or -1. */
    int session(String job) {
        Held run = held.get(job);
        return run == null ? -1 : run.hold().backendPid();
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
