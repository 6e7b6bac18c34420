package pomf.it.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pomf.it.clients.PomfClient;

class TestOriginTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private TestOrigin origin;

    @BeforeEach
    void start() {
        origin = TestOrigin.start();
    }

    @AfterEach
    void stop() {
        origin.close();
    }

    @Test
    void servesTheWholeBodyWithValidators() throws Exception {
        byte[] body = PomfClient.random(10_000);
        TestOriginObject object = origin.put("/f/a.bin", body);

        HttpResponse<byte[]> response = get("/f/a.bin");

        assertThat(origin.url()).isEqualTo("http://127.0.0.1:" + origin.port());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
        assertThat(header(response, "Content-Length")).isEqualTo("10000");
        assertThat(header(response, "ETag")).isEqualTo(object.etag()).matches("\"v1-\\d+\"");
        assertThat(header(response, "Last-Modified")).isEqualTo(HTTP_DATE.format(object.lastModified()));
        assertThat(header(response, "Content-Type")).isEqualTo("application/octet-stream");
        assertThat(header(response, "Accept-Ranges")).isEqualTo("bytes");
        assertThat(origin.requests("/f/a.bin")).isEqualTo(1);
        assertThat(origin.fullFetches("/f/a.bin")).isEqualTo(1);
        assertThat(origin.bytesSent("/f/a.bin")).isEqualTo(10_000);
    }

    @Test
    void headAnnouncesTheLengthWithoutABody() throws Exception {
        origin.put("/f/a.bin", PomfClient.random(5000));

        String answer = raw("HEAD /f/a.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200").containsIgnoringCase("Content-Length: 5000\r\n");
        assertThat(answer).endsWith("\r\n\r\n");
        assertThat(origin.requests("/f/a.bin")).isEqualTo(1);
        assertThat(origin.fullFetches("/f/a.bin")).isZero();
        assertThat(origin.bytesSent("/f/a.bin")).isZero();
    }

    @Test
    void unknownAndRemovedPathsAre404() throws Exception {
        origin.put("/f/a.bin", new byte[] {1, 2, 3});
        assertThat(get("/f/nothing").statusCode()).isEqualTo(404);
        assertThat(get("/f/a.bin").statusCode()).isEqualTo(200);

        origin.remove("/f/a.bin");

        assertThat(get("/f/a.bin").statusCode()).isEqualTo(404);
        assertThat(origin.object("/f/a.bin")).isNull();
        assertThat(origin.requests("/f/nothing")).isEqualTo(1);
    }

    @Test
    void emptyBodiesHaveLengthZero() throws Exception {
        origin.put("/f/empty", new byte[0]);

        HttpResponse<byte[]> response = get("/f/empty");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(header(response, "Content-Length")).isEqualTo("0");
        assertThat(get("/f/empty", "Range", "bytes=0-").statusCode()).isEqualTo(416);
    }

    @Test
    void singleRangesOfEveryFormAndUnsatisfiableOnes() throws Exception {
        byte[] body = PomfClient.random(1000);
        origin.put("/f/r", body);

        assertRange(get("/f/r", "Range", "bytes=10-19"), body, 10, 19);
        assertRange(get("/f/r", "Range", "bytes=990-"), body, 990, 999);
        assertRange(get("/f/r", "Range", "bytes=-100"), body, 900, 999);
        assertRange(get("/f/r", "Range", "bytes=-5000"), body, 0, 999);
        assertRange(get("/f/r", "Range", "bytes=995-5000"), body, 995, 999);
        for (String unsatisfiable : List.of("bytes=1000-", "bytes=5000-6000", "bytes=-0")) {
            HttpResponse<byte[]> response = get("/f/r", "Range", unsatisfiable);
            assertThat(response.statusCode()).as(unsatisfiable).isEqualTo(416);
            assertThat(header(response, "Content-Range")).isEqualTo("bytes */1000");
            assertThat(response.body()).isEmpty();
        }
        // Several ranges, other units, reversed ones: ignored, as FileServlet does.
        for (String ignored : List.of("bytes=0-1,5-6", "items=0-1", "bytes=9-2")) {
            HttpResponse<byte[]> response = get("/f/r", "Range", ignored);
            assertThat(response.statusCode()).as(ignored).isEqualTo(200);
            assertThat(response.body()).isEqualTo(body);
        }

        assertThat(origin.rangeRequests("/f/r"))
                .containsExactly(
                        "bytes=10-19",
                        "bytes=990-",
                        "bytes=-100",
                        "bytes=-5000",
                        "bytes=995-5000",
                        "bytes=1000-",
                        "bytes=5000-6000",
                        "bytes=-0",
                        "bytes=0-1,5-6",
                        "items=0-1",
                        "bytes=9-2");
        assertThat(origin.fullFetches("/f/r")).isEqualTo(3);
        assertThat(origin.bytesSent("/f/r")).isEqualTo(10 + 10 + 100 + 1000 + 5 + 3 * 1000);
    }

    @Test
    void headHonoursRangeAsTheRealOriginDoes() throws Exception {
        origin.put("/f/r", PomfClient.random(1000));

        String answer = raw("HEAD /f/r HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9\r\nConnection: close\r\n\r\n");

        assertThat(answer)
                .startsWith("HTTP/1.1 206")
                .containsIgnoringCase("Content-Length: 10\r\n")
                .containsIgnoringCase("Content-Range: bytes 0-9/1000\r\n")
                .endsWith("\r\n\r\n");
    }

    @Test
    void ifRangeAppliesTheRangeOnlyToTheSameVersion() throws Exception {
        TestOriginObject object = origin.put("/f/r", PomfClient.random(100));

        assertThat(get("/f/r", "Range", "bytes=0-9", "If-Range", object.etag()).statusCode())
                .isEqualTo(206);
        assertThat(get("/f/r", "Range", "bytes=0-9", "If-Range", HTTP_DATE.format(object.lastModified()))
                        .statusCode())
                .isEqualTo(206);
        assertThat(get("/f/r", "Range", "bytes=0-9", "If-Range", "\"other\"").statusCode())
                .isEqualTo(200);
    }

    @Test
    void rangesSwitchedOffAreIgnored() throws Exception {
        byte[] body = PomfClient.random(1000);
        origin.put("/f/r", body).acceptRanges(false);

        HttpResponse<byte[]> response = get("/f/r", "Range", "bytes=0-9");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
        assertThat(response.headers().firstValue("Accept-Ranges")).isEmpty();
        assertThat(origin.fullFetches("/f/r")).isEqualTo(1);
        assertThat(origin.rangeRequests("/f/r")).containsExactly("bytes=0-9");
    }

    @Test
    void conditionalRequestsGet304() throws Exception {
        TestOriginObject object = origin.put("/f/c", PomfClient.random(100));
        String etag = object.etag();
        String modified = HTTP_DATE.format(object.lastModified());
        String earlier = HTTP_DATE.format(object.lastModified().minusSeconds(60));

        HttpResponse<byte[]> notModified = get("/f/c", "If-None-Match", etag);
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(header(notModified, "ETag")).isEqualTo(etag);
        assertThat(notModified.body()).isEmpty();
        assertThat(origin.lastRequestHeaders("/f/c")).containsEntry("if-none-match", etag);

        assertThat(get("/f/c", "If-None-Match", "*").statusCode()).isEqualTo(304);
        assertThat(get("/f/c", "If-None-Match", "\"x\", W/" + etag).statusCode())
                .isEqualTo(304);
        assertThat(get("/f/c", "If-None-Match", "\"x\"").statusCode()).isEqualTo(200);
        assertThat(get("/f/c", "If-Modified-Since", modified).statusCode()).isEqualTo(304);
        assertThat(get("/f/c", "If-Modified-Since", earlier).statusCode()).isEqualTo(200);
        // If-None-Match wins over If-Modified-Since.
        assertThat(get("/f/c", "If-None-Match", "\"x\"", "If-Modified-Since", modified)
                        .statusCode())
                .isEqualTo(200);
        assertThat(raw("HEAD /f/c HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + etag + "\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 304");
        assertThat(origin.fullFetches("/f/c")).isEqualTo(3);
    }

    @Test
    void replacingABodyChangesItsValidatorsAndKeepsItsSettings() throws Exception {
        TestOriginObject first = origin.put("/f/v", PomfClient.random(100)).contentType("image/png");
        String oldEtag = first.etag();
        Instant oldModified = first.lastModified();

        TestOriginObject second = origin.put("/f/v", new byte[] {7, 8, 9});

        assertThat(second).isSameAs(first);
        assertThat(second.etag()).isNotEqualTo(oldEtag).startsWith("\"v2-");
        assertThat(second.lastModified()).isAfter(oldModified);
        HttpResponse<byte[]> response = get("/f/v", "If-None-Match", oldEtag);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).containsExactly(7, 8, 9);
        assertThat(header(response, "Content-Type")).isEqualTo("image/png");
    }

    @Test
    void extraHeadersContentTypeAndValidatorsAreSettable() throws Exception {
        Instant past = Instant.parse("2020-01-02T03:04:05Z");
        origin.put("/f/h", PomfClient.random(10))
                .contentType("text/plain")
                .lastModified(past)
                .header("Set-Cookie", "a=1")
                .header("Set-Cookie", "b=2")
                .header("Cache-Control", "no-store")
                .header("Expires", "Thu, 01 Jan 1970 00:00:00 GMT");
        origin.put("/f/bare", PomfClient.random(10)).etag(null).lastModified(null);

        HttpResponse<byte[]> response = get("/f/h");
        HttpResponse<byte[]> bare = get("/f/bare");

        assertThat(header(response, "Content-Type")).isEqualTo("text/plain");
        assertThat(header(response, "Last-Modified")).isEqualTo("Thu, 02 Jan 2020 03:04:05 GMT");
        assertThat(response.headers().allValues("Set-Cookie")).containsExactlyInAnyOrder("a=1", "b=2");
        assertThat(header(response, "Cache-Control")).isEqualTo("no-store");
        assertThat(header(response, "Expires")).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
        assertThat(bare.headers().firstValue("ETag")).isEmpty();
        assertThat(bare.headers().firstValue("Last-Modified")).isEmpty();
    }

    @Test
    void delayedHeadersAreCountedOnArrival() throws Exception {
        origin.put("/f/d", PomfClient.random(100)).delayHeaders(Duration.ofMillis(1500));
        long began = System.nanoTime();

        CompletableFuture<HttpResponse<byte[]>> pending = getAsync("/f/d");

        await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> origin.requests("/f/d") == 1);
        assertThat(origin.fullFetches("/f/d")).isEqualTo(1);
        assertThat(pending).isNotDone();
        assertThat(pending.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(elapsed(began)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
    }

    @Test
    void throttledBodiesTakeTheirTime() throws Exception {
        byte[] body = PomfClient.random(1024 * 1024);
        origin.put("/f/t", body);
        origin.throttle(1024 * 1024);
        long began = System.nanoTime();

        HttpResponse<byte[]> response = get("/f/t");

        assertThat(elapsed(began)).isGreaterThanOrEqualTo(Duration.ofMillis(800));
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void pauseAfterStallsMidBody() throws Exception {
        byte[] body = PomfClient.random(4000);
        origin.put("/f/p", body).pauseAfter(1000, Duration.ofMillis(1500));

        try (Socket socket = connect()) {
            socket.setSoTimeout(400);
            send(socket, "GET /f/p HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            InputStream in = socket.getInputStream();
            byte[] head = readHead(in);
            assertThat(new String(head, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
            assertThat(in.readNBytes(1000)).isEqualTo(Arrays.copyOf(body, 1000));
            assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
            // The body goes on after the stall.
            socket.setSoTimeout(10_000);
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(body, 1000, 4000));
        }
    }

    @Test
    void dropAfterCutsTheBodyShort() throws Exception {
        origin.put("/f/x", PomfClient.random(10_000)).dropAfter(3000);

        assertThatThrownBy(() -> get("/f/x")).isInstanceOf(IOException.class);
        try (Socket socket = connect()) {
            socket.setSoTimeout(10_000);
            send(socket, "GET /f/x HTTP/1.1\r\nHost: x\r\n\r\n");
            InputStream in = socket.getInputStream();
            assertThat(new String(readHead(in), StandardCharsets.ISO_8859_1))
                    .containsIgnoringCase("Content-Length: 10000\r\n");
            assertThat(in.readAllBytes()).hasSize(3000);
        }
        assertThat(origin.fullFetches("/f/x")).isEqualTo(2);
    }

    @Test
    void failWithAnswersAnErrorGloballyOrPerObject() throws Exception {
        origin.put("/f/a", PomfClient.random(10));
        origin.put("/f/b", PomfClient.random(10)).failWith(502);

        assertThat(get("/f/a").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> failed = get("/f/b");
        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(new String(failed.body(), StandardCharsets.UTF_8)).contains("502");

        origin.failWith(503);
        assertThat(get("/f/a").statusCode()).isEqualTo(503);
        assertThat(get("/f/b").statusCode()).isEqualTo(502);
        assertThat(get("/f/nothing").statusCode()).isEqualTo(503);

        origin.clearFaults();
        assertThat(get("/f/a").statusCode()).isEqualTo(200);
        assertThat(get("/f/b").statusCode()).isEqualTo(200);
        assertThat(origin.fullFetches("/f/b")).isEqualTo(1);
    }

    @Test
    void blackHoleNeverAnswersUntilCleared() throws Exception {
        origin.put("/f/bh", PomfClient.random(10));
        origin.blackHole(true);

        HttpRequest timed = HttpRequest.newBuilder(origin.uri("/f/bh"))
                .timeout(Duration.ofMillis(500))
                .build();
        assertThatThrownBy(() -> http.send(timed, HttpResponse.BodyHandlers.ofByteArray()))
                .isInstanceOf(HttpTimeoutException.class);
        CompletableFuture<HttpResponse<byte[]>> parked = getAsync("/f/bh");
        await().atMost(WAIT).until(() -> origin.requests("/f/bh") == 2);
        assertThat(parked).isNotDone();

        origin.blackHole(false);

        assertThat(parked.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void twoHundredRequestsCanBeParkedAtOnce() throws Exception {
        origin.put("/f/many", PomfClient.random(1000));
        origin.blackHole(true);
        List<CompletableFuture<HttpResponse<byte[]>>> parked = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            parked.add(getAsync("/f/many"));
        }

        await().atMost(WAIT).until(() -> origin.requests("/f/many") == 200);
        origin.clearFaults();

        CompletableFuture.allOf(parked.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(parked).allSatisfy(p -> assertThat(p.join().statusCode()).isEqualTo(200));
        assertThat(origin.totalRequests()).isEqualTo(200);
    }

    @Test
    void stopRefusesConnectionsAndRestartServesOnTheSamePort() throws Exception {
        origin.put("/f/s", PomfClient.random(10));
        int port = origin.port();
        origin.blackHole(true);
        CompletableFuture<HttpResponse<byte[]>> parked = getAsync("/f/s");
        await().atMost(WAIT).until(() -> origin.requests("/f/s") == 1);

        origin.stop();

        assertThat(origin.running()).isFalse();
        assertThatThrownBy(() -> parked.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
        assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);

        origin.clearFaults();
        origin.restart();

        assertThat(origin.port()).isEqualTo(port);
        assertThat(get("/f/s").statusCode()).isEqualTo(200);
    }

    @Test
    void generatedObjectsServeComputedBytes() throws Exception {
        long gib = 1L << 30;
        origin.putGenerated("/f/huge", gib);
        origin.putGenerated("/f/big", 32L << 20);

        HttpResponse<byte[]> whole = get("/f/big");
        assertThat(whole.body()).isEqualTo(TestOrigin.generated(0, 32 << 20));
        HttpResponse<byte[]> window = get("/f/big", "Range", "bytes=4095-8200");
        assertThat(header(window, "Content-Range")).isEqualTo("bytes 4095-8200/" + (32 << 20));
        assertThat(window.body()).isEqualTo(TestOrigin.generated(4095, 4106));
        HttpResponse<byte[]> tail = get("/f/huge", "Range", "bytes=-1000");
        assertThat(header(tail, "Content-Range")).isEqualTo("bytes " + (gib - 1000) + "-" + (gib - 1) + "/" + gib);
        assertThat(tail.body()).isEqualTo(TestOrigin.generated(gib - 1000, 1000));
        assertThat(tail.body()[0]).isEqualTo(TestOrigin.generatedByte(gib - 1000));
        assertThat(raw("HEAD /f/huge HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .containsIgnoringCase("Content-Length: " + gib + "\r\n");
        // A shifted window differs: an off-by-some-bytes error in an edge would show.
        assertThat(TestOrigin.generated(1, 64)).isNotEqualTo(TestOrigin.generated(0, 64));
        assertThat(TestOrigin.generated(256, 64)).isNotEqualTo(TestOrigin.generated(0, 64));
    }

    @Test
    void aSaltedGeneratedObjectIsAnotherBodyAtEveryOffset() throws Exception {
        int size = 3 << 20;
        origin.putGenerated("/f/v.bin", size, 41);
        String first = origin.object("/f/v.bin").etag();
        assertThat(get("/f/v.bin").body()).isEqualTo(TestOrigin.generated(0, size, 41));

        origin.putGenerated("/f/v.bin", size, 42);
        HttpResponse<byte[]> second = get("/f/v.bin", "Range", "bytes=1048576-1052671");
        assertThat(header(second, "ETag")).isNotEqualTo(first);
        assertThat(second.body()).isEqualTo(TestOrigin.generated(1 << 20, 4096, 42));
        // Versions must not share a chunk: bytes agree only by chance (about 1 in 256), nowhere in a long run.
        byte[] a = TestOrigin.generated(0, size, 41);
        byte[] b = TestOrigin.generated(0, size, 42);
        int same = 0;
        for (int i = 0; i < size; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        assertThat(same).isLessThan(size / 100);
        assertThat(TestOrigin.generated(0, 64, 0)).isEqualTo(TestOrigin.generated(0, 64));
    }

    @Test
    void countersSeeEveryRequestAndReset() throws Exception {
        origin.put("/f/a", PomfClient.random(10));
        get("/f/a", "X-Probe", "1");
        HttpResponse<byte[]> post = http.send(
                HttpRequest.newBuilder(origin.uri("/f/a"))
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .timeout(WAIT)
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(origin.totalRequests()).isEqualTo(2);
        assertThat(origin.requests("/f/a")).isEqualTo(1);
        assertThat(origin.lastRequestHeaders("/f/a")).containsEntry("x-probe", "1");

        origin.resetCounters();

        assertThat(origin.totalRequests()).isZero();
        assertThat(origin.requests("/f/a")).isZero();
        assertThat(origin.bytesSent("/f/a")).isZero();
        assertThat(origin.lastRequestHeaders("/f/a")).isEmpty();
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        return http.send(request(path, headers), HttpResponse.BodyHandlers.ofByteArray());
    }

    private CompletableFuture<HttpResponse<byte[]>> getAsync(String path) {
        return http.sendAsync(request(path), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest request(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(origin.uri(path)).timeout(WAIT);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request.build();
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private static void assertRange(HttpResponse<byte[]> response, byte[] body, int first, int last) {
        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(header(response, "Content-Range")).isEqualTo("bytes " + first + "-" + last + "/" + body.length);
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(body, first, last + 1));
    }

    private static Duration elapsed(long began) {
        return Duration.ofNanos(System.nanoTime() - began);
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", origin.port()), 2000);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static void send(Socket socket, String request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Sends a request on a new connection and returns all that comes back until the server closes. */
    private String raw(String request) throws IOException {
        try (Socket socket = connect()) {
            socket.setSoTimeout(10_000);
            send(socket, request);
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Reads the status line and headers, up to and including the empty line. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed inside the headers: " + head);
            }
            head.write(b);
        }
        return head.toByteArray();
    }
}
