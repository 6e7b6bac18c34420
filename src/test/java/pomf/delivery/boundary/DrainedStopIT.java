package pomf.delivery.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import pomf.it.clients.PacedReader;
import pomf.it.clients.PomfClient;
import pomf.it.deployments.Database;
import pomf.it.deployments.Deployments;
import pomf.it.deployments.PayaraProcess;
import pomf.it.origin.TestOrigin;
import pomf.it.origin.TestOriginObject;

/**
 * SIGTERM, as systemd stops a node: the port closes at once, what is in flight finishes (a download on a slow link,
 * an upload still arriving), a request on a kept-alive connection gets a 503 that closes it, then the node exits
 * with its stores closed. Real processes, started as the topology starts them.
 */
class DrainedStopIT {
    static final int EDGE_PORT = 18330;
    static final int ORIGIN_PORT = 18331;
    static final TestOrigin ORIGIN = TestOrigin.start();
    static final java.util.List<Path> WORK = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterAll
    static void cleanUp() {
        ORIGIN.close();
        WORK.forEach(Deployments::deleteTree);
    }

    static Path work() throws IOException {
        Path work = Files.createTempDirectory("pomf-it-drain");
        WORK.add(work);
        return work;
    }

    @Test
    void aDownloadInFlightAtSigtermCompletesWhileNewConnectionsAreRefused() throws Exception {
        Path work = work();
        Path cache = work.resolve("cache");
        TestOriginObject video = ORIGIN.putGenerated("/f/drain123.mp4", 24L << 20);
        TestOriginObject thumb = ORIGIN.put("/f/drain456.jpg", PomfClient.random(4096));
        try (PayaraProcess edge =
                PayaraProcess.edge(EDGE_PORT, ORIGIN.url(), cache, work, Map.of("pomf.edge.min-uses", "1"))) {
            assertThat(Arrays.equals(body(get("drain123.mp4")), video.bytes())).isTrue();
            try (Socket keptAlive = new Socket("127.0.0.1", EDGE_PORT);
                    PacedReader viewer = PacedReader.get(EDGE_PORT, "drain123.mp4")) {
                keptAlive.setSoTimeout(10_000);
                String first = exchange(keptAlive, "drain456.jpg", false);
                assertThat(first).startsWith("HTTP/1.1 200");
                assertThat(viewer.contentLength()).isEqualTo(video.size());
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                assertThat(viewer.read(got, 1 << 20, 4_000_000)).isTrue();

                edge.signalStop();
                long stopped = System.nanoTime();
                PacedReader.sleep(1000);
                assertThatThrownBy(() -> new Socket("127.0.0.1", EDGE_PORT).close())
                        .as("a stopping node accepts no new connection")
                        .isInstanceOf(ConnectException.class);
                String refused = exchange(keptAlive, "drain456.jpg", true);
                assertThat(refused)
                        .as("a request on a connection kept alive from before the stop")
                        .startsWith("HTTP/1.1 503")
                        .containsIgnoringCase("connection: close")
                        .doesNotContain(new String(thumb.bytes(), StandardCharsets.ISO_8859_1));

                // About 6 s more at 4 MB/s: longer than the old stop let it live.
                assertThat(viewer.read(got, video.size() - got.size(), 4_000_000))
                        .as("the download in flight at SIGTERM goes on to its end")
                        .isTrue();
                assertThat(Arrays.equals(got.toByteArray(), video.bytes())).isTrue();
                assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopped))
                        .isGreaterThanOrEqualTo(4);
            }
            assertThat(edge.awaitExit(60)).as("exit code after SIGTERM").isEqualTo(143);
            assertThat(edge.log()).contains("draining", "drained");
            assertThat(cache.resolve("closed-cleanly")).exists();
        }
    }

    @Test
    void anUploadArrivingAtSigtermIsStoredAndAnswered() throws Exception {
        Path work = work();
        Path storage = Files.createDirectories(work.resolve("files"));
        byte[] content = PomfClient.random(3 << 20);
        String sha256 = PomfClient.sha256(content);
        Map<String, String> config = Map.of(
                "pomf.roles",
                "origin",
                "pomf.storage.dir",
                storage.toString(),
                "pomf.public-url",
                "http://127.0.0.1:" + ORIGIN_PORT);
        try (PayaraProcess origin = PayaraProcess.start(ORIGIN_PORT, work, config);
                Socket uploader = new Socket("127.0.0.1", ORIGIN_PORT)) {
            uploader.setSoTimeout(30_000);
            byte[] request =
                    new PomfClient.Multipart().file("drained.bin", content).request("/upload.php");
            OutputStream out = uploader.getOutputStream();
            CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> {
                PacedReader.sleep(1500);
                origin.signalStop();
            });
            // 3 MiB at about 600 KB/s: five seconds, SIGTERM one and a half seconds in.
            for (int at = 0; at < request.length; at += 64 * 1024) {
                out.write(request, at, Math.min(64 * 1024, request.length - at));
                out.flush();
                PacedReader.sleep(100);
            }
            stop.join();
            String answer = readAll(uploader.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 200");
            JsonObject json = Json.createReader(new StringReader(answer.substring(answer.indexOf("\r\n\r\n") + 4)))
                    .readObject();
            assertThat(json.getBoolean("success")).isTrue();
            assertThat(json.getJsonArray("files").getJsonObject(0).getString("hash"))
                    .isEqualTo(PomfClient.sha1(content));
            assertThat(origin.awaitExit(60)).as("exit code after SIGTERM").isEqualTo(143);
            assertThat(Database.count("select count(*) from stored_file where sha256 = ?", sha256))
                    .isEqualTo(1);
            assertThat(Files.readAllBytes(storage.resolve(
                            "blobs/" + sha256.substring(0, 2) + "/" + sha256.substring(2, 4) + "/" + sha256)))
                    .isEqualTo(content);
        }
    }

    /** One GET on {@code socket}; the answer's head (and the whole answer when the server closes after it). */
    static String exchange(Socket socket, String name, boolean untilClosed) throws IOException {
        socket.getOutputStream()
                .write(("GET /f/" + name + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        if (untilClosed) {
            return readAll(in);
        }
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed before the head ended");
            }
            head.write(c);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = Integer.parseInt(text.replaceAll("(?is).*content-length:\\s*(\\d+).*", "$1"));
        in.readNBytes(length);
        return text;
    }

    static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    static java.net.http.HttpResponse<byte[]> get(String name) throws IOException, InterruptedException {
        return java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create("http://127.0.0.1:" + EDGE_PORT + "/f/" + name))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    }

    static byte[] body(java.net.http.HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
