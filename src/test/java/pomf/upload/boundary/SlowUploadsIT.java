package pomf.upload.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static pomf.it.clients.PomfClient.get;
import static pomf.it.clients.PomfClient.json;
import static pomf.it.clients.PomfClient.path;
import static pomf.it.clients.PomfClient.random;
import static pomf.it.clients.PomfClient.sha1;
import static pomf.it.clients.PomfClient.upload;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pomf.it.clients.PomfClient;
import pomf.it.clients.PomfClient.Multipart;
import pomf.it.deployments.Deployments;
import pomf.it.deployments.Storage;

/**
 * Slow clients do not hold the server: while more slow uploads are in flight than the HTTP worker pool has
 * threads, a normal upload and a download complete, and afterwards every slow upload completes with its bytes.
 * A client that stops sending without closing is refused after the idle timeout and leaves nothing.
 */
@ExtendWith(ArquillianExtension.class)
class SlowUploadsIT {
    static final Path STORAGE = Deployments.newStorage();
    /** More than the 256 request threads of server-config/pre-boot-commands.txt. */
    static final int SLOW = 300;

    static final Duration TICK = Duration.ofMillis(250);
    static final int BYTES_PER_TICK = 8;
    /** Uploads one client may have in flight at once (issue 14, finding 6); loopback itself is exempt. */
    static final int UPLOADS = 3;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.origin(
                STORAGE,
                Map.of(
                        "pomf.upload.idle-timeout", "5",
                        "pomf.trusted-proxies", "127.0.0.1",
                        "pomf.upload.in-flight-per-client", String.valueOf(UPLOADS)));
    }

    @Test
    void slowUploadsLeaveRoomForOthersAndEachCompletesWithItsBytes() throws Exception {
        List<SlowClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < SLOW; i++) {
                clients.add(new SlowClient(random(4000)));
            }
            CompletableFuture<byte[]> others = CompletableFuture.supplyAsync(SlowUploadsIT::uploadAndDownload);
            // Each slow client sends a few bytes a tick (its whole body would take 2 minutes), until the others are
            // done: on a server that gave every slow upload a thread, they would never be.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!others.isDone() && System.nanoTime() < deadline) {
                for (SlowClient client : clients) {
                    client.trickle(BYTES_PER_TICK);
                }
                Thread.sleep(TICK.toMillis());
            }
            assertThat(clients).allSatisfy(c -> assertThat(c.sent).isLessThan(c.request.length));
            byte[] downloaded;
            try {
                downloaded = others.get(0, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("a normal upload and a download did not complete while " + SLOW
                        + " slow uploads were in flight");
            }
            assertThat(downloaded).hasSize(256 * 1024);

            for (SlowClient client : clients) {
                client.sendRest();
            }
            for (SlowClient client : clients) {
                JsonObject file = client.answer();
                assertThat(file.getString("hash")).isEqualTo(sha1(client.content));
                assertThat(file.getJsonNumber("size").longValue()).isEqualTo(client.content.length);
            }
        } finally {
            for (SlowClient client : clients) {
                client.close();
            }
        }
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(Storage.temporaryFiles(STORAGE)).isEmpty());
    }

    @Test
    void aClientThatStopsSendingIsRefusedAfterTheIdleTimeoutAndLeavesNothing() throws Exception {
        byte[] request = new Multipart().file("stalled.bin", random(100_000)).request("/upload.php?output=text");
        try (Socket socket = new Socket("127.0.0.1", PomfClient.PORT)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request, 0, request.length / 2);
            out.flush();
            // ... and nothing more, without closing. (The server may keep the connection open a while to swallow
            // the rest of the body: the answer is read by its length.)
            String answer = readAnswer(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 408").endsWith("ERROR: (408) The upload stalled: no data for 5 s.");
        }
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(Storage.temporaryFiles(STORAGE)).isEmpty());
    }

    /**
     * A client may have {@value #UPLOADS} uploads in flight; the next is refused with 429 in its format while they
     * run (another client is not), they complete, and after clients that hang up mid-body the client has its whole
     * allowance again: no count is left behind.
     */
    @Test
    void aClientHasAtMostItsCapOfUploadsInFlightAndAllOfItAgainAfterHangingUp() throws Exception {
        String client = "198.51.100.40";
        List<SlowClient> hungUp = slowClients(client);
        assertThat(quickUpload(client, "text").statusCode()).isEqualTo(429);
        for (SlowClient c : hungUp) {
            c.close();
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        assertThat(quickUpload(client, "json").statusCode()).isEqualTo(200));

        List<SlowClient> running = slowClients(client);
        try {
            HttpResponse<String> text = quickUpload(client, "text");
            assertThat(text.statusCode()).isEqualTo(429);
            assertThat(text.headers().firstValue("Retry-After")).isPresent();
            assertThat(text.body()).startsWith("ERROR: (429) ");
            HttpResponse<String> refused = quickUpload(client, "json");
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(json(refused).getBoolean("success")).isFalse();
            assertThat(json(refused).getInt("errorcode")).isEqualTo(429);
            assertThat(quickUpload("198.51.100.41", "json").statusCode()).isEqualTo(200);
            for (SlowClient c : running) {
                c.sendRest();
            }
            for (SlowClient c : running) {
                assertThat(c.answer().getString("hash")).isEqualTo(sha1(c.content));
            }
        } finally {
            for (SlowClient c : running) {
                c.close();
            }
        }
        assertThat(quickUpload(client, "json").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(Storage.temporaryFiles(STORAGE)).isEmpty());
    }

    /** {@value #UPLOADS} uploads from {@code client}, each with a part of its body sent. */
    private static List<SlowClient> slowClients(String client) throws Exception {
        List<SlowClient> clients = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
            clients.add(new SlowClient(random(4000), client));
        }
        // Each is in flight once the server has its headers: a refused one would be answered at once.
        Thread.sleep(300);
        return clients;
    }

    private static HttpResponse<String> quickUpload(String client, String output) throws Exception {
        Multipart body = new Multipart().file("quick.bin", random(1000));
        return java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(PomfClient.uri("/upload.php?output=" + output))
                                .header("Content-Type", body.contentType())
                                .header("X-Forwarded-For", client)
                                .timeout(Duration.ofSeconds(15))
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** An answer read by its length (the server may keep reading what the client sends after it). */
    static String readAnswer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        java.util.regex.Matcher length =
                java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        int size = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return head + new String(in.readNBytes(size), StandardCharsets.UTF_8);
    }

    /** A normal upload of 256 KiB, then a download of it: what other clients do meanwhile. */
    private static byte[] uploadAndDownload() {
        byte[] content = random(256 * 1024);
        HttpResponse<String> uploaded = upload(new Multipart().file("normal.bin", content));
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
        JsonObject file = json(uploaded).getJsonArray("files").getJsonObject(0);
        assertThat(file.getString("hash")).isEqualTo(sha1(content));
        HttpResponse<byte[]> downloaded = get(path(file.getString("url")));
        assertThat(downloaded.statusCode()).isEqualTo(200);
        assertThat(downloaded.body()).isEqualTo(content);
        return downloaded.body();
    }

    /** One upload sent a few bytes at a time on its own connection; the server closes it after the answer. */
    static final class SlowClient implements AutoCloseable {
        final byte[] content;
        final byte[] request;
        final Socket socket;
        final OutputStream out;
        int sent;

        SlowClient(byte[] content) throws IOException {
            this(content, null);
        }

        /** An upload from {@code client} (as a trusted proxy would say it), or from loopback itself when null. */
        SlowClient(byte[] content, String client) throws IOException {
            this.content = content;
            byte[] plain = new Multipart().file("slow.bin", content).request("/upload.php");
            this.request = client == null
                    ? plain
                    : new String(plain, StandardCharsets.ISO_8859_1)
                            .replaceFirst("\r\n", "\r\nX-Forwarded-For: " + client + "\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1);
            this.socket = new Socket("127.0.0.1", PomfClient.PORT);
            socket.setSoTimeout(30_000);
            this.out = socket.getOutputStream();
            // The request line, the headers and the part's headers at once, as a client on a slow link would.
            // ISO-8859-1 maps each byte to one char: the index is the byte offset.
            int head = new String(request, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") + 200;
            out.write(request, 0, head);
            out.flush();
            sent = head;
        }

        void trickle(int bytes) throws IOException {
            int n = Math.min(bytes, request.length - sent - 1);
            if (n > 0) {
                out.write(request, sent, n);
                out.flush();
                sent += n;
            }
        }

        void sendRest() throws IOException {
            out.write(request, sent, request.length - sent);
            out.flush();
            sent = request.length;
        }

        JsonObject answer() throws IOException {
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200");
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            return Json.createReader(new StringReader(body))
                    .readObject()
                    .getJsonArray("files")
                    .getJsonObject(0);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
