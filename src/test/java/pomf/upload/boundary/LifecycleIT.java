package pomf.upload.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static pomf.it.clients.PomfClient.get;
import static pomf.it.clients.PomfClient.getText;
import static pomf.it.clients.PomfClient.json;
import static pomf.it.clients.PomfClient.path;
import static pomf.it.clients.PomfClient.post;
import static pomf.it.clients.PomfClient.random;
import static pomf.it.clients.PomfClient.sha256;
import static pomf.it.clients.PomfClient.upload;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pomf.it.clients.PomfClient;
import pomf.it.clients.PomfClient.Multipart;
import pomf.it.deployments.Database;
import pomf.it.deployments.Deployments;
import pomf.it.deployments.Storage;

/** A file's life: concurrent publication, deletion links, expiry, and the storage sweeps after a crash. */
@ExtendWith(ArquillianExtension.class)
class LifecycleIT {
    static final Path STORAGE = Deployments.newStorage();
    static final String ORPHAN = "ab".repeat(32);

    /** Stands in for the edges: records the purge calls the origin makes when a file is deleted. */
    static final PurgeRecorder EDGE = PurgeRecorder.start();

    @Deployment(testable = false)
    static WebArchive deployment() {
        leaveCrashDebris();
        return Deployments.origin(
                STORAGE,
                Map.of(
                        "pomf.storage.janitor-interval", "1",
                        "pomf.upload.download-limit-grace", "3s",
                        "pomf.origin.edges", EDGE.url(),
                        "pomf.edge.purge-token", "origin-to-edge"));
    }

    @org.junit.jupiter.api.AfterAll
    static void stopRecorder() {
        EDGE.close();
    }

    /** What a server killed mid-upload leaves: a temporary file, and a blob placed but never committed. */
    static void leaveCrashDebris() {
        try {
            Files.createDirectories(STORAGE.resolve("tmp"));
            Files.write(STORAGE.resolve("tmp/interrupted.part"), random(1000));
            Path orphan = STORAGE.resolve("blobs/ab/ab/" + ORPHAN);
            Files.createDirectories(orphan.getParent());
            Files.write(orphan, random(1000));
            Files.setLastModifiedTime(orphan, FileTime.from(Instant.now().minusSeconds(3600)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void debrisOfACrashIsSweptAtStartup() {
        assertThat(STORAGE.resolve("tmp/interrupted.part")).doesNotExist();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(STORAGE.resolve("blobs/ab/ab/" + ORPHAN))
                .doesNotExist());
    }

    @Test
    void twentyIdenticalUploadsAtOnceEndWithOneBlobAndTwentyLinks() throws Exception {
        byte[] content = random(300_000);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<HttpResponse<String>>> uploads = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String name = "same-" + i + ".bin";
                uploads.add(() -> upload(new Multipart().file(name, content)));
            }
            List<String> urls = new ArrayList<>();
            for (Future<HttpResponse<String>> f : pool.invokeAll(uploads)) {
                HttpResponse<String> response = f.get();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                urls.add(json(response).getJsonArray("files").getJsonObject(0).getString("url"));
            }
            assertThat(urls).hasSize(20).doesNotHaveDuplicates();
            assertThat(Storage.blobs(STORAGE, sha256(content))).hasSize(1);
            assertThat(Database.count("select count(*) from stored_file where sha256 = ?", sha256(content)))
                    .isEqualTo(20);
            assertThat(Database.count(
                            "select count(*) from upload u join stored_file f on f.id = u.file_id "
                                    + "where f.sha256 = ?",
                            sha256(content)))
                    .isEqualTo(20);
            for (String url : urls) {
                assertThat(get(path(url)).body()).isEqualTo(content);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void deletionLinkAsksFirstThenDeletes() throws Exception {
        byte[] content = random(4000);
        JsonObject file = only(upload(new Multipart().file("<b>mine</b>.bin", content)));
        String deletePath = path(file.getString("delete_url"));
        assertThat(deletePath).matches("/delete/[A-Za-z0-9_-]{32}");

        HttpResponse<String> confirmation = getText(deletePath);
        assertThat(confirmation.statusCode()).isEqualTo(200);
        assertThat(confirmation.body())
                .contains("<form method=\"post\"", "&lt;b&gt;mine&lt;/b&gt;.bin")
                .doesNotContain("<b>mine</b>");
        assertThat(get(path(file.getString("url"))).statusCode())
                .as("opening the link deletes nothing")
                .isEqualTo(200);

        assertThat(post(deletePath, "").statusCode()).isEqualTo(200);
        assertThat(get(path(file.getString("url"))).statusCode()).isEqualTo(404);
        String name = path(file.getString("url")).substring("/f/".length());
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(EDGE.purged()).contains(name + " Bearer origin-to-edge"));
        assertThat(Storage.blobs(STORAGE, sha256(content))).isEmpty();
        assertThat(Database.count("select count(*) from stored_file where sha256 = ?", sha256(content)))
                .isZero();
        assertThat(getText(deletePath).statusCode()).isEqualTo(404);
    }

    @Test
    void deletingOneUploadOfSharedBytesEndsItsLinkOnlyAndTheBytesGoWithTheLast() throws Exception {
        byte[] content = random(4000);
        JsonObject first = only(upload(new Multipart().file("a.bin", content)));
        JsonObject second = only(upload(new Multipart().file("b.bin", content)));
        String firstName = path(first.getString("url")).substring("/f/".length());
        String secondName = path(second.getString("url")).substring("/f/".length());
        assertThat(firstName).isNotEqualTo(secondName);

        assertThat(post(path(first.getString("delete_url")), "").statusCode()).isEqualTo(200);
        assertThat(get(path(first.getString("url"))).statusCode())
                .as("a deleted link no longer serves, whoever else uploaded the same bytes")
                .isEqualTo(404);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(EDGE.purged()).contains(firstName + " Bearer origin-to-edge"));
        assertThat(get(path(second.getString("url"))).body()).isEqualTo(content);
        assertThat(Storage.blobs(STORAGE, sha256(content)))
                .as("the bytes stay for the other link")
                .hasSize(1);

        assertThat(post(path(second.getString("delete_url")), "").statusCode()).isEqualTo(200);
        assertThat(get(path(second.getString("url"))).statusCode()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(EDGE.purged()).contains(secondName + " Bearer origin-to-edge"));
        assertThat(Storage.blobs(STORAGE, sha256(content))).isEmpty();
        assertThat(Database.count("select count(*) from stored_file where sha256 = ?", sha256(content)))
                .isZero();
    }

    /** Before every upload had its own link, a second upload of the same bytes shared the first one's name. */
    @Test
    void aLinkSharedBeforeTheMigrationServesUntilItsLastUploadIsDeleted() throws Exception {
        byte[] content = random(3000);
        JsonObject first = only(upload(new Multipart().file("old.bin", content)));
        String name = path(first.getString("url")).substring("/f/".length());
        String token = ("legacy" + name + "x".repeat(32))
                .replaceAll("[^A-Za-z0-9]", "_")
                .substring(0, 32);
        Database.execute(
                "insert into upload (file_id, original_name, delete_token_hash, uploader_address, created_at)"
                        + " select id, 'old-copy.bin', encode(sha256(convert_to(?, 'UTF8')), 'hex'), '192.0.2.9',"
                        + " created_at from stored_file where name = ?",
                token,
                name);
        assertThat(post(path(first.getString("delete_url")), "").statusCode()).isEqualTo(200);
        assertThat(get(path(first.getString("url"))).body())
                .as("the other upload that held this link before the migration keeps it")
                .isEqualTo(content);
        assertThat(Storage.blobs(STORAGE, sha256(content))).hasSize(1);

        assertThat(post("/delete/" + token, "").statusCode()).isEqualTo(200);
        assertThat(get(path(first.getString("url"))).statusCode()).isEqualTo(404);
        assertThat(Storage.blobs(STORAGE, sha256(content))).isEmpty();
    }

    @Test
    void theOwnerReadsChangesAndDeletesAnUploadWithItsDeletionToken() throws Exception {
        byte[] content = random(3000);
        JsonObject file = only(upload(new Multipart().file("owned.bin", content)));
        JsonObject other = only(upload(new Multipart().file("other.bin", random(10))));
        String token = token(file);
        String name = path(file.getString("url")).substring("/f/".length());
        String api = "/api/v1/uploads/" + name;

        HttpResponse<String> anonymous = owner("GET", api, null, null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(owner("GET", api, "A".repeat(32), null, null).statusCode()).isEqualTo(404);
        assertThat(owner("GET", api, token(other), null, null).statusCode())
                .as("another upload's token")
                .isEqualTo(404);
        assertThat(owner("GET", api, "../../etc", null, null).statusCode()).isEqualTo(404);
        HttpResponse<String> shown = owner("GET", api, token, null, null);
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(json(shown).getString("stored")).isEqualTo(name);
        assertThat(json(shown).getString("name")).isEqualTo("owned.bin");
        assertThat(json(shown).getJsonNumber("size").longValue()).isEqualTo(3000);
        assertThat(json(shown).isNull("expires")).isTrue();

        HttpResponse<String> changed = owner("PATCH", api, token, "application/json", "{\"expiry\": \"2h\"}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        Instant expires = Instant.parse(json(changed).getString("expires"));
        assertThat(Duration.between(Instant.now(), expires))
                .isBetween(Duration.ofMinutes(119), Duration.ofMinutes(121));
        assertThat(Database.count(
                        "select count(*) from upload u join stored_file f on f.id = u.file_id"
                                + " where f.name = ? and u.expires_at is not null",
                        name))
                .isEqualTo(1);
        HttpResponse<String> kept = owner("PATCH", api, token, "application/x-www-form-urlencoded", "expiry=never");
        assertThat(kept.statusCode()).isEqualTo(200);
        assertThat(json(kept).isNull("expires")).isTrue();
        HttpResponse<String> bad = owner("PATCH", api, token, "application/json", "{\"expiry\": \"soon\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).getString("detail")).startsWith("expiry: Invalid expiry");
        assertThat(owner("PATCH", api, token, "application/json", "{}").statusCode())
                .isEqualTo(400);
        assertThat(owner("PATCH", api, token, "application/json", "{not json").statusCode())
                .isEqualTo(400);

        HttpResponse<String> deleted = owner("DELETE", api, token, null, null);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(json(deleted).getString("deleted")).isEqualTo(name);
        assertThat(get(path(file.getString("url"))).statusCode()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(EDGE.purged()).contains(name + " Bearer origin-to-edge"));
        assertThat(Storage.blobs(STORAGE, sha256(content))).isEmpty();
        assertThat(owner("DELETE", api, token, null, null).statusCode()).isEqualTo(404);
        assertThat(get(path(other.getString("url"))).statusCode()).isEqualTo(200);
    }

    private static String token(JsonObject file) {
        return path(file.getString("delete_url")).substring("/delete/".length());
    }

    private static HttpResponse<String> owner(String method, String path, String token, String type, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(PomfClient.uri(path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Delete-Token", token);
        }
        if (type != null) {
            request.header("Content-Type", type);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aDownloadLimitCountsEachDownloadFromItsFirstByteExactlyAndTheLinkGoes() throws Exception {
        byte[] content = random(10_000);
        JsonObject file = only(upload(new Multipart().file("twice.bin", content).field("max_downloads", "2")));
        assertThat(file.getInt("max_downloads")).isEqualTo(2);
        String url = path(file.getString("url"));
        String name = url.substring("/f/".length());

        HttpResponse<byte[]> first = get(url);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo(content);
        assertThat(first.headers().firstValue("Cache-Control"))
                .as("no cache on the way may keep a counted link")
                .hasValue("private, no-store");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> head = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(PomfClient.uri(url))
                                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(get(url, "If-None-Match", etag).statusCode()).isEqualTo(304);
        HttpResponse<byte[]> middle = get(url, "Range", "bytes=5000-5999");
        assertThat(middle.statusCode()).as("a further range of a download").isEqualTo(206);
        assertThat(downloads(name))
                .as("HEAD, 304 and a range past byte 0 are no downloads")
                .isEqualTo(1);

        HttpResponse<byte[]> second = get(url, "Range", "bytes=0-99");
        assertThat(second.statusCode())
                .as("a player's first range is a download")
                .isEqualTo(206);
        assertThat(downloads(name)).isEqualTo(2);
        HttpResponse<byte[]> third = get(url);
        assertThat(third.statusCode()).isEqualTo(404);
        assertThat(get(url, "Range", "bytes=0-0").statusCode()).isEqualTo(404);
        assertThat(downloads(name)).as("refused downloads are not counted").isEqualTo(2);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> Database.count("select count(*) from stored_file where name = ?", name) == 0);
        assertThat(get(url, "Range", "bytes=5000-5999").statusCode()).isEqualTo(404);
        assertThat(Storage.blobs(STORAGE, sha256(content))).isEmpty();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(EDGE.purged()).contains(name + " Bearer origin-to-edge"));
    }

    @Test
    void anInvalidDownloadLimitIsRefusedAndNothingIsKept() {
        for (String bad : new String[] {"0", "-1", "two", "1000001", "1.5", "99999999999"}) {
            HttpResponse<String> response =
                    upload(new Multipart().field("max_downloads", bad).file("x.bin", random(100)));
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(response).getString("description"))
                    .isEqualTo("Invalid max_downloads. Use a whole number from 1 to 1000000.");
        }
        assertThat(Storage.temporaryFiles(STORAGE)).isEmpty();
        assertThat(Database.count("select count(*) from upload where original_name = 'x.bin'"))
                .isZero();
    }

    private static long downloads(String name) {
        return Database.count("select coalesce(max(downloads), -1) from stored_file where name = ?", name);
    }

    @Test
    void unknownDeletionLinksAreNotFound() {
        assertThat(getText("/delete/" + "A".repeat(32)).statusCode()).isEqualTo(404);
        assertThat(post("/delete/" + "A".repeat(32), "").statusCode()).isEqualTo(404);
        assertThat(getText("/delete/../../etc/passwd").statusCode()).isIn(400, 404);
    }

    @Test
    void expiredFilesAreRemoved() throws Exception {
        byte[] content = random(2000);
        HttpResponse<String> response =
                upload(new Multipart().file("brief.bin", content).field("expiry", "2s"));
        JsonObject file = only(response);
        assertThat(file.getString("expires")).isNotBlank();
        assertThat(get(path(file.getString("url"))).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(get(path(file.getString("url"))).statusCode())
                        .isEqualTo(404));
        assertThat(Storage.blobs(STORAGE, sha256(content))).isEmpty();
    }

    @Test
    void filesWithoutExpiryStay() {
        JsonObject file = only(upload(new Multipart().file("kept.bin", random(100))));
        assertThat(file.containsKey("expires")).isFalse();
    }

    @Test
    void invalidExpiryIsRefused() {
        HttpResponse<String> response =
                upload(new Multipart().file("x.bin", random(100)).field("expiry", "soon"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).getString("description")).startsWith("Invalid expiry");
    }

    @Test
    void hashesBannedInTheRegistryAreRefusedAndNothingIsKept() throws Exception {
        byte[] content = random(700);
        Database.execute(
                "insert into banned_hash (hash, reason, created_at) values (?, 'test', now())",
                pomf.it.clients.PomfClient.sha1(content));
        HttpResponse<String> response = upload("?output=text", new Multipart().file("again.bin", content));
        assertThat(response.statusCode()).isEqualTo(451);
        assertThat(response.body()).isEqualTo("ERROR: (451) File unavailable for legal reasons.");
        assertThat(Storage.blobs(STORAGE, sha256(content))).isEmpty();
        assertThat(Database.count("select count(*) from stored_file where sha256 = ?", sha256(content)))
                .isZero();
    }

    @Test
    void healthAndMetricsAreExposed() {
        upload(new Multipart().file("counted.bin", random(1234)));
        HttpResponse<String> ready = getText("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"database\":\"UP\"", "\"storage\":\"UP\"");
        assertThat(getText("/health/live").statusCode()).isEqualTo(200);
        String metrics = getText("/metrics").body();
        assertThat(metrics)
                .containsPattern("pomf_uploads_total\\{mp_scope=\"application\"} [1-9]")
                .containsPattern("pomf_upload_bytes_total\\{mp_scope=\"application\"} [1-9]");
    }

    static JsonObject only(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).getJsonArray("files").getJsonObject(0);
    }
}
