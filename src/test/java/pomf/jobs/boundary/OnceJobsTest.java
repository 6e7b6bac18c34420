package pomf.jobs.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * same jobs from several threads at once: the claim's single statement decides, and the database's clock.
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
    private List<String> race(Duration interval, Duration lease) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2 * THREADS_PER_ORIGIN);
        List<Future<String>> claims = new ArrayList<>();
        for (int i = 0; i < 2 * THREADS_PER_ORIGIN; i++) {
            OnceJobs origin = i % 2 == 0 ? a : b;
            claims.add(pool.submit(() -> {
                start.await();
                return origin.claim(job, interval, lease) ? origin.owner() : null;
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

        List<String> first = race(interval, MINUTE);
        assertThat(first).hasSize(1);
        (first.get(0).equals(a.owner()) ? a : b).finish(job, null);

        assertThat(race(interval, MINUTE))
                .as("within the interval, after the run ended")
                .isEmpty();

        Thread.sleep(interval.toMillis());
        List<String> next = race(interval, MINUTE);
        assertThat(next).as("the next interval").hasSize(1);
        JobRun row = a.state(job);
        assertThat(row.owner()).isEqualTo(next.get(0));
        assertThat(row.claimedUntil()).isAfter(row.lastStarted());
    }

    @Test
    void everyRaceForANewJobHasExactlyOneWinner() throws Exception {
        // The first claim of a job inserts its row: the racers meet on the primary key, not on an existing row.
        for (int round = 0; round < 10; round++) {
            job = "test-" + UUID.randomUUID().toString().substring(0, 8);
            assertThat(race(Duration.ZERO, MINUTE)).as("round %d", round).hasSize(1);
        }
    }

    @Test
    void whileOneOriginRunsTheJobNoOtherClaimSucceedsWhateverTheInterval() throws Exception {
        assertThat(a.claim(job, Duration.ZERO, MINUTE)).isTrue();

        assertThat(race(Duration.ZERO, MINUTE)).as("not even by its own owner").isEmpty();

        a.finish(job, null);
        assertThat(race(Duration.ZERO, MINUTE))
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
            if (origin.claim(job, interval, MINUTE)) {
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

    @Test
    void anOriginThatDiesHoldingTheJobLosesItWhenItsLeaseRunsOut() throws Exception {
        assertThat(a.claim(job, HOUR, Duration.ofSeconds(1))).isTrue();
        // a dies here: no finish.
        assertThat(b.claim(job, Duration.ZERO, MINUTE)).isFalse();

        Thread.sleep(1200);
        assertThat(b.claim(job, Duration.ZERO, MINUTE))
                .as("after the lease, with an interval b's claim allows")
                .isTrue();

        // Were a only slow, not dead: it learns it lost the job, and its end leaves b's claim alone.
        a.nanos = () -> System.nanoTime() + HOUR.toNanos();
        assertThatThrownBy(() -> a.keep(job)).hasMessageContaining("taken over");
        a.finish(job, null);
        JobRun row = a.state(job);
        assertThat(row.owner()).isEqualTo("origin-b");
        assertThat(row.claimedUntil()).isNotNull();
        assertThat(row.lastFinished()).isNull();
    }

    @Test
    void aLeaseRunsOutButTheIntervalStillHolds() throws Exception {
        assertThat(a.claim(job, HOUR, Duration.ofMillis(200))).isTrue();
        Thread.sleep(300);

        assertThat(b.claim(job, HOUR, MINUTE))
                .as("the last start is not an hour ago")
                .isFalse();
    }

    @Test
    void keepRenewsTheLeaseSoALongRunIsNotTakenOver() throws Exception {
        // Renewed every quarter of it (200 ms): a stall of a loaded machine does not lose it.
        Duration lease = Duration.ofMillis(800);
        assertThat(a.claim(job, Duration.ZERO, lease)).isTrue();
        long end = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < end) {
            a.keep(job);
            assertThat(b.claim(job, Duration.ZERO, MINUTE)).isFalse();
            Thread.sleep(30);
        }

        a.finish(job, null);
        assertThat(b.claim(job, Duration.ZERO, MINUTE)).isTrue();
    }

    @Test
    void finishNotesTheErrorAndAFailedRunDoesNotCountAsOne() throws Exception {
        assertThat(a.claim(job, HOUR, MINUTE)).isTrue();
        a.finish(job, new IllegalStateException("the disk went away"));

        JobRun failed = a.state(job);
        assertThat(failed.lastError()).isEqualTo("java.lang.IllegalStateException: the disk went away");
        assertThat(failed.claimedUntil()).as("released").isNull();
        assertThat(failed.lastFinished()).isNotNull();

        assertThat(b.claim(job, HOUR, MINUTE))
                .as("a failed run is tried again at once")
                .isTrue();
        b.finish(job, null);
        JobRun done = b.state(job);
        assertThat(done.lastError()).isNull();
        assertThat(done.owner()).isEqualTo("origin-b");
        assertThat(a.claim(job, HOUR, MINUTE)).as("a run that went well counts").isFalse();
    }

    @Test
    void malformedTermsAreRefusedBeforeTheDatabase() throws SQLException {
        for (String name : new String[] {"", "Expiry", "-expiry", "expiry sweep", "expiry_sweep", "x".repeat(64)}) {
            assertThatThrownBy(() -> a.claim(name, MINUTE, MINUTE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("a job's name is 1 to 63 lower-case letters, digits and '-'")
                    .hasMessageContaining("\"" + name + "\"");
        }
        assertThatThrownBy(() -> a.claim(null, MINUTE, MINUTE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not null");
        assertThatThrownBy(() -> a.claim(job, Duration.ofSeconds(-1), MINUTE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("job " + job + ": the interval is zero (only never two at once) to 366 days, not PT-1S");
        assertThatThrownBy(() -> a.claim(job, null, MINUTE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.claim(job, Duration.ofDays(400), MINUTE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.claim(job, MINUTE, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("job " + job + ": the lease is more than zero, up to 366 days, not PT0S");
        assertThatThrownBy(() -> a.claim(job, MINUTE, null)).isInstanceOf(IllegalArgumentException.class);

        assertThat(a.state(job)).as("nothing reached the table").isNull();
        assertThat(a.claim("x".repeat(63), MINUTE, MINUTE))
                .as("the longest name")
                .isTrue();
    }

    @Test
    void keepOfAJobNotClaimedIsAMistakeSaidAsSuch() {
        assertThatThrownBy(() -> a.keep(job)).hasMessage("job " + job + " is not claimed by origin-a");
    }
}
