package pomf.edge.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static pomf.edge.boundary.EdgeClient.get;
import static pomf.edge.boundary.EdgeClient.head;
import static pomf.edge.boundary.EdgeClient.status;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pomf.it.clients.PacedReader;
import pomf.it.clients.PomfClient;
import pomf.it.deployments.Deployments;
import pomf.it.origin.TestOrigin;
import pomf.it.origin.TestOriginObject;

/** nginx proxy_cache semantics, and where the edge does better, against an origin the test controls. */
@ExtendWith(ArquillianExtension.class)
class EdgeCacheIT {
    static final TestOrigin ORIGIN = TestOrigin.start();
    static final int CHUNK = 1_047_552;
    static final AtomicInteger NAMES = new AtomicInteger();
    /** Answers one client may have in flight at once (issue 14, finding 6); loopback itself is exempt. */
    static final int ANSWERS = 2;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.edge(
                ORIGIN.url(),
                Deployments.newStorage(),
                Map.ofEntries(
                        Map.entry("pomf.edge.valid", "3s"),
                        Map.entry("pomf.edge.min-uses", "2"),
                        Map.entry("pomf.edge.read-timeout", "3s"),
                        Map.entry("pomf.edge.connect-timeout", "2s"),
                        Map.entry("pomf.edge.breaker-failures", "2"),
                        Map.entry("pomf.edge.breaker-probe", "1s"),
                        Map.entry("pomf.edge.purge-token", "test-purge-token"),
                        Map.entry("pomf.edge.inactive", "8s"),
                        Map.entry("pomf.edge.max-size", Long.toString(256L << 20)),
                        Map.entry("pomf.delivery.send-timeout", "20s"),
                        // Guessers are told apart by X-Forwarded-For; the other tests' few 404s stay far below.
                        Map.entry("pomf.trusted-proxies", "127.0.0.1"),
                        Map.entry("pomf.not-found-per-minute", String.valueOf(GUESSES)),
                        Map.entry("pomf.not-found-burst", String.valueOf(GUESSES)),
                        Map.entry("pomf.delivery.in-flight-per-client", String.valueOf(ANSWERS))));
    }

    @AfterEach
    void healOrigin() {
        ORIGIN.clearFaults();
        if (!ORIGIN.running()) {
            ORIGIN.restart();
        }
        // Tests share the edge: the next one starts with the circuit breaker closed again.
        awaitOriginUp();
    }

    static void awaitOriginUp() {
        await().atMost(Duration.ofSeconds(20)).until(() -> PomfClient.getText("/metrics")
                .body()
                .contains("pomf_edge_origin_up{mp_scope=\"application\"} 1"));
    }

    @AfterAll
    static void stopOrigin() {
        ORIGIN.close();
    }

    static String newName() {
        return "obj" + NAMES.incrementAndGet() + "x.bin";
    }

    static TestOriginObject object(String name, int size) {
        return ORIGIN.put("/f/" + name, PomfClient.random(size));
    }

    /** Waits past pomf.edge.valid (3 s), so cached copies are expired. */
    static void outliveFreshness() {
        await().pollDelay(Duration.ofMillis(3200))
                .atMost(Duration.ofSeconds(10))
                .until(() -> true);
    }

    /** Asks until the object is stored (min uses reached and filled), returning the first HIT. */
    static HttpResponse<byte[]> warm(String name) {
        for (int i = 0; i < 2; i++) {
            // every answer of the edge says how it was made; a bare 200 is one the edge did not make
            assertThat(status(get(name))).isNotEqualTo("(none)");
        }
        return untilHit(name);
    }

    /**
     * The next HIT. The answer that filled may reach its client a moment before its chunk is stored: a request in
     * that moment is still a MISS.
     */
    static HttpResponse<byte[]> untilHit(String name) {
        HttpResponse<byte[]> hit = get(name);
        for (int i = 0; i < 20 && !status(hit).equals("HIT"); i++) {
            assertThat(status(hit)).isEqualTo("MISS");
            await().pollDelay(Duration.ofMillis(100)).until(() -> true);
            hit = get(name);
        }
        assertThat(status(hit)).isEqualTo("HIT");
        return hit;
    }

    /** Unknown names one client may ask for a minute (issue 14, finding 13). */
    static final int GUESSES = 30;

    @Test
    void aClientGuessingNamesIsThrottledEvenForCachedObjects() throws Exception {
        String name = newName();
        TestOriginObject object = object(name, 5000);
        warm(name);
        String guesser = "203.0.113.77";
        for (int i = 0; i < GUESSES; i++) {
            assertThat(get(newName(), "X-Forwarded-For", guesser).statusCode()).isEqualTo(404);
        }
        // Asked at once: each refusal is held a second (pomf.refusal-delay), and one after the other the bucket
        // would refill meanwhile.
        String unknown = newName();
        ExecutorService both = Executors.newFixedThreadPool(2);
        HttpResponse<byte[]> refused;
        HttpResponse<byte[]> existing;
        try {
            Future<HttpResponse<byte[]>> first = both.submit(() -> get(unknown, "X-Forwarded-For", guesser));
            Future<HttpResponse<byte[]>> second = both.submit(() -> get(name, "X-Forwarded-For", guesser));
            refused = first.get();
            existing = second.get();
        } finally {
            both.shutdownNow();
        }
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After"))
                .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
        assertThat(refused.headers().firstValue("Cache-Control")).hasValue("no-store");
        // Existing names too, a fresh hit included: the guesser learns nothing more until its bucket refills.
        assertThat(existing.statusCode()).isEqualTo(429);
        HttpResponse<byte[]> other = get(name, "X-Forwarded-For", "203.0.113.78");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.body()).isEqualTo(object.bytes());
        assertThat(get(newName(), "X-Forwarded-For", "203.0.113.78").statusCode())
                .isEqualTo(404);
    }

    @Test
    void requestsBelowMinUsesPassThroughAndTheNextOneFills() {
        for (int size : new int[] {5000, 70_000, FastHits.LIMIT}) {
            requestsBelowMinUsesPassThroughAndTheNextOneFills(size);
        }
    }

    private static void requestsBelowMinUsesPassThroughAndTheNextOneFills(int size) {
        String name = newName();
        TestOriginObject object = object(name, size);
        HttpResponse<byte[]> first = get(name);
        assertThat(status(first)).isEqualTo("MISS");
        assertThat(first.body()).isEqualTo(object.bytes());
        assertThat(ORIGIN.fullFetches("/f/" + name)).isEqualTo(1);
        HttpResponse<byte[]> second = get(name);
        assertThat(status(second)).isEqualTo("MISS");
        assertThat(second.body()).isEqualTo(object.bytes());
        HttpResponse<byte[]> third = untilHit(name);
        assertThat(third.body()).isEqualTo(object.bytes());
        int fetches = ORIGIN.requests("/f/" + name);
        HttpResponse<byte[]> fourth = get(name);
        assertThat(status(fourth)).isEqualTo("HIT");
        assertThat(fourth.body()).isEqualTo(object.bytes());
        assertThat(ORIGIN.requests("/f/" + name))
                .as("a hit asks the origin nothing")
                .isEqualTo(fetches);
    }

    @Test
    void aSlowOriginIsFetchedOnceForManyConcurrentClients() throws Exception {
        String name = newName();
        TestOriginObject object = object(name, 3 * CHUNK - 100);
        get(name); // below min uses: one pass-through fetch
        object.throttle(500_000); // the fill takes about 6 s: beyond nginx's 5 s lock timeout
        ORIGIN.resetCounters();
        List<Callable<HttpResponse<byte[]>>> clients = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            clients.add(() -> get(name));
        }
        ExecutorService pool = Executors.newFixedThreadPool(30);
        try {
            for (Future<HttpResponse<byte[]>> f : pool.invokeAll(clients)) {
                assertThat(f.get().body()).isEqualTo(object.bytes());
            }
        } finally {
            pool.shutdownNow();
        }
        // Longer than nginx's 5 s lock timeout, yet fetched about once: one streaming range and, the origin being
        // slow, the rest split over a few connections (the first one's bytes under way when it is cut short are the
        // only extra), never a whole-file fetch per client.
        assertThat(ORIGIN.fullFetches("/f/" + name)).isZero();
        assertThat(ORIGIN.rangeRequests("/f/" + name)).hasSizeBetween(1, 4).doesNotHaveDuplicates();
        assertThat(ORIGIN.bytesSent("/f/" + name)).isLessThan(object.size() * 3 / 2);
    }

    @Test
    void waitersReceiveBytesWhileTheFillIsStillRunning() throws Exception {
        String name = newName();
        TestOriginObject object = object(name, CHUNK - 1).throttle(200_000);
        get(name);
        object.clearFaults();
        object.throttle(200_000);
        ORIGIN.resetCounters();
        HttpResponse<InputStream> response = EdgeClient.stream(name);
        byte[] first = response.body().readNBytes(64 * 1024);
        assertThat(first).isEqualTo(Arrays.copyOf(object.bytes(), 64 * 1024));
        assertThat(ORIGIN.bytesSent("/f/" + name))
                .as("the origin is still sending when the client already has bytes")
                .isLessThan(object.size());
        byte[] rest = response.body().readAllBytes();
        assertThat(first.length + rest.length).isEqualTo((int) object.size());
    }

    @Test
    void rangesAreServedFromTheCacheEvenWhenTheOriginHasNone() {
        String name = newName();
        TestOriginObject object = object(name, 2 * CHUNK + 5000).acceptRanges(false);
        byte[] bytes = object.bytes();
        get(name);
        get(name);
        HttpResponse<byte[]> middle = get(name, "Range", "bytes=1000000-1100000");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 1000000-1100000/" + bytes.length);
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(bytes, 1_000_000, 1_100_001));
        HttpResponse<byte[]> suffix = get(name, "Range", "bytes=-10");
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(bytes, bytes.length - 10, bytes.length));
        HttpResponse<byte[]> beyond = get(name, "Range", "bytes=" + bytes.length + "-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + bytes.length);
    }

    @Test
    void aSeekIntoALargeObjectFetchesOnlyTheChunksItTouches() {
        String name = newName();
        ORIGIN.putGenerated("/f/" + name, 40L * CHUNK);
        HttpResponse<byte[]> head = get(name, "Range", "bytes=0-10");
        assertThat(head.body()).isEqualTo(TestOrigin.generated(0, 11));
        ORIGIN.resetCounters();
        long at = 30L * CHUNK + 123;
        HttpResponse<byte[]> seek = get(name, "Range", "bytes=" + at + "-" + (at + 1000));
        assertThat(seek.statusCode()).isEqualTo(206);
        assertThat(seek.body()).isEqualTo(TestOrigin.generated(at, 1001));
        // What the edge asked the origin for, not what has arrived by now (a GET's bytes may still be on their way):
        // chunk 30 alone, since a closed range reaches no further.
        assertThat(ORIGIN.rangeRequests("/f/" + name))
                .containsExactly("bytes=" + 30L * CHUNK + "-" + (31L * CHUNK - 1));
        HttpResponse<byte[]> again = get(name, "Range", "bytes=" + at + "-" + (at + 1000));
        assertThat(status(again)).isEqualTo("HIT");
    }

    @Test
    void anExpiredCopyIsRevalidatedWithoutMovingTheBody() {
        String name = newName();
        TestOriginObject object = object(name, 300_000);
        warm(name);
        ORIGIN.resetCounters();
        outliveFreshness();
        HttpResponse<byte[]> revalidated = get(name);
        assertThat(status(revalidated)).isEqualTo("REVALIDATED");
        assertThat(revalidated.body()).isEqualTo(object.bytes());
        assertThat(ORIGIN.lastRequestHeaders("/f/" + name)).containsEntry("if-none-match", object.etag());
        assertThat(ORIGIN.bytesSent("/f/" + name)).isZero();
        assertThat(status(get(name))).isEqualTo("HIT");
    }

    @Test
    void aChangedObjectIsFetchedAgainAfterExpiry() {
        String name = newName();
        object(name, 1000);
        warm(name);
        TestOriginObject changed = ORIGIN.put("/f/" + name, PomfClient.random(2000));
        outliveFreshness();
        HttpResponse<byte[]> expired = get(name);
        assertThat(status(expired)).isEqualTo("EXPIRED");
        assertThat(expired.body()).isEqualTo(changed.bytes());
    }

    @Test
    void theOriginFailingServesTheStaleCopy() {
        String name = newName();
        TestOriginObject object = object(name, 50_000);
        warm(name);
        outliveFreshness();
        object.failWith(503);
        HttpResponse<byte[]> stale = get(name);
        assertThat(status(stale)).isEqualTo("STALE");
        assertThat(stale.body()).isEqualTo(object.bytes());
    }

    @Test
    void aSlowRevalidationAnswersWithTheOldCopyAndRenewsItInTheBackground() throws Exception {
        String name = newName();
        TestOriginObject object = object(name, 50_000);
        warm(name);
        outliveFreshness();
        ORIGIN.resetCounters();
        // Longer than pomf.edge.revalidate-wait (1 s): the first request does not wait for the whole check.
        object.delayHeaders(Duration.ofMillis(2500));
        HttpResponse<byte[]> first = get(name);
        assertThat(status(first)).isEqualTo("UPDATING");
        assertThat(first.body()).isEqualTo(object.bytes());
        HttpResponse<byte[]> meanwhile = get(name);
        assertThat(status(meanwhile)).isEqualTo("UPDATING");
        assertThat(meanwhile.body()).isEqualTo(object.bytes());
        await().atMost(Duration.ofSeconds(10)).until(() -> status(get(name)).equals("HIT"));
        assertThat(ORIGIN.requests("/f/" + name))
                .as("one conditional request renewed the copy, whoever asked meanwhile")
                .isEqualTo(1);
        assertThat(ORIGIN.bytesSent("/f/" + name)).isZero();
    }

    @Test
    void aNotFoundTheOriginDidNotVouchForKeepsTheCopy() {
        String name = newName();
        TestOriginObject object = object(name, 40_000);
        warm(name);
        outliveFreshness();
        // What a Payara still deploying the origin answers to everything: 404 without the origin's header.
        object.failWith(404);
        HttpResponse<byte[]> stale = get(name);
        assertThat(status(stale)).isEqualTo("STALE");
        assertThat(stale.body()).isEqualTo(object.bytes());
        object.failWith(0);
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(status(get(name))).isIn("REVALIDATED", "HIT"));
        assertThat(get(name).body()).isEqualTo(object.bytes());
    }

    @Test
    void aNameNobodyStoredIsNotReported404WhileTheOriginIsNotItself() {
        String name = newName();
        ORIGIN.failWith(404);
        HttpResponse<byte[]> passedThrough = get(name);
        HttpResponse<byte[]> filled = get(name);
        assertThat(passedThrough.statusCode()).isEqualTo(502);
        assertThat(filled.statusCode()).isEqualTo(502);
        ORIGIN.clearFaults();
        await().atMost(Duration.ofSeconds(15)).until(() -> get(name).statusCode() == 404);
    }

    @Test
    void aFileTheOriginNoLongerHasIsDroppedAtItsRevalidation() {
        String name = newName();
        object(name, 30_000);
        warm(name);
        outliveFreshness();
        ORIGIN.remove("/f/" + name);
        assertThat(get(name).statusCode()).isEqualTo(404);
        ORIGIN.resetCounters();
        assertThat(get(name).statusCode()).as("not served stale").isEqualTo(404);
        assertThat(ORIGIN.requests("/f/" + name))
                .as("the copy is gone: asked again")
                .isEqualTo(1);
    }

    @Test
    void cookiesAndNoStoreAtTheOriginDoNotStopCachingAndAreNotReplayed() {
        String name = newName();
        object(name, 1000)
                .header("Set-Cookie", "session=secret")
                .header("Cache-Control", "no-store, private")
                .header("Expires", "Thu, 01 Jan 1970 00:00:00 GMT");
        HttpResponse<byte[]> hit = warm(name);
        assertThat(hit.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(hit.headers().firstValue("Expires")).isEmpty();
        assertThat(hit.headers().firstValue("Connection").orElse("")).doesNotContainIgnoringCase("keep-alive, x");
    }

    @Test
    void aFillThatFailsMidwayIsNeverServedAsComplete() {
        String name = newName();
        TestOriginObject object = object(name, CHUNK - 1);
        get(name);
        object.dropAfter(100_000);
        try {
            HttpResponse<byte[]> cut = get(name);
            assertThat(cut.body().length).isLessThan((int) object.size());
        } catch (java.io.UncheckedIOException truncated) {
            // the edge cut the connection: the client knows the body is incomplete
        }
        object.clearFaults();
        // The failed fill may have opened the breaker (2 failures here): without a stale copy that is a 502 until
        // its probe finds the origin again (run first on a fresh edge, the next GET came within that second).
        awaitOriginUp();
        HttpResponse<byte[]> whole = get(name);
        assertThat(whole.body()).isEqualTo(object.bytes());
    }

    @Test
    void aClientThatLeavesDoesNotAbortTheFill() throws Exception {
        String name = newName();
        TestOriginObject object = object(name, CHUNK - 1).throttle(2_000_000);
        get(name);
        object.throttle(2_000_000);
        HttpResponse<InputStream> response = EdgeClient.stream(name);
        response.body().readNBytes(10_000);
        response.body().close();
        await().atMost(Duration.ofSeconds(10)).until(() -> ORIGIN.bytesSent("/f/" + name) >= 2 * object.size());
        ORIGIN.resetCounters();
        HttpResponse<byte[]> after = get(name);
        assertThat(status(after)).isEqualTo("HIT");
        assertThat(after.body()).isEqualTo(object.bytes());
        assertThat(ORIGIN.requests("/f/" + name)).isZero();
    }

    @Test
    void aReadTimeoutBetweenTwoReadsEndsTheFetch() {
        String name = newName();
        TestOriginObject object = object(name, 500_000);
        get(name);
        object.pauseAfter(50_000, Duration.ofSeconds(6));
        try {
            assertThat(get(name).body().length).isLessThan(500_000);
        } catch (java.io.UncheckedIOException truncated) {
            // cut after the edge's 3 s read timeout
        }
        object.clearFaults();
        assertThat(get(name).body()).isEqualTo(object.bytes());
    }

    /**
     * Each answer is written once (issue 12, item 4). Two GETs of a stored object sent at once on one connection: the
     * listener answers the first, declines the second while the first is still queued (the servlet path writes it
     * as the socket drains), and must not take Grizzly asking the second request for its executor again, when the
     * socket drains, for a new request: it answered it then a second time, a whole body inside the servlet path's.
     * Read slowly, so the queue fills; a 1 MiB object from memory, and a 3 MiB one from its file copy (sendfile).
     */
    @Test
    void aSecondAnswerOnABusyConnectionIsWrittenOnce() throws Exception {
        String small = newName();
        TestOriginObject smallObject = object(small, CHUNK - 1);
        warm(small);
        pipelinedTwice(small, smallObject);
        String large = newName();
        TestOriginObject largeObject = object(large, 3 << 20);
        warm(large);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            long before = listenerAnswers();
            assertThat(get(large).body()).isEqualTo(largeObject.bytes());
            return listenerAnswers() > before; // its file copy is written: the listener sends it
        });
        HttpResponse<byte[]> servlet = get(large, "If-None-Match", "\"other\"");
        HttpResponse<byte[]> fast = get(large);
        assertThat(fast.headers().map()).isEqualTo(servlet.headers().map());
        assertThat(fast.body()).isEqualTo(servlet.body());
        pipelinedTwice(large, largeObject);
    }

    private static void pipelinedTwice(String name, TestOriginObject object) throws IOException {
        try (PacedReader client = PacedReader.pipelined(PomfClient.PORT, name, 2)) {
            for (int answer = 1; answer <= 2; answer++) {
                assertThat(client.status()).as("answer %d", answer).isEqualTo(200);
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                client.read(body, client.contentLength(), 4_000_000);
                assertThat(body.toByteArray())
                        .as("answer %d of %s", answer, name)
                        .isEqualTo(object.bytes());
                if (answer == 1) {
                    client.next();
                }
            }
            PacedReader.sleep(200);
            assertThat(client.available())
                    .as("bytes after the second answer's end")
                    .isZero();
        }
    }

    @Test
    void aViewerReadingSlowlyIsNeverCutEvenForLongerThanTheSendTimeout() throws Exception {
        String name = newName();
        TestOriginObject object = object(name, 3 << 20);
        warm(name);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (PacedReader viewer = PacedReader.get(name)) {
            assertThat(viewer.read(body, 64 * 1024, 0)).isTrue();
            // 16 KB/s for 25 s, past the 20 s send-timeout, while the edge waits on this client all along (its
            // progress shows at least every ~16 s at this pace: see AsyncBody.FAST_SLICE).
            assertThat(viewer.read(body, 400_000, 16_000)).isTrue();
            viewer.read(body, viewer.contentLength(), 0);
        }
        assertThat(body.toByteArray()).isEqualTo(object.bytes());
    }

    /**
     * An edge caps a client's answers in flight like the origin: the next one gets a 429 that no cache keeps while
     * they run, another client does not, and after they hang up the client has its whole allowance again.
     */
    @Test
    void aClientHasAtMostItsCapOfAnswersInFlightAndAllOfItAgainAfterHangingUp() throws Exception {
        String name = newName();
        TestOriginObject object = object(name, 6 << 20);
        warm(name);
        for (int round = 0; round < 2; round++) {
            List<PacedReader> readers = new ArrayList<>();
            try {
                // Ranges, so the servlet path writes them (a fresh object's whole answers are handed to the listener's
                // queue at once from its file copy: they hold nothing of ours and are not counted).
                for (int i = 0; i < ANSWERS; i++) {
                    readers.add(PacedReader.get(
                            PomfClient.PORT, name, "X-Forwarded-For: 198.51.100.50", "Range: bytes=0-"));
                }
                assertThat(readers).allSatisfy(r -> assertThat(r.status()).isEqualTo(206));
                HttpResponse<byte[]> refused = get(name, "X-Forwarded-For", "198.51.100.50", "Range", "bytes=0-");
                assertThat(refused.statusCode()).isEqualTo(429);
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
                assertThat(refused.headers().firstValue("Cache-Control")).hasValue("no-store");
                assertThat(get(name, "X-Forwarded-For", "198.51.100.51").body()).isEqualTo(object.bytes());
            } finally {
                for (PacedReader reader : readers) {
                    reader.close();
                }
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                            get(name, "X-Forwarded-For", "198.51.100.50").statusCode())
                    .isEqualTo(200));
        }
    }

    /**
     * Issue 14, finding 2: a ranged request whose client hung up right after sending it costs the edge no fetch and no
     * read of the store, as nginx drops a fetch for a client it finds gone. Ten clients ask for ten cold chunks and
     * close at once; before, each of them made the edge fetch its chunk.
     */
    @Test
    void aRangedRequestWhoseClientHungUpFetchesNothing() throws Exception {
        String name = newName();
        TestOriginObject object = object(name, 12 * CHUNK);
        for (int i = 0; i < 3; i++) {
            assertThat(get(name, "Range", "bytes=0-99").body()).isEqualTo(object.bytes(0, 100));
        }
        String path = "/f/" + name;
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> true);
        int before = ORIGIN.requests(path);
        for (int chunk = 2; chunk < 12; chunk++) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", PomfClient.PORT)) {
                socket.getOutputStream()
                        .write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=" + (chunk * CHUNK + 7)
                                        + "-\r\n\r\n")
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
        // what a fetch started for them would have asked for by now
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(ORIGIN.requests(path) - before)
                .as("fetches for ten clients that hung up (a late hang-up or two may still fetch)")
                .isLessThanOrEqualTo(2);
        assertThat(PomfClient.getText("/metrics").body()).containsPattern("pomf_answers_hung_up\\{[^}]*\\} [1-9]");
        // and a client that stays gets its bytes
        HttpResponse<byte[]> ranged = get(name, "Range", "bytes=" + (5L * CHUNK + 7) + "-" + (6L * CHUNK + 99));
        assertThat(ranged.statusCode()).isEqualTo(206);
        assertThat(ranged.body()).isEqualTo(object.bytes(5L * CHUNK + 7, CHUNK + 93));

        // Below min uses a request is passed through: nothing is asked of the origin for one that hung up.
        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            fresh.add(newName());
            object(fresh.get(i), 64 * 1024);
        }
        for (String f : fresh) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", PomfClient.PORT)) {
                socket.getOutputStream()
                        .write(("GET /f/" + f + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(fresh.stream().mapToInt(f -> ORIGIN.requests("/f/" + f)).sum())
                .as("requests passed through for eight clients that hung up")
                .isLessThanOrEqualTo(2);
    }

    @Test
    void aClientThatStopsReadingIsCutAfterTheSendTimeout() throws Exception {
        // Both ways an answer is written: the servlet path (6 MiB, as the socket drains) and the listener (1 MiB,
        // handed to the connection whole). Cut means closed by the edge while the client reads nothing: a close that
        // waited for the queue to drain would hold the connection and its queue for as long as the client likes.
        String large = newName();
        TestOriginObject big = object(large, 6 << 20);
        warm(large);
        String small = newName();
        TestOriginObject whole = object(small, 1 << 20);
        warm(small);
        ByteArrayOutputStream bigBody = new ByteArrayOutputStream();
        ByteArrayOutputStream wholeBody = new ByteArrayOutputStream();
        try (PacedReader stalled = PacedReader.get(large);
                PacedReader stalledWhole = PacedReader.get(small)) {
            assertThat(stalled.read(bigBody, 64 * 1024, 0)).isTrue();
            assertThat(stalledWhole.read(wholeBody, 64 * 1024, 0)).isTrue();
            assertThat(stalled.heldOpenByServer()).isTrue();
            assertThat(stalledWhole.heldOpenByServer()).isTrue();
            // reads nothing: the 20 s send-timeout, then at most one round of the watchdog (5 s)
            await().pollDelay(Duration.ofSeconds(15))
                    .atMost(Duration.ofSeconds(40))
                    .untilAsserted(() -> {
                        assertThat(stalled.heldOpenByServer())
                                .as("servlet path")
                                .isFalse();
                        assertThat(stalledWhole.heldOpenByServer())
                                .as("listener")
                                .isFalse();
                    });
            readWhatIsLeft(stalled, bigBody);
            readWhatIsLeft(stalledWhole, wholeBody);
        }
        assertThat(bigBody.size()).isLessThan((int) big.size());
        assertThat(bigBody.toByteArray()).isEqualTo(big.bytes(0, bigBody.size()));
        // A 1 MiB answer may have gone into the kernel's socket buffers whole (loopback's are large): those bytes still
        // arrive after the close, so only their being right is checked.
        assertThat(wholeBody.toByteArray()).isEqualTo(whole.bytes(0, wholeBody.size()));
    }

    private static void readWhatIsLeft(PacedReader reader, ByteArrayOutputStream body) {
        try {
            reader.read(body, reader.contentLength(), 0);
        } catch (IOException reset) {
            // cut: reset rather than closed, also fine
        }
    }

    @Test
    void aCrowdOfSlowClientsHoldsNoThreadFromTheOthers() throws Exception {
        String big = newName();
        object(big, 6 << 20);
        warm(big);
        String small = newName();
        TestOriginObject thumbnail = object(small, 4096);
        warm(small);
        // More slow viewers and slow-header clients than the HTTP pool has threads (32): none of them holds one.
        List<PacedReader> viewers = new ArrayList<>();
        List<java.net.Socket> trickling = new ArrayList<>();
        try {
            for (int i = 0; i < 64; i++) {
                PacedReader viewer = PacedReader.get(big);
                viewer.read(new ByteArrayOutputStream(), 1024, 0); // then it reads nothing for a while
                viewers.add(viewer);
                java.net.Socket socket = new java.net.Socket("127.0.0.1", PomfClient.PORT);
                socket.getOutputStream().write("GET /f/x.bin HTTP/1.1\r\nHost: x\r\n".getBytes());
                trickling.add(socket);
            }
            for (int round = 0; round < 3; round++) {
                for (java.net.Socket socket : trickling) {
                    socket.getOutputStream().write("X-Slow: 1\r\n".getBytes());
                }
                HttpResponse<byte[]> answer = get(small);
                assertThat(status(answer)).isEqualTo("HIT");
                assertThat(answer.body()).isEqualTo(thumbnail.bytes());
                assertThat(PomfClient.getText("/health/ready").statusCode()).isEqualTo(200);
            }
        } finally {
            for (PacedReader viewer : viewers) {
                viewer.close();
            }
            for (java.net.Socket socket : trickling) {
                socket.close();
            }
        }
    }

    @Test
    void purgeNeedsTheTokenAndRemovesTheObject() {
        String name = newName();
        object(name, 1000);
        warm(name);
        assertThat(EdgeClient.purge(name, null).statusCode()).isEqualTo(401);
        assertThat(EdgeClient.purge(name, "wrong").statusCode()).isEqualTo(401);
        // still cached (revalidated when a busy machine took longer than pomf.edge.valid to get here)
        assertThat(status(get(name))).isIn("HIT", "REVALIDATED");
        HttpResponse<String> purged = EdgeClient.purge(name, "test-purge-token");
        assertThat(purged.statusCode()).isEqualTo(200);
        assertThat(purged.body()).isEqualTo("{\"purged\":true}");
        assertThat(status(get(name))).isEqualTo("MISS");
    }

    @Test
    void unknownNamesAre404AndUploadsAreSentToTheOrigin() {
        String name = newName();
        get(name);
        assertThat(get(name).statusCode()).isEqualTo(404);
        HttpResponse<String> upload = PomfClient.upload(new PomfClient.Multipart().file("a.bin", new byte[10]));
        assertThat(upload.statusCode()).isEqualTo(307);
    }

    @Test
    void whileTheOriginIsKnownDownStaleAnswersComeAtOnce() {
        String name = newName();
        TestOriginObject object = object(name, 20_000);
        warm(name);
        outliveFreshness();
        ORIGIN.blackHole(true);
        // Revalidations wait for the 3 s read timeout in the background while the old copy is served, until two
        // of them have failed and opened the breaker.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<byte[]> old = get(name);
            assertThat(old.body()).isEqualTo(object.bytes());
            assertThat(status(old)).isIn("UPDATING", "STALE");
            return PomfClient.getText("/metrics").body().contains("pomf_edge_origin_up{mp_scope=\"application\"} 0");
        });
        int asked = ORIGIN.requests("/f/" + name);
        HttpResponse<byte[]> open = get(name);
        assertThat(status(open)).isEqualTo("STALE");
        assertThat(open.body()).isEqualTo(object.bytes());
        assertThat(ORIGIN.requests("/f/" + name))
                .as("an open breaker does not wait for the origin")
                .isEqualTo(asked);
        ORIGIN.blackHole(false);
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(status(get(name))).isIn("REVALIDATED", "HIT"));
    }

    @Test
    void objectsNobodyAsksForWithinInactiveAreRemoved() {
        String name = newName();
        TestOriginObject object = object(name, 20_000);
        warm(name);
        await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(15)).until(() -> true);
        ORIGIN.resetCounters();
        HttpResponse<byte[]> after = get(name);
        assertThat(status(after)).isEqualTo("MISS");
        assertThat(after.body()).isEqualTo(object.bytes());
        assertThat(ORIGIN.requests("/f/" + name)).isEqualTo(1);
    }

    @Test
    void smallFreshHitsAreAnsweredAtTheListenerAsTheServletPathAnswersThem() {
        String name = newName();
        TestOriginObject object = object(name, 5000);
        warm(name);
        // A condition that matches nothing takes the servlet path and gets the same 200.
        HttpResponse<byte[]> servlet = get(name, "If-None-Match", "\"other\"");
        long before = listenerAnswers();
        HttpResponse<byte[]> fast = get(name);
        assertThat(listenerAnswers()).as("answered at the listener").isEqualTo(before + 1);
        assertThat(servlet.statusCode()).isEqualTo(200);
        assertThat(fast.statusCode()).isEqualTo(200);
        assertThat(fast.body()).isEqualTo(object.bytes());
        assertThat(servlet.body()).isEqualTo(object.bytes());
        assertThat(fast.headers().map()).isEqualTo(servlet.headers().map());
        assertThat(status(fast)).isEqualTo("HIT");

        // Everything else is the servlet path's: ranges, conditions, unknown names (objects over 1 MiB: see
        // aSecondAnswerOnABusyConnectionIsWrittenOnce).
        assertThat(get(name, "Range", "bytes=10-19").body()).isEqualTo(Arrays.copyOfRange(object.bytes(), 10, 20));
        String tag = fast.headers().firstValue("ETag").orElseThrow();
        assertThat(get(name, "If-None-Match", tag).statusCode()).isEqualTo(304);
        assertThat(get("nosuchname1.bin").statusCode()).isEqualTo(404);
        assertThat(listenerAnswers()).as("none of those at the listener").isEqualTo(before + 1);
    }

    @Test
    void objectsUpToAMebibyteOverSeveralChunksAreAnsweredAtTheListenerWhole() {
        // 1 MiB is two chunks of the default size (1023 KiB): both go to the socket from the store, uncopied.
        String name = newName();
        TestOriginObject object = object(name, FastHits.LIMIT);
        warm(name);
        HttpResponse<byte[]> servlet = get(name, "If-None-Match", "\"other\"");
        long before = listenerAnswers();
        HttpResponse<byte[]> fast = get(name);
        HttpResponse<byte[]> head = head(name);
        assertThat(listenerAnswers())
                .as("GET and HEAD answered at the listener")
                .isEqualTo(before + 2);
        assertThat(fast.statusCode()).isEqualTo(200);
        assertThat(fast.body()).isEqualTo(object.bytes());
        assertThat(servlet.body()).isEqualTo(object.bytes());
        assertThat(fast.headers().map()).isEqualTo(servlet.headers().map());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(FastHits.LIMIT));
        // Kept-alive connections take one answer after the other, whole.
        for (int i = 0; i < 5; i++) {
            assertThat(get(name).body()).isEqualTo(object.bytes());
        }
    }

    private static long listenerAnswers() {
        String metrics = PomfClient.getText("/metrics").body();
        Matcher m = Pattern.compile("pomf_edge_listener_answers\\{mp_scope=\"application\"} ([0-9.]+)")
                .matcher(metrics);
        assertThat(m.find()).as("pomf_edge_listener_answers in the metrics").isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    @Test
    void metricsCountAnswersAndBytes() {
        String name = newName();
        object(name, 10_000);
        warm(name);
        String metrics = PomfClient.getText("/metrics").body();
        assertThat(metrics)
                .containsPattern("pomf_edge_answers\\{mp_scope=\"application\",status=\"HIT\"} [1-9]")
                .containsPattern("pomf_edge_bytes_from_origin\\{mp_scope=\"application\"} [1-9]")
                .contains("pomf_edge_hit_ratio", "pomf_edge_store_bytes");
    }

    @Test
    void aClientCannotPassForAnEdgeWithTheEdgesOwnHeader() {
        // X-Pomf-Edge-Fetch marks an edge's own fetches, which the cache of an origin that is an edge too must let
        // through; from anyone without the shared token it would bypass the cache (and fail on an edge-only node).
        String name = newName();
        TestOriginObject object = object(name, 5000);
        warm(name);
        assertThat(ORIGIN.lastRequestHeaders("/f/" + name))
                .as("an edge's fetch proves itself with the shared token")
                .containsEntry("x-pomf-edge-fetch", "test-purge-token");
        ORIGIN.resetCounters();
        for (String forged : List.of("1", "true", "test-purge-token-", "")) {
            HttpResponse<byte[]> answer = get(name, "X-Pomf-Edge-Fetch", forged);
            assertThat(answer.statusCode()).as(forged).isEqualTo(200);
            assertThat(status(answer)).as(forged).isEqualTo("HIT");
            assertThat(answer.body()).as(forged).isEqualTo(object.bytes());
        }
        assertThat(ORIGIN.requests("/f/" + name)).isZero();
        HttpResponse<byte[]> edge = get(name, "X-Pomf-Edge-Fetch", "test-purge-token");
        assertThat(status(edge))
                .as("with the token the cache lets the fetch through")
                .isEqualTo("(none)");
    }
}
