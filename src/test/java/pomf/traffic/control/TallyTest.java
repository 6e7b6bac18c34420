package pomf.traffic.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import pomf.traffic.entity.CacheStatus;
import pomf.traffic.entity.FileHourRow;
import pomf.traffic.entity.MinuteRow;

class TallyTest {
    static final long T = Instant.parse("2025-03-31T23:59:59.999Z").toEpochMilli();

    @Test
    void concurrentAnswersAddUpExactly() throws Exception {
        Tally tally = new Tally();
        int threads = 8;
        int each = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(start(() -> {
                await(start);
                for (int i = 0; i < each; i++) {
                    tally.answered("edge", T, 200 + 100 * (i % 4), 3, CacheStatus.values()[i % 7], "f" + id + ".bin");
                }
            }));
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        Tally.Drained drained = tally.drain(T);
        assertThat(drained.minutes()).hasSize(1);
        MinuteRow row = drained.minutes().get(0);
        long all = (long) threads * each;
        assertThat(row.requests()).isEqualTo(all);
        assertThat(row.bytesSent()).isEqualTo(3 * all);
        assertThat(new long[] {row.status2xx(), row.status3xx(), row.status4xx(), row.status5xx()})
                .containsOnly(all / 4);
        assertThat(row.hits() + row.misses() + row.stale() + row.revalidated()).isEqualTo(all);
        assertThat(row.misses()).isEqualTo(threads * countOf(each, 0, 1, 2)); // MISS, BYPASS, EXPIRED
        assertThat(drained.files()).hasSize(threads).allSatisfy(f -> {
            assertThat(f.requests()).isEqualTo(each);
            assertThat(f.bytesSent()).isEqualTo(3L * each);
        });
    }

    @Test
    void drainingWhileAnswersArriveLosesAndDoublesNothing() throws Exception {
        Tally tally = new Tally();
        AtomicBoolean done = new AtomicBoolean();
        int threads = 4;
        int each = 50_000;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(start(() -> {
                for (int i = 0; i < each; i++) {
                    tally.answered("origin", T, 200, 7, null, "same.png");
                }
            }));
        }
        long requests = 0;
        long bytes = 0;
        long fileRequests = 0;
        while (!done.get()) {
            done.set(workers.stream().noneMatch(Thread::isAlive));
            Tally.Drained drained = tally.drain(T);
            for (MinuteRow r : drained.minutes()) {
                requests += r.requests();
                bytes += r.bytesSent();
            }
            for (FileHourRow f : drained.files()) {
                fileRequests += f.requests();
            }
        }
        assertThat(requests).isEqualTo((long) threads * each);
        assertThat(bytes).isEqualTo(7L * threads * each);
        assertThat(fileRequests).isEqualTo((long) threads * each);
        assertThat(tally.drain(T).minutes()).as("nothing left over").isEmpty();
    }

    @Test
    void answersFallIntoTheirUtcMinuteAndHour() {
        Tally tally = new Tally();
        tally.answered("origin", T, 200, 1, null, "a.png");
        tally.answered("origin", T + 1, 200, 2, null, "a.png");
        tally.answered("edge", T + 1, 404, 0, CacheStatus.MISS, null);
        Tally.Drained drained = tally.drain(T + 1);
        assertThat(drained.minutes())
                .extracting(
                        MinuteRow::role, r -> Instant.ofEpochSecond(r.minute()).toString(), MinuteRow::bytesSent)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("origin", "2025-03-31T23:59:00Z", 1L),
                        org.assertj.core.groups.Tuple.tuple("origin", "2025-04-01T00:00:00Z", 2L),
                        org.assertj.core.groups.Tuple.tuple("edge", "2025-04-01T00:00:00Z", 0L));
        assertThat(drained.files())
                .extracting(f -> Instant.ofEpochSecond(f.hour()).toString(), FileHourRow::bytesSent)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("2025-03-31T23:00:00Z", 1L),
                        org.assertj.core.groups.Tuple.tuple("2025-04-01T00:00:00Z", 2L));
        assertThat(Tally.minuteOf(-1)).as("before 1970 too").isEqualTo(-60);
        assertThat(Tally.hourOf(3_600_000)).isEqualTo(3600);
    }

    @Test
    void cacheStatusesMapToTheirColumns() {
        assertThat(Tally.cacheColumn(CacheStatus.HIT)).isEqualTo(Tally.HITS);
        for (CacheStatus s : List.of(CacheStatus.MISS, CacheStatus.EXPIRED, CacheStatus.BYPASS)) {
            assertThat(Tally.cacheColumn(s)).isEqualTo(Tally.MISSES);
        }
        assertThat(Tally.cacheColumn(CacheStatus.STALE)).isEqualTo(Tally.STALE);
        assertThat(Tally.cacheColumn(CacheStatus.UPDATING)).isEqualTo(Tally.STALE);
        assertThat(Tally.cacheColumn(CacheStatus.REVALIDATED)).isEqualTo(Tally.REVALIDATED);
    }

    @Test
    void bytesFromTheOriginAndOddStatusesAreCounted() {
        Tally tally = new Tally();
        tally.fromOrigin("edge", T, 1000);
        tally.answered("edge", T, 101, 0, null, null);
        MinuteRow row = tally.drain(T).minutes().get(0);
        assertThat(row.bytesFromOrigin()).isEqualTo(1000);
        assertThat(row.requests()).isEqualTo(1);
        assertThat(row.status2xx() + row.status3xx() + row.status4xx() + row.status5xx())
                .isZero();
    }

    @Test
    void drainedBucketsAreForgottenAMinuteAfterTheyEnd() {
        Tally tally = new Tally();
        long at = Instant.parse("2025-03-31T10:30:30Z").toEpochMilli();
        tally.answered("origin", at, 200, 1, null, "a.png");
        tally.drain(at);
        assertThat(tally.drain(at + 60_000).minutes()).isEmpty();
        assertThat(tally.buckets()).as("still kept: a late adder may hold them").isEqualTo(2);
        tally.drain(at + 91_000);
        assertThat(tally.buckets()).as("the minute is gone, the hour not yet").isEqualTo(1);
        tally.drain(at + 30 * 60_000 + 61_000);
        assertThat(tally.buckets()).isZero();
    }

    private static Thread start(Runnable body) {
        Thread thread = new Thread(body);
        thread.start();
        return thread;
    }

    private static long countOf(int n, int... residues) {
        long count = 0;
        for (int i = 0; i < n; i++) {
            for (int r : residues) {
                if (i % 7 == r) {
                    count++;
                }
            }
        }
        return count;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
