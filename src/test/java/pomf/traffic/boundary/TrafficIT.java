package pomf.traffic.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static pomf.it.clients.PomfClient.json;
import static pomf.it.clients.PomfClient.path;
import static pomf.it.clients.PomfClient.random;
import static pomf.it.clients.PomfClient.upload;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pomf.it.clients.PomfClient;
import pomf.it.clients.PomfClient.Multipart;
import pomf.it.deployments.Database;
import pomf.it.deployments.Deployments;
import pomf.it.deployments.PayaraProcess;

/** Traffic records end to end: what is served is what the tables hold, through outages, edges and shutdowns. */
@ExtendWith(ArquillianExtension.class)
class TrafficIT {
    static final String NODE = "traffic-it-origin";
    static final String TOKEN = "test-traffic-token";
    static final String API_TOKEN = "test-api-token";
    static final int PORT = 18600;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final List<Path> WORK = new ArrayList<>();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.origin(
                Deployments.newStorage(),
                Map.of(
                        "pomf.node.name", NODE,
                        "pomf.traffic.flush-seconds", "1",
                        "pomf.traffic.token", TOKEN,
                        "pomf.api.token", API_TOKEN));
    }

    @AfterAll
    static void cleanUp() {
        WORK.forEach(Deployments::deleteTree);
    }

    @Test
    void everyFileAnswerOfTheOriginIsRecordedOncePerMinuteAndPerFile() throws Exception {
        TrafficRows.clear(NODE);
        String a = uploaded(random(10_000));
        String b = uploaded(random(3_000));
        HttpResponse<byte[]> whole = PomfClient.get(a);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(PomfClient.get(a, "Range", "bytes=0-99").statusCode()).isEqualTo(206);
        String etag = PomfClient.get(b).headers().firstValue("ETag").orElseThrow();
        assertThat(PomfClient.get(b, "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(PomfClient.get("/f/nosuchfile.bin").statusCode()).isEqualTo(404);

        TrafficRows expected = new TrafficRows(5, 10_000 + 100 + 3_000, 3, 1, 1, 0, 0, 0, 0, 0, 0);
        awaitExactly(NODE, "origin", expected);
        assertThat(TrafficRows.file(NODE, name(a))).containsExactly(2L, 10_100L);
        assertThat(TrafficRows.file(NODE, name(b))).containsExactly(2L, 3_000L);
        assertThat(Database.count(
                        "select count(*) from file_traffic_hour where node = ? and file_name = ?",
                        NODE,
                        "nosuchfile.bin"))
                .as("no file traffic for names that are not stored files")
                .isZero();
    }

    /** Bandwidth graphs and reports count what a client took, as nginx's body_bytes_sent does, not the length. */
    @Test
    void aDownloadCutShortCountsWhatItTookAndAWholeOneAllOfIt() throws Exception {
        byte[] big = random(32 << 20);
        String cut = uploaded(big);
        String whole = uploaded(random(3 << 20));
        assertThat(PomfClient.get(whole).body()).hasSize(3 << 20);
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(16 * 1024);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", PomfClient.PORT));
            socket.getOutputStream()
                    .write(("GET " + cut + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] buffer = new byte[64 * 1024];
            long read = 0;
            while (read < (1 << 20)) {
                int n = socket.getInputStream().read(buffer);
                assertThat(n).isPositive();
                read += n;
            }
        } // hung up after 1 MiB of 32
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(TrafficRows.file(NODE, name(whole)))
                .containsExactly(1L, 3L << 20));
        // The request is counted as it starts, its bytes as it ends (the send timeout ends it at the latest).
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() ->
                        assertThat(TrafficRows.file(NODE, name(cut)).get(1)).isGreaterThanOrEqualTo(1L << 20));
        Thread.sleep(3000); // two more flushes: nothing more comes
        assertThat(TrafficRows.file(NODE, name(cut)))
                .as("one request; the bytes of a client that took 1 MiB of 32 and left")
                .satisfies(row -> assertThat(row.get(0)).isEqualTo(1L))
                .satisfies(row -> assertThat(row.get(1)).isBetween(1L << 20, 16L << 20));
    }

    @Test
    void answersDuringADatabaseOutageAreWrittenOnceItIsBack() throws Exception {
        String a = uploaded(random(20_000));
        TrafficRows.clear(NODE);
        int[] classes = new int[6];
        long bytes = 0;
        long failedBefore = metric("pomf_traffic_batches_failed");
        Database.cutOff();
        try {
            for (int i = 0; i < 2; i++) {
                long started = System.nanoTime();
                HttpResponse<byte[]> answer = PomfClient.get(a);
                // The origin's registry waits for its pool (some 10 s) before it gives up; the records never wait.
                assertThat(Duration.ofNanos(System.nanoTime() - started))
                        .as("a download answers while the records cannot be written")
                        .isLessThan(Duration.ofSeconds(30));
                classes[answer.statusCode() / 100]++;
                bytes += answer.statusCode() == 200 ? answer.body().length : 0;
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> metric("pomf_traffic_batches_failed") > failedBefore);
            assertThat(metric("pomf_traffic_pending_batches")).isPositive();
        } finally {
            Database.reopen();
        }
        // Served once the database is back, before the batches of the outage are written (or not): adds up either way.
        int requests = 2;
        for (int status = 0; status != 200; requests++) {
            status = PomfClient.get(a).statusCode();
            classes[status / 100]++;
            bytes += status == 200 ? 20_000 : 0;
        }
        awaitExactly(
                NODE,
                "origin",
                new TrafficRows(requests, bytes, classes[2], classes[3], classes[4], classes[5], 0, 0, 0, 0, 0));
        assertThat(TrafficRows.file(NODE, name(a)).get(0)).isEqualTo(classes[2]);
    }

    @Test
    void theIngestEndpointTakesOnlyWellFormedBatchesWithTheTokenAndCountsEachOnce() throws Exception {
        String node = "traffic-it-ingest";
        TrafficRows.clear(node);
        String minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).toString();
        String hour = Instant.now().truncatedTo(ChronoUnit.HOURS).toString();
        String batch = "{\"node\":\"" + node + "\",\"batch\":\"" + UUID.randomUUID() + "\",\"minutes\":[{\"role\":"
                + "\"edge\",\"minute\":\"" + minute + "\",\"requests\":4,\"bytesSent\":400,\"status2xx\":3,"
                + "\"status3xx\":0,\"status4xx\":1,\"status5xx\":0,\"hits\":2,\"misses\":1,\"stale\":1,"
                + "\"revalidated\":0,\"bytesFromOrigin\":100}],\"files\":[{\"name\":\"ingest.bin\",\"hour\":\""
                + hour + "\",\"requests\":3,\"bytesSent\":400}]}";
        assertThat(ingest(batch, null).statusCode()).isEqualTo(401);
        assertThat(ingest(batch, "Bearer wrong-token").statusCode()).isEqualTo(401);
        HttpResponse<String> refused = ingest(batch, "Basic " + TOKEN);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        for (String bad : List.of(
                "not json",
                batch.replace("\"requests\":4", "\"requests\":-4"),
                batch.replace(minute, minute.replace(":00Z", ":30Z")),
                batch.replace("\"role\":\"edge\"", "\"role\":\"admin\""),
                batch.replace("\"name\":\"ingest.bin\"", "\"name\":\"../x\""),
                batch.replace(node, "bad node"),
                batch.replaceFirst("\"batch\":\"[^\"]*\"", "\"batch\":\"12\""),
                batch.replace("\"files\":[", "\"extra\":1,\"files\":["),
                "{\"node\":\"" + node + "\",\"batch\":\"" + UUID.randomUUID() + "\",\"minutes\":[],\"files\":["
                        + "{\"name\":\"a.bin\",\"hour\":\"" + hour + "\",\"requests\":1,\"bytesSent\":1},"
                        + "{\"name\":\"b.bin\",\"hour\":\"" + hour + "\",\"requests\":1,\"bytesSent\":-1}]}")) {
            HttpResponse<String> answer = ingest(bad, "Bearer " + TOKEN);
            assertThat(answer.statusCode()).as(bad).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        }
        assertThat(Database.count("select count(*) from traffic_batch where node = ?", node))
                .isZero();
        assertThat(Database.count("select count(*) from file_traffic_hour where node = ?", node))
                .isZero();
        assertThat(TrafficRows.of(node, "edge").requests()).isZero();

        HttpResponse<String> first = ingest(batch, "Bearer " + TOKEN);
        HttpResponse<String> again = ingest(batch, "Bearer " + TOKEN);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(PomfClient.json(first).getBoolean("written")).isTrue();
        assertThat(PomfClient.json(again).getBoolean("written")).isFalse();
        assertThat(TrafficRows.of(node, "edge")).isEqualTo(new TrafficRows(4, 400, 3, 0, 1, 0, 2, 1, 1, 0, 100));
        assertThat(TrafficRows.file(node, "ingest.bin")).containsExactly(3L, 400L);
    }

    @Test
    void aBatchFromAClientAskingToSwitchToH2cIsReadByItsLength() throws Exception {
        // Java's HttpClient (an edge's, before it was told HTTP/1.1) asks for h2c on every new connection. The
        // listener does not switch, and Grizzly then sets no end to a switching request's body: reading it waited
        // for bytes that never came, and the batch was never answered.
        String node = "traffic-it-h2c";
        TrafficRows.clear(node);
        String minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).toString();
        byte[] batch = ("{\"node\":\"" + node + "\",\"batch\":\"" + UUID.randomUUID() + "\",\"minutes\":[{\"role\":"
                        + "\"edge\",\"minute\":\"" + minute + "\",\"requests\":2,\"bytesSent\":20,\"status2xx\":2,"
                        + "\"status3xx\":0,\"status4xx\":0,\"status5xx\":0,\"hits\":2,\"misses\":0,\"stale\":0,"
                        + "\"revalidated\":0,\"bytesFromOrigin\":0}],\"files\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        String head = "POST /api/v1/traffic HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA\r\n"
                + "Authorization: Bearer " + TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: "
                + batch.length + "\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", PomfClient.PORT)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(batch);
            out.flush();
            assertThat(new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII))
                    .isEqualTo("HTTP/1.1 200");
        }
        assertThat(TrafficRows.of(node, "edge").requests()).isEqualTo(2);
    }

    @Test
    void retentionDropsMonthsLongPastAndKeepsTheCurrentOnes() throws Exception {
        Database.execute("select pomf_ensure_month_partitions('traffic_minute', '2020-01-01', 2)");
        Database.execute(
                "insert into traffic_minute (node, role, minute, requests) values (?, 'origin',"
                        + " '2020-01-15T10:00:00Z', 1)",
                "traffic-it-retention");
        assertThat(retention(null).statusCode()).isEqualTo(401);
        HttpResponse<String> answer = retention("Bearer " + API_TOKEN);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"traffic_minute_2020_01\"", "\"traffic_minute_2020_02\"");
        assertThat(Database.count("select count(*) from pg_class where relname in"
                        + " ('traffic_minute_2020_01', 'traffic_minute_2020_02')"))
                .isZero();
        String current = String.format("%1$tY_%1$tm", java.time.LocalDate.now(java.time.ZoneOffset.UTC));
        for (String table : List.of("traffic_minute", "file_traffic_hour", "check_result")) {
            assertThat(Database.count("select count(*) from pg_class where relname = ?", table + "_" + current))
                    .as(table + " of this month")
                    .isEqualTo(1);
        }
        assertThat(retention("Bearer " + API_TOKEN).body())
                .as("nothing left to drop")
                .contains("\"dropped\":[]");
    }

    @Test
    void anEdgeHandsItsRecordsToTheOrigin() throws Exception {
        String node = "traffic-it-edge";
        TrafficRows.clear(node);
        byte[] content = random(50_000);
        String file = uploaded(content);
        Path work = work();
        Map<String, String> config = Map.of(
                "pomf.node.name",
                node,
                "pomf.traffic.token",
                TOKEN,
                "pomf.traffic.flush-seconds",
                "1",
                "pomf.edge.min-uses",
                "1");
        try (PayaraProcess edge =
                PayaraProcess.edge(PORT, PomfClient.uri("").toString(), work.resolve("cache"), work, config)) {
            List<String> statuses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                HttpResponse<byte[]> answer = HTTP.send(
                        HttpRequest.newBuilder(edge.uri(file)).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(answer.body()).isEqualTo(content);
                statuses.add(answer.headers().firstValue("X-Cache-Status").orElseThrow());
            }
            assertThat(statuses).containsExactly("MISS", "HIT", "HIT");
            awaitExactly(node, "edge", new TrafficRows(3, 150_000, 3, 0, 0, 0, 2, 1, 0, 0, 50_000));
            assertThat(TrafficRows.file(node, name(file))).containsExactly(3L, 150_000L);
        }
    }

    @Test
    void theLastRecordsAreWrittenWhenAnInstanceIsStopped() throws Exception {
        String node = "traffic-it-shutdown";
        TrafficRows.clear(node);
        Path work = work();
        Map<String, String> config = Map.of(
                "pomf.roles",
                "origin",
                "pomf.node.name",
                node,
                "pomf.traffic.flush-seconds",
                "3600",
                "pomf.storage.dir",
                work.resolve("storage").toString(),
                "pomf.public-url",
                "http://127.0.0.1:" + (PORT + 1));
        try (PayaraProcess origin = PayaraProcess.start(PORT + 1, work, config)) {
            Multipart form = new Multipart().file("last.bin", random(7_000));
            HttpResponse<String> uploaded = HTTP.send(
                    HttpRequest.newBuilder(origin.uri("/upload.php"))
                            .header("Content-Type", form.contentType())
                            .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String file =
                    path(json(uploaded).getJsonArray("files").getJsonObject(0).getString("url"));
            for (String path : List.of(file, file, "/f/nosuchfile.bin")) {
                HTTP.send(HttpRequest.newBuilder(origin.uri(path)).build(), HttpResponse.BodyHandlers.discarding());
            }
            Thread.sleep(1500);
            assertThat(TrafficRows.of(node, "origin").requests())
                    .as("nothing written before the stop")
                    .isZero();
            origin.stop();
            assertThat(TrafficRows.of(node, "origin"))
                    .as("what the stopped origin logged of its shutdown: %s", shutdownLines(origin.log()))
                    .isEqualTo(new TrafficRows(3, 14_000, 2, 0, 1, 0, 0, 0, 0, 0, 0));
            assertThat(TrafficRows.file(node, name(file))).containsExactly(2L, 14_000L);
        }
    }

    /** The log lines about traffic, warnings and errors (a failed shutdown flush says why there). */
    static String shutdownLines(String log) {
        return log.lines()
                .filter(line -> line.contains("traffic")
                        || line.contains("WARNING")
                        || line.contains("SEVERE")
                        || line.contains("Exception")
                        || line.contains("Error"))
                .reduce("", (a, b) -> a + "\n" + b);
    }

    static void awaitExactly(String node, String role, TrafficRows expected) throws InterruptedException {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(TrafficRows.of(node, role)).isEqualTo(expected));
        Thread.sleep(2500); // a few more flushes: nothing is written twice
        assertThat(TrafficRows.of(node, role)).isEqualTo(expected);
    }

    /** A figure of {@code /metrics} (application scope). */
    static long metric(String name) {
        String prefix = name + "{mp_scope=\"application\"} ";
        return PomfClient.getText("/metrics")
                .body()
                .lines()
                .filter(l -> l.startsWith(prefix))
                .mapToLong(l ->
                        (long) Double.parseDouble(l.substring(prefix.length()).trim()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " on /metrics"));
    }

    static String uploaded(byte[] content) {
        return path(json(upload(new Multipart().file("t.bin", content)))
                .getJsonArray("files")
                .getJsonObject(0)
                .getString("url"));
    }

    static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    static HttpResponse<String> ingest(String body, String authorization) throws IOException, InterruptedException {
        return post("/api/v1/traffic", body, authorization);
    }

    static HttpResponse<String> retention(String authorization) throws IOException, InterruptedException {
        return post("/api/v1/traffic/retention", "", authorization);
    }

    static HttpResponse<String> post(String path, String body, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(PomfClient.uri(path).toString()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Path work() throws IOException {
        Path work = Files.createTempDirectory("pomf-it-traffic");
        WORK.add(work);
        return work;
    }
}
