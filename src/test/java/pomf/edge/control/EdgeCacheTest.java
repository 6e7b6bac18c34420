package pomf.edge.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pomf.edge.entity.CachedObject;
import pomf.http.control.EdgeLink;
import pomf.it.origin.TestOrigin;
import pomf.roles.control.Roles;

/**
 * The edge's decisions on its own (no servlet container), made with its collaborators and a clock the test moves,
 * against a real HTTP origin and a real Ehcache store: what it keeps in memory per name while clients ask for names
 * it has never seen, and what it does with copies whose time is up.
 */
class EdgeCacheTest {
    static final TestOrigin ORIGIN = TestOrigin.start();

    @TempDir
    Path folder;

    EdgeCache cache;

    /** The edge's clock, moved by the tests instead of sleeping. */
    final AtomicLong now = new AtomicLong(System.currentTimeMillis());

    @AfterEach
    void close() {
        ORIGIN.clearFaults();
        if (cache != null) {
            cache.close();
        }
    }

    @AfterAll
    static void stopOrigin() {
        ORIGIN.close();
    }

    @Test
    void madeUpNamesWaitingForASlowOriginAreBounded() {
        cache = edge(1, "1d");
        ORIGIN.delayHeaders(Duration.ofSeconds(2)); // every answer, 404s too, comes after 2 s

        int waiting = 0;
        for (int i = 0; i < 20_000; i++) {
            String name = "madeup" + i + ".png";
            cache.answer(name, 0, -1); // below min uses: passed through
            if (cache.answer(name, 0, -1).pending()) {
                waiting++;
            }
        }

        assertThat(cache.describing())
                .as("names waiting for the origin after 20,000")
                .isLessThan(1_000);
        assertThat(waiting).as("answers waiting for the origin").isLessThan(1_000);
    }

    @Test
    void accessTimesOfObjectsTheStoreDroppedAreForgotten() throws Exception {
        cache = edge(4, "1s");
        String name = "kept.png";
        ORIGIN.put("/f/" + name, new byte[1000]);
        cache.answer(name, 0, -1);
        Answer answer = cache.answer(name, 0, -1).later().get(10, TimeUnit.SECONDS);
        assertThat(answer.object()).isNotNull();
        assertThat(cache.accessTimes()).isEqualTo(1);

        // Ehcache drops objects for room without telling anyone; this does the same.
        CachedObject stored = cache.stored(name);
        cache.store().remove(stored);
        cache.sweepInactive();
        assertThat(cache.accessTimes())
                .as("access times kept before the inactive time")
                .isEqualTo(1);
        now.addAndGet(1_100);
        cache.sweepInactive();

        assertThat(cache.accessTimes())
                .as("access times kept after the inactive time")
                .isZero();
    }

    @Test
    void aCopyTheOriginTakesDownIsNeverServedStaleAndNotAskedForAgainUntilPurged() throws Exception {
        cache = edge(2, "1d", "1s");
        String name = "taken-down.png";
        ORIGIN.put("/f/" + name, new byte[5000]);
        cache.answer(name, 0, -1); // below min uses: passed through
        assertThat(settle(cache.answer(name, 0, -1)).object()).isNotNull();
        now.addAndGet(1_100); // expired: the next request revalidates

        ORIGIN.failWith(451); // the content was banned at the origin
        Answer revalidated = settle(cache.answer(name, 0, -1));
        assertThat(revalidated.object()).as("never the stale copy").isNull();
        assertThat(revalidated.errorStatus()).isEqualTo(451);
        assertThat(cache.stored(name)).isNull();

        int asked = ORIGIN.requests("/f/" + name);
        Answer again = cache.answer(name, 0, -1);
        assertThat(again.pending()).as("answered at once").isFalse();
        assertThat(again.errorStatus()).isEqualTo(451);
        assertThat(cache.freshHit(name)).isNull();
        assertThat(ORIGIN.requests("/f/" + name))
                .as("the origin is not asked again")
                .isEqualTo(asked);

        ORIGIN.clearFaults(); // the ban lifted: the origin purges the edges
        cache.purge(name);
        cache.answer(name, 0, -1);
        assertThat(settle(cache.answer(name, 0, -1)).object()).isNotNull();
    }

    private static Answer settle(Answer answer) throws Exception {
        return answer.pending() ? answer.later().get(10, TimeUnit.SECONDS) : answer;
    }

    EdgeCache edge(int fillThreads, String inactive) {
        return edge(fillThreads, inactive, "10m");
    }

    EdgeCache edge(int fillThreads, String inactive, String valid) {
        EdgeSettings settings = new EdgeSettings();
        settings.roles = new Roles() {
            @Override
            public boolean edge() {
                return true;
            }
        };
        settings.link = new EdgeLink(ORIGIN.url(), null);
        settings.cacheDir = folder.resolve("cache").toString();
        settings.maxSize = 256L << 20;
        settings.heapChunks = 16;
        settings.inactive = inactive;
        settings.valid = valid;
        settings.minUses = 2;
        settings.minUsesNames = UseCounter.DEFAULT_NAMES;
        settings.useStale = "error,timeout,updating";
        settings.revalidate = true;
        settings.revalidateWait = "1s";
        settings.readTimeout = "5s";
        settings.connectTimeout = "2s";
        settings.chunkSize = 64 * 1024;
        settings.breakerFailures = 1000;
        settings.breakerProbe = "2s";
        settings.fillThreads = fillThreads;
        settings.fillConnections = 2;
        settings.fillAhead = 1 << 20;
        settings.read();
        EdgeCache.Parts parts = EdgeCache.Parts.of(settings, Thread::new);
        return new EdgeCache(
                settings,
                new EdgeCache.Parts(
                        parts.store(),
                        parts.lanes(),
                        parts.origin(),
                        parts.breaker(),
                        parts.filler(),
                        parts.uses(),
                        parts.revalidation(),
                        parts.passthrough(),
                        parts.hotFiles(),
                        parts.takedowns(),
                        parts.fetchers(),
                        parts.wakeups(),
                        parts.background(),
                        parts.takedownSync(),
                        parts.counters(),
                        now::get));
    }
}
