package pomf.registry.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static pomf.it.clients.PomfClient.json;
import static pomf.it.clients.PomfClient.path;
import static pomf.it.clients.PomfClient.random;
import static pomf.it.clients.PomfClient.sha256;

import io.minio.MinioAsyncClient;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pomf.it.clients.PomfClient.Multipart;
import pomf.it.deployments.Deployments;
import pomf.it.deployments.EmbeddedDatabaseSession;
import pomf.it.deployments.PayaraProcess;
import pomf.it.servers.BucketListing;
import pomf.it.servers.S3Server;
import pomf.storage.control.S3Settings;

/**
 * Two origins on one database and one bucket (issue 16), started as operators start them: an upload through either
 * serves through both, whole, in ranges and with validators; the same bytes are stored once; a deletion through one
 * is gone from both, and the blob goes with the last link; deletions racing uploads of the same bytes lose no blob;
 * the store failing answers 503 and leaves nothing behind; no staged object or multipart upload is left.
 */
class SharedBucketIT {
    private static final int PORT = Integer.getInteger("pomf.it.bucket-port", 18760);
    private static final String BUCKET = "pomf-origins";
    private static final int MIB = 1 << 20;
    private static final String EDGE_TOKEN = "shared-bucket-edge-token";
    /** Follows redirects, as browsers do: origin B sends files over 1 MiB to the store. */
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    private static final HttpClient NO_REDIRECTS = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private static S3Server s3;
    private static MinioAsyncClient client;
    private static Path work;
    private static String database;
    private static PayaraProcess a;
    private static PayaraProcess b;

    @BeforeAll
    static void start() throws IOException {
        s3 = S3Server.start();
        s3.createBucket(BUCKET);
        client = new S3Settings(
                        s3.endpoint(), "us-east-1", BUCKET, true, 5L * MIB, S3Server.ACCESS_KEY, S3Server.SECRET_KEY)
                .newClient();
        work = Files.createTempDirectory("pomf-it-bucket");
        database = ownDatabase();
        a = origin("bucket-a", PORT, Map.of());
        b = origin(
                "bucket-b",
                PORT + 1,
                Map.of("pomf.storage.s3.redirect-above", Long.toString(MIB), "pomf.edge.purge-token", EDGE_TOKEN));
    }

    /**
     * A database of their own on the tests' server: the registry records which store its blobs are in, and the other
     * tests' origins keep theirs in folders.
     */
    private static String ownDatabase() {
        String url = System.getProperty(EmbeddedDatabaseSession.URL_PROPERTY);
        String name = "shared_bucket_" + Long.toHexString(System.nanoTime());
        try (Connection c = DriverManager.getConnection(
                        url, System.getProperty("pomf.it.db.user"), System.getProperty("pomf.it.db.password"));
                Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("database " + name + " cannot be created", e);
        }
        return url.replaceFirst("/[^/?]+(\\?.*)?$", "/" + name + "$1");
    }

    private static PayaraProcess origin(String node, int port, Map<String, String> more) {
        Map<String, String> config = new java.util.HashMap<>(more);
        config.put("pomf.db.url", database);
        config.put("pomf.roles", "origin");
        config.put("pomf.node.name", node);
        config.put("pomf.storage.dir", work.resolve(node).toString());
        config.put("pomf.public-url", "http://127.0.0.1:" + port);
        config.put("pomf.storage.kind", "s3");
        config.put("pomf.storage.s3.endpoint", s3.endpoint());
        config.put("pomf.storage.s3.bucket", BUCKET);
        config.put("pomf.storage.s3.part-size", Long.toString(5L * MIB));
        config.put(PayaraProcess.ENV + "POMF_S3_ACCESS_KEY", S3Server.ACCESS_KEY);
        config.put(PayaraProcess.ENV + "POMF_S3_SECRET_KEY", S3Server.SECRET_KEY);
        return PayaraProcess.start(port, work, config);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {a, b, client, s3}) {
            if (c != null) {
                c.close();
            }
        }
        if (work != null) {
            Deployments.deleteTree(work);
        }
    }

    @AfterEach
    void healthy() {
        s3.failing(false);
    }

    @Test
    void anUploadThroughOneServesThroughBothWholeAndInRanges() throws Exception {
        byte[] bytes = random(12 * MIB + 4321);
        JsonObject file = upload(a, "big.bin", bytes);
        String link = path(file.getString("url"));

        HttpResponse<byte[]> whole = get(b, link);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(bytes);
        String etag = whole.headers().firstValue("ETag").orElseThrow();

        HttpResponse<byte[]> part = get(a, link, "Range", "bytes=5242870-5242889");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 5242870-5242889/" + bytes.length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(bytes, 5_242_870, 5_242_890));
        HttpResponse<byte[]> tail = get(b, link, "Range", "bytes=-7");
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(bytes, bytes.length - 7, bytes.length));
        assertThat(get(b, link, "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(get(a, link, "Range", "bytes=" + bytes.length + "-").statusCode())
                .isEqualTo(416);

        HttpResponse<Void> sent =
                NO_REDIRECTS.send(HttpRequest.newBuilder(b.uri(link)).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(sent.statusCode())
                .as("origin B sends large files to the store")
                .isEqualTo(302);
        assertThat(sent.headers().firstValue("Location").orElseThrow()).startsWith(s3.endpoint() + "/" + BUCKET + "/");
        assertThat(sent.headers().firstValue("Cache-Control")).hasValue("private, no-store");
        HttpResponse<byte[]> fromStore = get(b, link);
        assertThat(fromStore.uri().getPort()).isEqualTo(s3.port());
        assertThat(fromStore.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        HttpResponse<byte[]> edgeFetch = get(b, link, "X-Pomf-Edge-Fetch", EDGE_TOKEN);
        assertThat(edgeFetch.uri().getPort())
                .as("an edge's fetch is answered by the origin")
                .isEqualTo(PORT + 1);
        assertThat(edgeFetch.body()).isEqualTo(bytes);
        assertThat(NO_REDIRECTS
                        .send(HttpRequest.newBuilder(a.uri(link)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .as("origin A answers itself")
                .isEqualTo(200);

        byte[] small = random(100);
        String smallLink = path(upload(b, "small.txt", small).getString("url"));
        assertThat(get(a, smallLink).body()).isEqualTo(small);
        assertThat(staged()).as("nothing staged is left").isEmpty();
    }

    @Test
    void theSameBytesAreStoredOnceAndGoWithTheirLastLink() throws Exception {
        byte[] bytes = random(6 * MIB);
        String sha = sha256(bytes);
        JsonObject first = upload(a, "one.bin", bytes);
        JsonObject second = upload(b, "two.bin", bytes);
        assertThat(first.getString("url")).isNotEqualTo(second.getString("url"));
        assertThat(blobs()).filteredOn(key -> key.endsWith(sha)).hasSize(1);

        assertThat(delete(b, first)).isEqualTo(200);
        assertThat(get(a, path(first.getString("url"))).statusCode()).isEqualTo(404);
        assertThat(get(a, path(second.getString("url"))).body()).isEqualTo(bytes);
        assertThat(blobs()).filteredOn(key -> key.endsWith(sha)).hasSize(1);

        assertThat(delete(a, second)).isEqualTo(200);
        assertThat(get(b, path(second.getString("url"))).statusCode()).isEqualTo(404);
        assertThat(blobs()).filteredOn(key -> key.endsWith(sha)).isEmpty();
    }

    @Test
    void deletionsRacingUploadsOfTheSameBytesLoseNoBlob() throws Exception {
        byte[] bytes = random(300_000);
        for (int round = 0; round < 12; round++) {
            JsonObject old = upload(round % 2 == 0 ? a : b, "race.bin", bytes);
            PayaraProcess uploader = round % 2 == 0 ? b : a;
            PayaraProcess deleter = round % 2 == 0 ? a : b;
            CompletableFuture<JsonObject> fresh = CompletableFuture.supplyAsync(() -> {
                try {
                    return upload(uploader, "race.bin", bytes);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(delete(deleter, old)).isEqualTo(200);
            String link = path(fresh.join().getString("url"));
            HttpResponse<byte[]> served = get(deleter, link);
            assertThat(served.statusCode()).as("round %d", round).isEqualTo(200);
            assertThat(served.body()).as("round %d", round).isEqualTo(bytes);
            assertThat(delete(uploader, fresh.join())).isEqualTo(200);
        }
        assertThat(blobs()).filteredOn(key -> key.endsWith(sha256(bytes))).isEmpty();
    }

    @Test
    void aFailingStoreAnswers503AndLeavesNothingBehind() throws Exception {
        byte[] kept = random(2000);
        String keptLink = path(upload(a, "kept.bin", kept).getString("url"));
        List<String> before = blobs();

        s3.failing(true);
        HttpResponse<String> refused = post(b, new Multipart().file("lost.bin", random(7 * MIB)));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).doesNotContain("Exception");
        assertThat(get(a, keptLink).statusCode()).isEqualTo(503);
        s3.failing(false);

        assertThat(blobs()).isEqualTo(before);
        assertThat(get(b, keptLink).body()).isEqualTo(kept);
        assertThat(staged()).isEmpty();
    }

    private static JsonObject upload(PayaraProcess origin, String name, byte[] bytes) throws Exception {
        HttpResponse<String> answer = post(origin, new Multipart().file(name, bytes));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return json(answer).getJsonArray("files").getJsonObject(0);
    }

    private static HttpResponse<String> post(PayaraProcess origin, Multipart form) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(origin.uri("/upload.php"))
                        .header("Content-Type", form.contentType())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> get(PayaraProcess origin, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(origin.uri(path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static int delete(PayaraProcess origin, JsonObject file) throws Exception {
        URI link = URI.create(file.getString("delete_url"));
        return HTTP.send(
                        HttpRequest.newBuilder(origin.uri(link.getPath()))
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /**
     * The blobs in the bucket: objects at content keys, and the large uploads' objects their mapping names (as
     * {@code <key> = <sha256>}, so that a blob's entry ends with its hash either way).
     */
    private static List<String> blobs() throws Exception {
        List<String> blobs = new ArrayList<>(keys("blobs/"));
        Map<String, String> mapped = mapped();
        for (String key : keys("data/")) {
            if (mapped.containsKey(key)) {
                blobs.add(key + " = " + mapped.get(key));
            }
        }
        return blobs;
    }

    /** Multipart uploads, and objects nothing maps to (or of an earlier version's tmp/): what uploads in flight stage. */
    private static List<String> staged() throws Exception {
        List<String> staged = new ArrayList<>(keys("tmp/"));
        Map<String, String> mapped = mapped();
        keys("data/").stream().filter(key -> !mapped.containsKey(key)).forEach(staged::add);
        BucketListing.uploads(client, BUCKET).forEach(key -> staged.add("upload of " + key));
        return staged;
    }

    /** The large uploads' keys and their blobs' hashes, as the registry's database maps them. */
    private static Map<String, String> mapped() throws SQLException {
        Map<String, String> mapped = new java.util.HashMap<>();
        try (Connection c = DriverManager.getConnection(
                        database, System.getProperty("pomf.it.db.user"), System.getProperty("pomf.it.db.password"));
                Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("select object_key, sha256 from s3_blob")) {
            while (rs.next()) {
                mapped.put(rs.getString(1), rs.getString(2));
            }
        }
        return mapped;
    }

    private static List<String> keys(String prefix) throws Exception {
        return BucketListing.keys(client, BUCKET, prefix);
    }
}
