package pomf.upload.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static pomf.it.clients.PomfClient.json;
import static pomf.it.clients.PomfClient.random;
import static pomf.it.clients.PomfClient.raw;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pomf.it.clients.PomfClient;
import pomf.it.clients.PomfClient.Multipart;
import pomf.it.deployments.Deployments;
import pomf.it.deployments.Storage;

/** Configured limits: size (413 as early as known), rate per client behind a trusted proxy, expiry cap, URL mode. */
@ExtendWith(ArquillianExtension.class)
class LimitsIT {
    static final Path STORAGE = Deployments.newStorage();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.origin(
                STORAGE,
                Map.ofEntries(
                        Map.entry("pomf.upload.max-size", Integer.toString(1 << 20)),
                        Map.entry("pomf.upload.rate-limit", "6"),
                        Map.entry("pomf.upload.rate-burst", "3"),
                        Map.entry("pomf.trusted-proxies", "127.0.0.1,::1"),
                        Map.entry("pomf.upload.relative-urls", "true"),
                        Map.entry("pomf.upload.max-expiry", "1d"),
                        // Retention by size: 1 h at the 1 MiB limit, up to 30 d for small files (capped at 1 d).
                        Map.entry("pomf.upload.retention.min", "1h"),
                        Map.entry("pomf.upload.retention.max", "30d"),
                        Map.entry("pomf.upload.max-files", "3"),
                        // Issue 14, finding 6: at least 2000 bytes/s over each 2 s, and 8 s at most.
                        Map.entry("pomf.upload.min-rate", "2000"),
                        Map.entry("pomf.upload.min-rate-window", "2"),
                        Map.entry("pomf.upload.deadline", "8")));
    }

    @Test
    void anAnnouncedOversizedBodyIsRefusedBeforeItIsSent() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", PomfClient.PORT)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload.php HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 192.0.2.10\r\n"
                            + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 50000000\r\n"
                            + "Expect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // No body byte is sent: the answer must come from the headers alone. (Grizzly acknowledges the
            // Expect itself before the application runs, so an interim 100 may precede the final 413.)
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String last = answer.substring(answer.lastIndexOf("HTTP/1.1 "));
            assertThat(last)
                    .startsWith("HTTP/1.1 413")
                    .endsWith(
                            "{\"success\":false,\"errorcode\":413,\"description\":\"File too large (limit 1 MiB).\"}");
        }
    }

    @Test
    void aChunkedBodyIsCutOffAsSoonAsItPassesTheLimit() throws Exception {
        long offered = 32L << 20;
        AtomicLong sent = new AtomicLong();
        try (Socket socket = new Socket("127.0.0.1", PomfClient.PORT)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload.php?output=text HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 192.0.2.11\r\n"
                            + "Content-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            chunk(
                    out,
                    "--b\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"big.bin\"\r\n\r\n".getBytes());
            Thread sender = new Thread(() -> {
                try {
                    while (sent.get() < offered) {
                        chunk(out, random(64 * 1024));
                        sent.addAndGet(64 * 1024);
                    }
                } catch (IOException closedByServer) {
                    // expected: the server closes the connection after its answer
                }
            });
            sender.start();
            String answer = readAll(socket.getInputStream());
            sender.join(10_000);
            assertThat(answer).startsWith("HTTP/1.1 413").endsWith("ERROR: (413) File too large (limit 1 MiB).");
            assertThat(sent.get())
                    .as("the server stopped the body long before its end")
                    .isLessThan(offered);
        }
        assertThat(Storage.temporaryFiles(STORAGE)).isEmpty();
    }

    @Test
    void aFileOverTheLimitInsideAnAcceptableRequestIsRefused() {
        HttpResponse<String> response = PomfClient.upload(new Multipart().file("big.bin", random((1 << 20) + 1)));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).getString("description")).isEqualTo("File too large (limit 1 MiB).");
    }

    @Test
    void eachClientBehindTheProxyHasItsOwnRate() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(uploadAs("198.51.100.7").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> limited = uploadAs("198.51.100.7");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After"))
                .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 60));
        assertThat(json(limited).getString("description")).isEqualTo("Rate limit exceeded.");
        assertThat(uploadAs("198.51.100.8").statusCode()).as("another client").isEqualTo(200);
        // The proxy's own hop is trusted, the client's claims to the left are not: the right-most untrusted counts.
        assertThat(uploadAs("203.0.113.1, 198.51.100.7").statusCode()).isEqualTo(429);
    }

    @Test
    void relativeUrlModeAnswersTheStoredNameOnly() throws Exception {
        HttpResponse<String> response = uploadAs("198.51.100.20");
        assertThat(json(response).getJsonArray("files").getJsonObject(0).getString("url"))
                .matches("[A-Za-z0-9]{8}\\.bin");
    }

    @Test
    void expiryIsCappedByConfiguration() throws Exception {
        HttpResponse<String> response = send(
                HttpRequest.newBuilder(PomfClient.uri("/upload.php")).header("X-Forwarded-For", "198.51.100.30"),
                new Multipart().file("a.bin", random(10)).field("expiry", "30d"));
        OffsetDateTime expires = OffsetDateTime.parse(
                json(response).getJsonArray("files").getJsonObject(0).getString("expires"));
        assertThat(Duration.between(OffsetDateTime.now(), expires))
                .isBetween(Duration.ofHours(23), Duration.ofHours(25));
    }

    @Test
    void retentionBySizeKeepsALargeFileShorterThanASmallOne() throws Exception {
        HttpResponse<String> response = send(
                HttpRequest.newBuilder(PomfClient.uri("/upload.php")).header("X-Forwarded-For", "198.51.100.50"),
                new Multipart().file("large.bin", random((1 << 20) - 1000)).field("expiry", "never"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        OffsetDateTime expires = OffsetDateTime.parse(
                json(response).getJsonArray("files").getJsonObject(0).getString("expires"));
        assertThat(Duration.between(OffsetDateTime.now(), expires))
                .as("a file of the size limit is kept the curve's minimum, even when it asked for ever")
                .isBetween(Duration.ofMinutes(59), Duration.ofMinutes(61));

        HttpResponse<String> small = send(
                HttpRequest.newBuilder(PomfClient.uri("/upload.php")).header("X-Forwarded-For", "198.51.100.51"),
                new Multipart().file("small.bin", random(100)).field("expiry", "never"));
        assertThat(Duration.between(
                        OffsetDateTime.now(),
                        OffsetDateTime.parse(json(small)
                                .getJsonArray("files")
                                .getJsonObject(0)
                                .getString("expires"))))
                .as("a small file: the curve's 30 days, within pomf.upload.max-expiry")
                .isBetween(Duration.ofHours(23), Duration.ofHours(25));
    }

    @Test
    void tooManyFilesInOneRequestAreRefused() throws Exception {
        Multipart body = new Multipart();
        for (int i = 0; i < 4; i++) {
            body.file("f" + i + ".bin", random(10));
        }
        HttpResponse<String> response = send(
                HttpRequest.newBuilder(PomfClient.uri("/upload.php")).header("X-Forwarded-For", "198.51.100.40"), body);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).getString("description")).isEqualTo("Too many files (limit 3).");
    }

    @Test
    void theUploadPageShowsTheLimits() {
        String page = PomfClient.getText("/").body();
        assertThat(page)
                .contains(
                        "1 MiB per file",
                        "Files are kept by size: up to 1 day(s) for small files",
                        "1 hour(s) at the size limit",
                        "action=\"/upload.php?output=html\"",
                        "name=\"files[]\"",
                        "multiple",
                        "enctype=\"multipart/form-data\"");
        assertThat(raw("GET /static/upload.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes()))
                .startsWith("HTTP/1.1 200")
                .contains("XMLHttpRequest");
    }

    private static HttpResponse<String> uploadAs(String forwardedFor) throws Exception {
        return send(
                HttpRequest.newBuilder(PomfClient.uri("/upload.php")).header("X-Forwarded-For", forwardedFor),
                new Multipart().file("a.bin", random(10)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, Multipart body) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        request.header("Content-Type", body.contentType())
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUploadBelowTheMinimumRateIsRefusedWith408AndLeavesNothing() throws Exception {
        // 500 bytes/s: progress all along (the idle timeout never fires), but a quarter of the minimum rate.
        String answer = pacedUpload("192.0.2.30", 20_000, 500);
        assertThat(answer).startsWith("HTTP/1.1 408").contains("ERROR: (408) The upload is too slow");
        assertThat(Storage.temporaryFiles(STORAGE)).isEmpty();
    }

    @Test
    void anUploadLongerThanTheDeadlineIsRefusedWith408AndLeavesNothing() throws Exception {
        // 40 KB/s, twenty times the minimum rate, but 600 KB take 15 s.
        String answer = pacedUpload("192.0.2.31", 600_000, 40_000);
        assertThat(answer).startsWith("HTTP/1.1 408").contains("ERROR: (408) The upload took too long");
        assertThat(Storage.temporaryFiles(STORAGE)).isEmpty();
    }

    @Test
    void aSlowHonestUploadWithinTheRulesCompletes() throws Exception {
        // 10 KB/s for 5 s: five times the minimum rate, within the deadline.
        String answer = pacedUpload("192.0.2.32", 50_000, 10_000);
        assertThat(answer).startsWith("HTTP/1.1 200").endsWith(".bin\n"); // relative-urls: the stored name
    }

    /**
     * Uploads a file of {@code size} bytes at {@code bytesPerSecond} (text output) from {@code client}, sending until
     * the server answers or the body ends; returns the answer, read within 20 s.
     */
    private static String pacedUpload(String client, int size, int bytesPerSecond) throws Exception {
        byte[] plain = new Multipart().file("paced.bin", random(size)).request("/upload.php?output=text");
        byte[] request = new String(plain, StandardCharsets.ISO_8859_1)
                .replaceFirst("\r\n", "\r\nX-Forwarded-For: " + client + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        try (Socket socket = new Socket("127.0.0.1", PomfClient.PORT)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            Thread sender = new Thread(() -> {
                try {
                    int step = Math.max(1, bytesPerSecond / 10);
                    long start = System.nanoTime();
                    for (int sent = 0; sent < request.length; ) {
                        int n = Math.min(step, request.length - sent);
                        out.write(request, sent, n);
                        out.flush();
                        sent += n;
                        long due = start + sent * 1_000_000_000L / bytesPerSecond;
                        long wait = (due - System.nanoTime()) / 1_000_000;
                        if (wait > 0) {
                            Thread.sleep(wait);
                        }
                    }
                } catch (IOException | InterruptedException closedByServer) {
                    // expected when the server refuses: it closes the connection after its answer
                }
            });
            sender.setDaemon(true);
            sender.start();
            return SlowUploadsIT.readAnswer(socket.getInputStream());
        }
    }

    private static void chunk(OutputStream out, byte[] data) throws IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
