package pomf.it.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pomf.witness.control.CheckResult;
import pomf.witness.control.HttpsProbe;
import pomf.witness.control.Outcome;
import pomf.witness.control.ProbeSettings;
import pomf.witness.control.Target;
import pomf.witness.control.TrustStores;

/** A {@link TlsFront} before a real plain-HTTP server, checked as clients and the witness see it. */
class TlsFrontTest {
    private static final String ADDRESS = "127.0.0.81";
    private static final int PORT = 18901;
    private static final InetSocketAddress BACKEND = new InetSocketAddress("127.0.0.1", 18900);
    private static final InetSocketAddress RAW_BACKEND = new InetSocketAddress("127.0.0.1", 18902);
    private static final byte[] BODY = new byte[20 * 1024 * 1024];
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

    static {
        new Random(6).nextBytes(BODY);
    }

    /** Shared by the tests: the front reuses its key pair, so keytool runs once. */
    @TempDir
    static Path keys;

    private HttpServer backend;
    private ExecutorService backendThreads;
    private TlsFront front;
    private HttpClient client;

    @BeforeEach
    void start() throws IOException {
        startBackend();
        front = TlsFront.start(keys, ADDRESS, PORT, BACKEND);
        client = client(trusting());
    }

    @AfterEach
    void stop() {
        front.close();
        stopBackend();
    }

    @Test
    void healthCheckIsRelayed() throws Exception {
        HttpResponse<String> response = client.send(get("/health/ready"), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":200}");
    }

    @Test
    void largeBodyArrivesIntact() throws Exception {
        assertThat(download(client, get("/video"), 200)).isEqualTo(sha256(BODY, 0, BODY.length));
    }

    @Test
    void rangeRequestGetsExactlyThoseBytes() throws Exception {
        int first = 7_340_033;
        int last = 9_999_999;
        HttpRequest request = HttpRequest.newBuilder(front.url("/video"))
                .header("Range", "bytes=" + first + "-" + last)
                .build();

        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.headers().firstValue("Content-Range"))
                .contains("bytes " + first + "-" + last + "/" + BODY.length);
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(BODY, first, last + 1));
    }

    @Test
    void twentyParallelDownloadsArriveIntact() throws Exception {
        String expected = sha256(BODY, 0, BODY.length);
        ExecutorService downloads = Executors.newFixedThreadPool(20);
        try {
            List<Future<String>> hashes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                hashes.add(downloads.submit(() -> download(client, get("/video"), 200)));
            }
            for (Future<String> hash : hashes) {
                assertThat(hash.get(120, TimeUnit.SECONDS)).isEqualTo(expected);
            }
        } finally {
            downloads.shutdownNow();
        }
    }

    @Test
    void deadBackendFailsRequestsQuicklyAndARestartedOneServesAgain() throws Exception {
        assertThat(status(client)).isEqualTo(200);

        stopBackend();
        long start = System.nanoTime();
        int whileDead = status(client);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(whileDead).isNotEqualTo(200);
        assertThat(took).isLessThan(Duration.ofSeconds(2));

        startBackend();
        assertThat(status(client)).isEqualTo(200);
    }

    @Test
    void witnessCheckPassesWhileTheBackendLivesAndFailsWhenItDies() throws Exception {
        ProbeSettings settings = ProbeSettings.defaults(Executors.defaultThreadFactory())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2))
                .withSslContext(trusting());
        Target edge = new Target("edge", ADDRESS, front.url("/health/ready"), 22);
        try (HttpsProbe probe = new HttpsProbe(settings)) {
            assertThat(probe.check(edge).get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.OK);

            stopBackend();
            CheckResult dead = probe.check(edge).get(10, TimeUnit.SECONDS);

            assertThat(dead.outcome()).isNotEqualTo(Outcome.OK);
            assertThat(dead.latency()).isLessThan(Duration.ofSeconds(2));

            startBackend();
            assertThat(probe.check(edge).get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.OK);
        }
    }

    @Test
    void clientWithTheJdksDefaultTrustFailsTheHandshake() {
        HttpClient untrusting = client(defaultTrust());

        assertThatThrownBy(() -> untrusting.send(get("/health/ready"), HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void certificateNamesOnlyTheFrontsAddress() throws Exception {
        assertThatThrownBy(() -> handshake("127.0.0.82"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("127.0.0.82");
        handshake(ADDRESS).close(); // the same check passes for the address the certificate names
    }

    @Test
    void closeStopsListeningAndEndsOpenConnections() throws Exception {
        SSLSocket open = handshake(ADDRESS);
        await().atMost(Duration.ofSeconds(5)).until(() -> front.openConnections() == 1);

        front.close();

        assertThat(front.openConnections()).isZero();
        assertThatThrownBy(() -> new Socket(ADDRESS, PORT).close()).isInstanceOf(ConnectException.class);
        open.setSoTimeout(5_000);
        assertThatThrownBy(() -> {
                    if (open.getInputStream().read() < 0) {
                        throw new IOException("end of stream");
                    }
                })
                .isInstanceOf(IOException.class);
        open.close();
    }

    @Test
    void connectionsBeyondTheCapAreClosedAtOnce() throws Exception {
        front.close();
        front = TlsFront.start(keys, ADDRESS, PORT, BACKEND, 2);
        SSLSocket first = handshake(ADDRESS);
        SSLSocket second = handshake(ADDRESS);
        await().atMost(Duration.ofSeconds(5)).until(() -> front.openConnections() == 2);

        assertThatThrownBy(() -> handshake(ADDRESS)).isInstanceOf(IOException.class);

        first.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> front.openConnections() == 1);
        handshake(ADDRESS).close();
        second.close();
    }

    @Test
    void endOfTheClientsOutputReachesTheBackendAndTheAnswerStillComesBack() throws Exception {
        front.close();
        front = TlsFront.start(keys, ADDRESS, PORT, RAW_BACKEND);
        try (ServerSocket counter = new ServerSocket()) {
            counter.setReuseAddress(true);
            counter.bind(RAW_BACKEND);
            ExecutorService answerer = Executors.newSingleThreadExecutor();
            Future<?> answering = answerer.submit(() -> countUntilEnd(counter));
            try (SSLSocket tls = handshake(ADDRESS)) {
                tls.setSoTimeout(10_000);
                tls.getOutputStream().write(BODY, 0, 1_000_000);
                tls.shutdownOutput();

                String answer = new String(tls.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

                assertThat(answer).isEqualTo("got 1000000");
            }
            answering.get(10, TimeUnit.SECONDS);
            answerer.shutdown();
        }
    }

    private static Void countUntilEnd(ServerSocket counter) throws IOException {
        try (Socket peer = counter.accept()) {
            long count = peer.getInputStream().transferTo(OutputStream.nullOutputStream());
            peer.getOutputStream().write(("got " + count).getBytes(StandardCharsets.US_ASCII));
        }
        return null;
    }

    /** A TLS connection to the front verifying its certificate for {@code expectedAddress}, handshake done. */
    private SSLSocket handshake(String expectedAddress) throws IOException {
        Socket plain = new Socket(ADDRESS, PORT);
        SSLSocket tls = (SSLSocket) trusting().getSocketFactory().createSocket(plain, expectedAddress, PORT, true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.setSoTimeout(5_000);
        try {
            tls.startHandshake();
            return tls;
        } catch (IOException e) {
            tls.close();
            throw e;
        }
    }

    /** The status of a health check, or -1 when the request failed. */
    private int status(HttpClient through) throws InterruptedException {
        try {
            return through.send(get("/health/ready"), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String download(HttpClient through, HttpRequest request, int expectedStatus) throws Exception {
        HttpResponse<InputStream> response = through.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(expectedStatus);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream body = response.body()) {
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = body.read(buffer)) >= 0) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(byte[] bytes, int offset, int length) throws NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(bytes, offset, length);
        return HexFormat.of().formatHex(digest.digest());
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(front.url(path))
                .timeout(Duration.ofSeconds(60))
                .build();
    }

    private SSLContext trusting() {
        return TrustStores.sslContext(Optional.of(front.trustStore()), Optional.of(front.trustStorePassword()));
    }

    private static SSLContext defaultTrust() {
        return TrustStores.sslContext(Optional.empty(), Optional.empty());
    }

    private static HttpClient client(SSLContext trust) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .sslContext(trust)
                .build();
    }

    private void startBackend() throws IOException {
        backend = HttpServer.create(BACKEND, 64);
        backend.createContext("/health/ready", exchange -> answer(exchange, "{\"status\":200}"));
        backend.createContext("/video", TlsFrontTest::video);
        backendThreads = Executors.newFixedThreadPool(24);
        backend.setExecutor(backendThreads);
        backend.start();
    }

    private void stopBackend() {
        if (backend != null) {
            backend.stop(0);
            backendThreads.shutdownNow();
            backend = null;
        }
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        try (exchange) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** The whole body, or one {@code bytes=FIRST-LAST} range of it as 206, as an edge answers a seek. */
    private static void video(HttpExchange exchange) throws IOException {
        try (exchange) {
            String range = exchange.getRequestHeaders().getFirst("Range");
            int first = 0;
            int last = BODY.length - 1;
            int status = 200;
            if (range != null) {
                Matcher matcher = RANGE.matcher(range);
                if (!matcher.matches() || Integer.parseInt(matcher.group(1)) >= BODY.length) {
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
                first = Integer.parseInt(matcher.group(1));
                last = Math.min(last, Integer.parseInt(matcher.group(2)));
                status = 206;
                exchange.getResponseHeaders().set("Content-Range", "bytes " + first + "-" + last + "/" + BODY.length);
            }
            exchange.sendResponseHeaders(status, last - first + 1L);
            OutputStream out = exchange.getResponseBody();
            for (int at = first; at <= last; at += 64 * 1024) {
                out.write(BODY, at, Math.min(64 * 1024, last + 1 - at));
            }
        }
    }
}
