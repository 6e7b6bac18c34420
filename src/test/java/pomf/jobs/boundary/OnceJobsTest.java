package pomf.jobs.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pomf.it.deployments.MigratedDatabase;
import pomf.jobs.control.JobsSql.JobRun;

/**
 * Two origins on one real PostgreSQL (two {@link OnceJobs} of different owners over one data source), claiming the
 * same jobs from several threads at once: the session's advisory lock and the row decide, and the database's clock.
 * An origin's death is its session's end ({@code pg_terminate_backend}), as a kill or a cut connection ends it.
 */
class OnceJobsTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final int THREADS_PER_ORIGIN = 6;

    private final OnceJobs a = origin("origin-a");
    private final OnceJobs b = origin("origin-b");
    /** The test's own job name: tests share the database. */
    private String job = "test-" + UUID.randomUUID().toString().substring(0, 8);

    private ExecutorService pool;

    private static OnceJobs origin(String owner) {
        OnceJobs jobs = new OnceJobs();
        jobs.dataSource = MigratedDatabase.dataSource();
        jobs.start(owner);
        return jobs;
    }

    @BeforeEach
    void threads() {
        pool = Executors.newFixedThreadPool(2 * THREADS_PER_ORIGIN);
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** Every thread of both origins claims at one moment; the owners of the claims that succeeded. */
    private List<String> race(Duration interval) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2 * THREADS_PER_ORIGIN);
        List<Future<String>> claims = new ArrayList<>();
        for (int i = 0; i < 2 * THREADS_PER_ORIGIN; i++) {
            OnceJobs origin = i % 2 == 0 ? a : b;
            claims.add(pool.submit(() -> {
                start.await();
                return origin.claim(job, interval) ? origin.owner() : null;
            }));
        }
        List<String> winners = new ArrayList<>();
        for (Future<String> claim : claims) {
            String winner = claim.get();
            if (winner != null) {
                winners.add(winner);
            }
        }
        return winners;
    }

    @Test
    void ofTwoOriginsRacingFromManyThreadsExactlyOneWinsPerInterval() throws Exception {
        Duration interval = Duration.ofSeconds(2);

        List<String> first = race(interval);
        assertThat(first).hasSize(1);
        (first.get(0).equals(a.owner()) ? a : b).finish(job, null);

        assertThat(race(interval))
                .as("within the interval, after the run ended")
                .isEmpty();

        Thread.sleep(interval.toMillis());
        List<String> next = race(interval);
        assertThat(next).as("the next interval").hasSize(1);
        JobRun row = a.state(job);
        assertThat(row.owner()).isEqualTo(next.get(0));
        assertThat(row.runningSince()).isEqualTo(row.lastStarted());
    }

    @Test
    void everyRaceForANewJobHasExactlyOneWinner() throws Exception {
        // The first claim of a job inserts its row: the racers meet on the primary key, not on an existing row.
        for (int round = 0; round < 10; round++) {
            job = "test-" + UUID.randomUUID().toString().substring(0, 8);
            assertThat(race(Duration.ZERO)).as("round %d", round).hasSize(1);
        }
    }

    @Test
    void whileOneOriginRunsTheJobNoOtherClaimSucceedsWhateverTheInterval() throws Exception {
        assertThat(a.claim(job, Duration.ZERO)).isTrue();

        assertThat(race(Duration.ZERO)).as("not even by its own owner").isEmpty();

        a.finish(job, null);
        assertThat(race(Duration.ZERO))
                .as("interval zero: again as soon as it ended")
                .hasSize(1);
    }

    @Test
    void timersFiringAtDifferentMomentsRunTheJobOncePerInterval() throws Exception {
        // Origin a's timer fires at 0, 1, 2, 3 s; origin b's half a second later each time.
        Duration interval = Duration.ofSeconds(1);
        List<Instant> starts = new ArrayList<>();
        long begin = System.nanoTime();
        for (int tick = 0; tick < 8; tick++) {
            long due = begin + tick * 500_000_000L;
            Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
            OnceJobs origin = tick % 2 == 0 ? a : b;
            if (origin.claim(job, interval)) {
                starts.add(origin.state(job).lastStarted());
                origin.finish(job, null);
            }
        }

        assertThat(starts).as("8 ticks in 4 s of two origins, interval 1 s").hasSizeBetween(3, 4);
        for (int i = 1; i < starts.size(); i++) {
            assertThat(Duration.between(starts.get(i - 1), starts.get(i)))
                    .as("between two starts: the interval less its tolerance (0.1 s)")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
    }

    /** Ends the session holding {@code origin}'s run of the job, as the origin's death would. */
    private void kill(OnceJobs origin) throws SQLException {
        int pid = origin.session(job);
        assertThat(pid).as("a session holds the run").isPositive();
        try (Connection c = MigratedDatabase.dataSource().getConnection();
                PreparedStatement end = c.prepareStatement("select pg_terminate_backend(?)")) {
            end.setInt(1, pid);
            end.execute();
        }
    }

    @Test
    void anOriginThatDiesHoldingTheJobLosesItAtOnceAndItsRunDoesNotCount() throws Exception {
        assertThat(a.claim(job, HOUR)).isTrue();
        assertThat(b.claim(job, Duration.ZERO)).isFalse();

        kill(a);
        await().atMost(Duration.ofSeconds(5)).until(() -> b.claim(job, HOUR));
        JobRun row = b.state(job);
        assertThat(row.owner())
                .as("an hour's interval, but a's run never ended")
                .isEqualTo("origin-b");

        // Were a only cut off, not dead: it learns it lost the job, and its end leaves b's run alone.
        a.nanos = () -> System.nanoTime() + HOUR.toNanos();
        assertThatThrownBy(() -> a.keep(job)).hasMessageContaining("lost the database session");
        a.finish(job, null);
        row = a.state(job);
        assertThat(row.owner()).isEqualTo("origin-b");
        assertThat(row.runningSince()).isNotNull();
        assertThat(row.lastFinished()).isNull();
        b.finish(job, null);
        assertThat(a.claim(job, HOUR)).as("b's run counts").isFalse();
    }

    @Test
    void anApplicationThatStopsGivesItsRunningJobsUp() throws Exception {
        assertThat(a.claim(job, HOUR)).isTrue();
        assertThat(b.claim(job, Duration.ZERO)).isFalse();

        a.stop();
        assertThat(b.claim(job, Duration.ZERO)).isTrue();
        assertThatThrownBy(() -> a.keep(job)).hasMessage("job " + job + " is not claimed by origin-a");
    }

    @Test
    void aLongRunKeepsTheJobWhileItsSessionLives() throws Exception {
        assertThat(a.claim(job, Duration.ZERO)).isTrue();
        long begin = System.nanoTime();
        a.nanos = () -> begin + 1000 * (System.nanoTime() - begin); // 30 ms are 30 s: more than CHECK_EVERY
        long end = begin + 1_000_000_000L;
        while (System.nanoTime() < end) {
            a.keep(job); // with a's clock sped up, it asks the database each time
            assertThat(b.claim(job, Duration.ZERO)).isFalse();
            Thread.sleep(30);
        }

        a.finish(job, null);
        assertThat(b.claim(job, Duration.ZERO)).isTrue();
    }

    @Test
    void finishNotesTheErrorAndAFailedRunDoesNotCountAsOne() throws Exception {
        assertThat(a.claim(job, HOUR)).isTrue();
        a.finish(job, new IllegalStateException("the disk went away"));

        JobRun failed = a.state(job);
        assertThat(failed.lastError()).isEqualTo("java.lang.IllegalStateException: the disk went away");
        assertThat(failed.runningSince()).as("ended").isNull();
        assertThat(failed.lastFinished()).isNotNull();

        assertThat(b.claim(job, HOUR)).as("a failed run is tried again at once").isTrue();
        b.finish(job, null);
        JobRun done = b.state(job);
        assertThat(done.lastError()).isNull();
        assertThat(done.owner()).isEqualTo("origin-b");
        assertThat(a.claim(job, HOUR)).as("a run that went well counts").isFalse();
    }

    @Test
    void malformedTermsAreRefusedBeforeTheDatabase() throws SQLException {
        for (String name : new String[] {"", "Expiry", "-expiry", "expiry sweep", "expiry_sweep", "x".repeat(64)}) {
            assertThatThrownBy(() -> a.claim(name, MINUTE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("a job's name is 1 to 63 lower-case letters, digits and '-'")
                    .hasMessageContaining("\"" + name + "\"");
        }
        assertThatThrownBy(() -> a.claim(null, MINUTE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not null");
        assertThatThrownBy(() -> a.claim(job, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("job " + job + ": the interval is zero (only never two at once) to 366 days, not PT-1S");
        assertThatThrownBy(() -> a.claim(job, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.claim(job, Duration.ofDays(400))).isInstanceOf(IllegalArgumentException.class);

        assertThat(a.state(job)).as("nothing reached the table").isNull();
        assertThat(a.claim("x".repeat(63), MINUTE)).as("the longest name").isTrue();
    }

    @Test
    void keepOfAJobNotClaimedIsAMistakeSaidAsSuch() {
        assertThatThrownBy(() -> a.keep(job)).hasMessage("job " + job + " is not claimed by origin-a");
    }
}
