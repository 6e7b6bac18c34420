package pomf.jobs.boundary;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link OnceJobs} for unit tests of the jobs' users, without a database: a claim succeeds unless the job is running
 * here or {@link #elsewhere} (held by another origin), and every call is noted. The claim's own rules (intervals,
 * sessions, races) are {@code OnceJobsTest}'s, on a real PostgreSQL.
 */
public class JobsStandIn extends OnceJobs {
    /** The calls in order: {@code claim <job> <interval>}, {@code keep <job>}, {@code finish <job>[: <error>]}. */
    public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    /** Jobs another origin holds: claims of them fail. */
    public final Set<String> elsewhere = ConcurrentHashMap.newKeySet();

    private final Set<String> running = ConcurrentHashMap.newKeySet();

    @Override
    public String owner() {
        return "stand-in";
    }

    @Override
    public boolean claim(String job, Duration interval) {
        calls.add("claim " + job + " " + interval);
        return !elsewhere.contains(job) && running.add(job);
    }

    @Override
    public void keep(String job) {
        if (!running.contains(job)) {
            throw new AssertionError("keep of job " + job + ", which is not claimed");
        }
        if (calls.isEmpty() || !calls.get(calls.size() - 1).equals("keep " + job)) {
            calls.add("keep " + job); // a run of keeps noted once
        }
    }

    @Override
    public void finish(String job, Throwable error) {
        if (!running.remove(job)) {
            throw new AssertionError("finish of job " + job + ", which is not claimed");
        }
        calls.add("finish " + job + (error == null ? "" : ": " + error.getMessage()));
    }

    /** The calls of one job, in order. */
    public List<String> of(String job) {
        synchronized (calls) {
            return calls.stream()
                    .filter(c -> c.split(" ")[1].replaceFirst(":$", "").equals(job))
                    .toList();
        }
    }
}
