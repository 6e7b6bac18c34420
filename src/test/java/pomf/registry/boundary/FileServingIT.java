package pomf.registry.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static pomf.it.clients.PomfClient.get;
import static pomf.it.clients.PomfClient.json;
import static pomf.it.clients.PomfClient.path;
import static pomf.it.clients.PomfClient.random;
import static pomf.it.clients.PomfClient.upload;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pomf.caps.boundary.HeldRefusals;
import pomf.it.clients.PacedReader;
import pomf.it.clients.PomfClient;
import pomf.it.clients.PomfClient.Multipart;
import pomf.it.deployments.Deployments;

/** GET and HEAD of stored files: ranges, validators, caching, and content types that cannot run script. */
@ExtendWith(ArquillianExtension.class)
class FileServingIT {
    static final byte[] VIDEO = random(100_000);
    static final String EDGE_TOKEN = "file-serving-edge-token";
    /** Unknown names one client may ask for a minute (issue 14, finding 13). */
    static final int GUESSES = 20;
    /** How long a refusal of a guesser is held before it is sent. */
    static final int DELAY_SECONDS = 2;
    /** Answers one client may have in flight at once (issue 14, finding 6). */
    static final int ANSWERS = 4;

    static String video;
    static final HttpClient ASYNC =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Deployment(testable = false)
    static WebArchive deployment() {
        // Allow mode with empty lists accepts every type, so HTML and SVG reach the file host to be served safely.
        return Deployments.origin(
                Deployments.newStorage(),
                Map.of(
                        "pomf.upload.filter-mode",
                        "allow",
                        "pomf.upload.name-length",
                        "12",
                        "pomf.trusted-proxies",
                        "127.0.0.1",
                        "pomf.edge.purge-token",
                        EDGE_TOKEN,
                        "pomf.not-found-per-minute",
                        String.valueOf(GUESSES),
                        "pomf.not-found-burst",
                        String.valueOf(GUESSES),
                        "pomf.refusal-delay",
                        DELAY_SECONDS + "s",
                        "pomf.delivery.in-flight-per-client",
                        String.valueOf(ANSWERS),
                        // A reader must take 16 KB/s, judged over 8 s: 128 KB a window, well above the few hundred KB
                        // the socket buffers let a slow reader's progress show in.
                        "pomf.delivery.min-rate",
                        "16384",
                        "pomf.delivery.min-rate-window",
                        "8s"));
    }

    @BeforeAll
    static void uploadVideo() {
        video = path(json(upload(new Multipart().file("clip.mp4", VIDEO)))
                .getJsonArray("files")
                .getJsonObject(0)
                .getString("url"));
    }

    @Test
    void storedNamesHaveTheConfiguredLength() {
        assertThat(video).matches("/f/[a-zA-Z0-9]{12}\\.mp4");
    }

    @Test
    void aClientGuessingNamesIsThrottledAndAnEdgesFetchesAreNot() throws Exception {
        String guesser = "203.0.113.77";
        useUpUnknownNames(guesser, "guess");
        // Asked at once: each refusal is held DELAY_SECONDS, and one after the other the bucket would refill meanwhile.
        CompletableFuture<HttpResponse<byte[]>> refused = getAsync("/f/guessmore.mp4", "X-Forwarded-For", guesser);
        CompletableFuture<HttpResponse<byte[]>> existing = getAsync(video, "X-Forwarded-For", guesser);
        CompletableFuture<HttpResponse<byte[]>> forged =
                getAsync("/f/guessmore.mp4", "X-Forwarded-For", guesser, "X-Pomf-Edge-Fetch", "forged");
        // Another client is not affected, and an edge's fetch (it carries every client's misses) is never refused.
        assertThat(get(video, "X-Forwarded-For", "203.0.113.78").statusCode()).isEqualTo(200);
        assertThat(get("/f/guessmore.mp4", "X-Forwarded-For", guesser, "X-Pomf-Edge-Fetch", EDGE_TOKEN)
                        .statusCode())
                .isEqualTo(404);
        assertThat(refused.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(429);
        assertThat(refused.get().headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.get().headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(existing.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(429);
        assertThat(forged.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(429);
    }

    /**
     * A guesser in a closed loop gets its refusals one delay late, held on no thread while others are served; past
     * its cap of held refusals they come at once and close their connection.
     */
    @Test
    void aGuessersRefusalsAreHeldAndPastItsCapSentAtOnce() throws Exception {
        String guesser = "203.0.113.79";
        useUpUnknownNames(guesser, "held");
        int past = 4;
        long start = System.nanoTime();
        List<CompletableFuture<long[]>> refusals = new ArrayList<>();
        List<HttpResponse<byte[]>> answers = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < HeldRefusals.PER_CLIENT + past; i++) {
            refusals.add(
                    getAsync("/f/more" + i + ".mp4", "X-Forwarded-For", guesser).thenApply(r -> {
                        answers.add(r);
                        boolean closed = r.headers()
                                .firstValue("Connection")
                                .map("close"::equalsIgnoreCase)
                                .orElse(false);
                        return new long[] {System.nanoTime() - start, closed ? 1 : 0};
                    }));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> answers.size() >= past);
        // Another client, meanwhile: answered while the guesser's refusals are still held.
        assertThat(get(video, "X-Forwarded-For", "203.0.113.80").statusCode()).isEqualTo(200);
        assertThat(refusals.stream().filter(CompletableFuture::isDone).count()).isEqualTo(past);
        CompletableFuture.allOf(refusals.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(answers).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("Too Many Requests");
        });
        List<long[]> held = refusals.stream()
                .map(CompletableFuture::join)
                .filter(t -> t[1] == 0)
                .toList();
        assertThat(held).hasSize(HeldRefusals.PER_CLIENT);
        assertThat(held)
                .allSatisfy(t -> assertThat(t[0]).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(DELAY_SECONDS)));
    }

    @Test
    void wholeFileComesWithValidatorsAndLongCaching() {
        HttpResponse<byte[]> response = get(video);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(VIDEO);
        assertThat(response.headers().firstValue("Content-Length")).hasValue("100000");
        assertThat(response.headers().firstValue("ETag"))
                .hasValueSatisfying(e -> assertThat(e).matches("\"[0-9a-f]{64}\""));
        assertThat(response.headers().firstValue("Last-Modified")).isPresent();
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(response.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void headAnswersTheSameHeadersWithoutABody() throws Exception {
        HttpResponse<byte[]> head = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(PomfClient.uri(video))
                                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("100000");
        assertThat(head.body()).isEmpty();
    }

    @Test
    void singleRangesAreServedAsPartialContent() {
        assertRange("bytes=0-9", 0, 9);
        assertRange("bytes=99990-", 99_990, 99_999);
        assertRange("bytes=-100", 99_900, 99_999);
        assertRange("bytes=50000-200000", 50_000, 99_999);
        assertRange("bytes=-500000", 0, 99_999);
    }

    @Test
    void unsatisfiableRangesAnswer416WithTheSize() {
        for (String range : new String[] {"bytes=100000-", "bytes=200000-300000", "bytes=-0"}) {
            HttpResponse<byte[]> response = get(video, "Range", range);
            assertThat(response.statusCode()).as(range).isEqualTo(416);
            assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes */100000");
        }
    }

    @Test
    void garbageAndMultipleRangesAreIgnored() {
        for (String range :
                new String[] {"garbage", "bytes=abc-def", "items=0-5", "bytes=5-1", "bytes=0-1,5-6", "bytes="}) {
            HttpResponse<byte[]> response = get(video, "Range", range);
            assertThat(response.statusCode()).as(range).isEqualTo(200);
            assertThat(response.body()).isEqualTo(VIDEO);
        }
    }

    @Test
    void conditionalRequestsAnswer304() {
        String etag = get(video).headers().firstValue("ETag").orElseThrow();
        String modified = get(video).headers().firstValue("Last-Modified").orElseThrow();
        assertThat(get(video, "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(get(video, "If-None-Match", "\"other\", " + etag).statusCode())
                .isEqualTo(304);
        assertThat(get(video, "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
        assertThat(get(video, "If-Modified-Since", modified).statusCode()).isEqualTo(304);
        assertThat(get(video, "If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT")
                        .statusCode())
                .isEqualTo(200);
        assertThat(get(video, "If-Modified-Since", "not a date").statusCode()).isEqualTo(200);
    }

    @Test
    void ifRangeWithAnotherVersionSendsTheWholeFile() {
        String etag = get(video).headers().firstValue("ETag").orElseThrow();
        assertThat(get(video, "Range", "bytes=0-9", "If-Range", etag).statusCode())
                .isEqualTo(206);
        assertThat(get(video, "Range", "bytes=0-9", "If-Range", "\"old\"").statusCode())
                .isEqualTo(200);
    }

    @Test
    void unknownNamesAre404() {
        for (String name : new String[] {"/f/AAAAAAAA", "/f/", "/f/a%00b", "/f/..%2F..%2Fetc%2Fpasswd", "/f/a.b.c.d"}) {
            assertThat(get(name).statusCode()).as(name).isIn(400, 404);
        }
    }

    @Test
    void scriptCapableTypesAreServedAsPlainText() {
        String[][] cases = {
            {"page.html", "<!DOCTYPE html><html><body><script>alert(document.domain)</script></body></html>"},
            {
                "image.svg",
                "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
            },
            {"data.xml", "<?xml version=\"1.0\"?><x:script xmlns:x=\"http://www.w3.org/1999/xhtml\">alert(1)</x:script>"
            },
            {"code.js", "alert(document.cookie)"}
        };
        for (String[] c : cases) {
            String url = path(json(upload(new Multipart().file(c[0], c[1].getBytes(StandardCharsets.UTF_8))))
                    .getJsonArray("files")
                    .getJsonObject(0)
                    .getString("url"));
            HttpResponse<byte[]> served = get(url);
            assertThat(served.headers().firstValue("Content-Type")).as(c[0]).hasValue("text/plain; charset=UTF-8");
            assertThat(served.headers().firstValue("Content-Security-Policy"))
                    .hasValueSatisfying(v -> assertThat(v).contains("sandbox", "default-src 'none'"));
            assertThat(served.body()).isEqualTo(c[1].getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void imagesKeepTheirType() {
        byte[] png = Arrays.copyOf(
                new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'}, 64);
        String url = path(json(upload(new Multipart().file("pic.png", png)))
                .getJsonArray("files")
                .getJsonObject(0)
                .getString("url"));
        assertThat(get(url).headers().firstValue("Content-Type")).hasValue("image/png");
    }

    /**
     * A hundred clients that stop reading a large file must not make the server queue the file for them: Grizzly's
     * write queue was unbounded and copied onto the heap, so this ran a 256 MiB origin out of memory within seconds.
     */
    @Test
    void stalledReadersDoNotExhaustTheServer() throws Exception {
        byte[] big = random(48 << 20);
        String url = path(json(upload(new Multipart().file("big.mp4", big)))
                .getJsonArray("files")
                .getJsonObject(0)
                .getString("url"));
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                Socket socket = new Socket();
                socket.setReceiveBufferSize(4096);
                socket.connect(new InetSocketAddress("127.0.0.1", PomfClient.PORT), 5000);
                socket.getOutputStream()
                        .write(("GET " + url + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                stalled.add(socket);
            }
            Thread.sleep(5000); // long enough for an unbounded queue to take in gigabytes
            HttpResponse<String> health = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(PomfClient.uri("/health/live"))
                                    .timeout(Duration.ofSeconds(15))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
        HttpResponse<byte[]> whole = get(url);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(PomfClient.sha256(whole.body())).isEqualTo(PomfClient.sha256(big));
    }

    /**
     * A client may have {@value #ANSWERS} answers in flight; the next one is refused with 429 (Retry-After, no-store)
     * while they run, other clients and an edge's fetches are not, and once its clients hang up the client has its
     * whole allowance again: no count is left behind.
     */
    @Test
    void aClientHasAtMostItsCapOfAnswersInFlightAndAllOfItAgainAfterHangingUp() throws Exception {
        String name = bigFile().substring(3);
        String client = "X-Forwarded-For: 198.51.100.20";
        for (int round = 0; round < 2; round++) {
            List<PacedReader> readers = new ArrayList<>();
            try {
                for (int i = 0; i < ANSWERS; i++) {
                    readers.add(PacedReader.get(PomfClient.PORT, name, client));
                }
                assertThat(readers).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
                HttpResponse<byte[]> refused = get(video, "X-Forwarded-For", "198.51.100.20");
                assertThat(refused.statusCode()).isEqualTo(429);
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
                assertThat(refused.headers().firstValue("Cache-Control")).hasValue("no-store");
                assertThat(get(video, "X-Forwarded-For", "198.51.100.21").statusCode())
                        .isEqualTo(200);
                assertThat(get(video, "X-Forwarded-For", "198.51.100.20", "X-Pomf-Edge-Fetch", EDGE_TOKEN)
                                .statusCode())
                        .isEqualTo(200);
            } finally {
                for (PacedReader reader : readers) {
                    reader.close();
                }
            }
            // The hang-ups reach the server a moment later.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                            get(video, "X-Forwarded-For", "198.51.100.20").statusCode())
                    .isEqualTo(200));
        }
    }

    /**
     * With {@code pomf.delivery.min-rate}, readers that take nothing are cut once a window shows it (long before the
     * send timeout) and give their slots back; a reader at an honest slow pace is not cut.
     */
    @Test
    void readersBelowTheMinimumRateAreCutAndGiveTheirSlotsBackWhileASlowReaderGoesOn() throws Exception {
        String name = bigFile().substring(3);
        String client = "X-Forwarded-For: 198.51.100.30";
        List<PacedReader> stalled = new ArrayList<>();
        try (PacedReader honest = PacedReader.get(PomfClient.PORT, name, "X-Forwarded-For: 198.51.100.31")) {
            for (int i = 0; i < ANSWERS; i++) {
                stalled.add(PacedReader.get(PomfClient.PORT, name, client));
            }
            assertThat(get(video, "X-Forwarded-For", "198.51.100.30").statusCode())
                    .isEqualTo(429);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            // 128 KB/s for 18 s: two windows and more, while the others read nothing.
            assertThat(honest.read(body, 18 * 128_000, 128_000)).isTrue();
            assertThat(honest.heldOpenByServer()).isTrue();
            await().atMost(Duration.ofSeconds(16)).untilAsserted(() -> assertThat(stalled)
                    .noneSatisfy(r -> assertThat(r.heldOpenByServer()).isTrue()));
            assertThat(get(video, "X-Forwarded-For", "198.51.100.30").statusCode())
                    .isEqualTo(200);
        } finally {
            for (PacedReader reader : stalled) {
                reader.close();
            }
        }
    }

    /** A file larger than what the socket buffers and the server's queue hold for a client that reads nothing. */
    /** {@code guesser} asks for {@value #GUESSES} unknown names, each a 404: its bucket is empty after them. */
    private static void useUpUnknownNames(String guesser, String prefix) {
        for (int i = 0; i < GUESSES; i++) {
            assertThat(get("/f/" + prefix + i + ".mp4", "X-Forwarded-For", guesser)
                            .statusCode())
                    .isEqualTo(404);
        }
    }

    private static CompletableFuture<HttpResponse<byte[]>> getAsync(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(PomfClient.uri(path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return ASYNC.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String bigFile() {
        return path(json(upload(new Multipart().file("long.mp4", random(24 << 20))))
                .getJsonArray("files")
                .getJsonObject(0)
                .getString("url"));
    }

    private static void assertRange(String range, long start, long end) {
        HttpResponse<byte[]> response = get(video, "Range", range);
        assertThat(response.statusCode()).as(range).isEqualTo(206);
        assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes " + start + "-" + end + "/100000");
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(VIDEO, (int) start, (int) end + 1));
    }
}
