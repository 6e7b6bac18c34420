package pomf.admin.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static pomf.admin.boundary.FilesApi.json;
import static pomf.admin.boundary.FilesApi.search;
import static pomf.admin.boundary.FilesApi.storedName;
import static pomf.admin.boundary.FilesApi.upload;

import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pomf.it.clients.PomfClient;
import pomf.it.deployments.Database;
import pomf.it.deployments.Deployments;
import pomf.it.deployments.PayaraProcess;

/**
 * The files API against the real upload path: search by every criterion, paging with a capped total, one file's
 * uploads, delete, ban and unban, bulk actions, malformed input and authentication. Each test uploads its own
 * files under a tag of its own (other test classes share the database).
 */
@ExtendWith(ArquillianExtension.class)
class FilesIT {
    static final int EDGE_PORT = 18640;
    static final int DEAD_EDGE_PORT = 18641;
    static final String PURGE_TOKEN = "files-it-purge";
    static final String RUN =
            "fit" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
    /** A /24 of TEST-NET-2 of this run's own, so address searches see only this run's uploads. */
    static final String NET = "198.18." + ThreadLocalRandom.current().nextInt(256);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.origin(
                Deployments.newStorage(),
                Map.of(
                        "pomf.api.token",
                        FilesApi.TOKEN,
                        "pomf.trusted-proxies",
                        "127.0.0.1,::1",
                        "pomf.origin.edges",
                        "http://127.0.0.1:" + EDGE_PORT + ",http://127.0.0.1:" + DEAD_EDGE_PORT,
                        "pomf.edge.purge-token",
                        PURGE_TOKEN));
    }

    @AfterAll
    static void removeGeneratedRows() {
        Database.execute("delete from stored_file where name like ?", RUN + "%");
        Database.execute("delete from banned_hash where reason like ?", RUN + "%");
        Database.execute("delete from address_block where reason like ?", RUN + "%");
    }

    static List<String> names(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).getJsonArray("items").stream()
                .map(v -> v.asJsonObject().getString("name"))
                .toList();
    }

    @Test
    void searchFindsFilesByEveryCriterion() {
        String tag = RUN + "a";
        byte[] shared = PomfClient.random(1000);
        byte[] other = PomfClient.random(2000);
        String a = storedName(upload(NET + ".10", tag + "-Holiday_100%.PNG", shared));
        String b = storedName(upload(NET + ".20", tag + "-notes.txt", other));
        String c = storedName(upload("2001:db8::" + tag.length(), tag + "-copy.bin", shared));
        assertThat(c)
                .as("the same bytes, stored once, but every upload its own link")
                .isNotEqualTo(a);

        assertThat(names(search(Map.of("name", tag)))).containsExactly(c, b, a);
        assertThat(names(search(Map.of("name", tag.toUpperCase() + "-holiday_100%"))))
                .containsExactly(a);
        assertThat(names(search(Map.of("name", tag + "_"))))
                .as("_ matches only itself")
                .isEmpty();
        assertThat(names(search(Map.of("name", tag + "%notes"))))
                .as("% matches only itself")
                .isEmpty();
        assertThat(names(search(Map.of("stored", a)))).containsExactly(a);
        assertThat(names(search(Map.of("storedPrefix", a.substring(0, 5), "name", tag))))
                .containsExactly(a);
        assertThat(names(search(Map.of("hash", PomfClient.sha256(shared).substring(0, 10)))))
                .containsExactly(c, a);
        assertThat(names(search(Map.of("hash", PomfClient.sha1(other).toUpperCase()))))
                .containsExactly(b);
        assertThat(names(search(Map.of("address", NET + ".20")))).containsExactly(b);
        assertThat(names(search(Map.of("address", NET + ".0/24", "name", tag, "sort", "size"))))
                .containsExactly(a, b);
        assertThat(names(search(Map.of("address", NET + ".0/24", "name", tag, "sort", "-size"))))
                .containsExactly(b, a);
        assertThat(names(search(Map.of("address", "2001:0db8:0:0::" + tag.length(), "name", "copy"))))
                .containsExactly(c);
        assertThat(names(search(Map.of(
                        "name",
                        tag,
                        "from",
                        java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString()))))
                .containsExactlyInAnyOrder(a, b, c);
        assertThat(names(search(Map.of("name", tag, "to", "2020-01-01")))).isEmpty();
        assertThat(names(search(Map.of("name", tag, "address", NET + ".10", "from", "2020-01-01T00:00:00Z"))))
                .containsExactly(a);

        JsonObject row = json(search(Map.of("stored", a))).getJsonArray("items").getJsonObject(0);
        assertThat(row.getInt("uploads"))
                .as("uploads of the same bytes, under any link")
                .isEqualTo(2);
        assertThat(row.getString("firstName")).isEqualTo(tag + "-Holiday_100%.PNG");
        assertThat(row.getString("lastAddress")).isEqualTo(NET + ".10");
        assertThat(row.getJsonNumber("size").longValue()).isEqualTo(1000);
        assertThat(row.getBoolean("banned")).isFalse();
    }

    @Test
    void oneFileShowsEveryUploadOfItsBytesWithItsLink() {
        String tag = RUN + "d";
        byte[] bytes = PomfClient.random(500);
        String name = storedName(upload(NET + ".30", tag + "-first.bin", bytes));
        String other = storedName(upload(NET + ".31", tag + "-second.bin", bytes));
        HttpResponse<String> response = FilesApi.get("/api/v1/files/" + name);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject detail = json(response);
        assertThat(detail.getString("sha256")).isEqualTo(PomfClient.sha256(bytes));
        assertThat(detail.getJsonArray("uploadList").stream()
                        .map(u -> u.asJsonObject().getString("originalName") + " "
                                + u.asJsonObject().getString("address") + " "
                                + u.asJsonObject().getString("link"))
                        .toList())
                .containsExactly(
                        tag + "-first.bin " + NET + ".30 " + name, tag + "-second.bin " + NET + ".31 " + other);
        assertThat(FilesApi.get("/api/v1/files/nosuchfile.bin").statusCode()).isEqualTo(404);
        assertThat(FilesApi.get("/api/v1/files/bad%20name").statusCode()).isEqualTo(400);
    }

    @Test
    void deletedFileAnswers404AndIsAudited() {
        String name = storedName(upload(NET + ".40", RUN + "-gone.bin", PomfClient.random(300)));
        assertThat(PomfClient.get("/f/" + name).statusCode()).isEqualTo(200);
        HttpResponse<String> deleted = FilesApi.delete("/api/v1/files/" + name);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(json(deleted).getString("result")).isEqualTo("deleted");
        assertThat(PomfClient.get("/f/" + name).statusCode()).isEqualTo(404);
        assertThat(FilesApi.get("/api/v1/files/" + name).statusCode()).isEqualTo(404);
        assertThat(FilesApi.delete("/api/v1/files/" + name).statusCode()).isEqualTo(404);
        assertThat(Database.count(
                        "select count(*) from admin_action where actor = 'api-token' and action = 'file.delete'"
                                + " and target = ? and address = '127.0.0.1'",
                        name))
                .isEqualTo(1);
    }

    @Test
    void bannedContentIsRefusedUntilUnbanned() {
        byte[] bytes = PomfClient.random(700);
        String hash = PomfClient.sha256(bytes);
        String name = storedName(upload(NET + ".50", RUN + "-bad.bin", bytes));
        String copy = storedName(upload(NET + ".52", RUN + "-bad-copy.bin", bytes));
        HttpResponse<String> banned =
                FilesApi.post("/api/v1/files/" + name + "/ban", "{\"reason\": \"" + RUN + " abuse report\"}");
        assertThat(banned.statusCode()).as(banned.body()).isEqualTo(200);
        assertThat(PomfClient.get("/f/" + name).statusCode())
                .as("banning takes the link down")
                .isEqualTo(451);
        assertThat(PomfClient.get("/f/" + copy).statusCode())
                .as("every link of the banned bytes")
                .isEqualTo(451);
        assertThat(upload(NET + ".51", "again.bin", bytes).statusCode()).isEqualTo(451);
        assertThat(json(FilesApi.get("/api/v1/files/bans")).getJsonArray("bans").stream()
                        .map(v -> v.asJsonObject().getString("hash"))
                        .toList())
                .contains(hash);
        assertThat(Database.count("select count(*) from admin_action where action = 'file.ban' and target = ?", name))
                .isEqualTo(1);

        assertThat(FilesApi.delete("/api/v1/files/bans/" + hash.toUpperCase()).statusCode())
                .isEqualTo(200);
        assertThat(PomfClient.get("/f/" + name).body())
                .as("lifting the ban brings the links back")
                .isEqualTo(bytes);
        assertThat(PomfClient.get("/f/" + copy).body()).isEqualTo(bytes);
        assertThat(upload(NET + ".51", "again.bin", bytes).statusCode()).isEqualTo(200);
        assertThat(FilesApi.delete("/api/v1/files/bans/" + hash).statusCode()).isEqualTo(404);
        assertThat(FilesApi.delete("/api/v1/files/bans/abc123").statusCode()).isEqualTo(400);
        assertThat(FilesApi.post("/api/v1/files/nosuch.bin/ban", "{}").statusCode())
                .isEqualTo(404);
        assertThat(FilesApi.post("/api/v1/files/" + name + "/ban", "{\"reason\": 5}")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void addressBlocksRefuseUploadsBeforeAnyByteIsStoredUntilRemovedOrExpired() throws Exception {
        String net = "198.19." + ThreadLocalRandom.current().nextInt(256);
        HttpResponse<String> made = FilesApi.post(
                "/api/v1/blocks", "{\"cidr\": \"" + net + ".77/24\", \"reason\": \"" + RUN + " spam wave\"}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        assertThat(json(made).getString("cidr")).as("stored as its network").isEqualTo(net + ".0/24");
        long id = json(made).getJsonNumber("id").longValue();

        byte[] bytes = PomfClient.random(2_000);
        HttpResponse<String> refused = upload(net + ".5", RUN + "-spam.bin", bytes);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused).getBoolean("success")).isFalse();
        assertThat(json(refused).getString("description")).isEqualTo("Uploads from your address are blocked.");
        assertThat(Database.count("select count(*) from stored_file where sha256 = ?", PomfClient.sha256(bytes)))
                .isZero();
        HttpResponse<String> tus = FilesApi.send(HttpRequest.newBuilder(PomfClient.uri("/api/v1/tus/"))
                .header("X-Forwarded-For", net + ".200")
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", "10")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(tus.statusCode())
                .as("a resumable upload is refused at its creation")
                .isEqualTo(403);
        assertThat(upload(NET + ".90", RUN + "-fine.bin", bytes).statusCode())
                .as("another address")
                .isEqualTo(200);

        String v6 =
                "2001:db8:" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1, 0xffff));
        HttpResponse<String> brief = FilesApi.post(
                "/api/v1/blocks",
                "{\"cidr\": \"" + v6 + "::/48\", \"reason\": \"" + RUN + " brief\", \"expires\": \"2s\"}");
        assertThat(brief.statusCode()).as(brief.body()).isEqualTo(201);
        assertThat(upload(v6 + ":7::1", RUN + "-v6.bin", PomfClient.random(100)).statusCode())
                .isEqualTo(403);
        assertThat(json(FilesApi.get("/api/v1/blocks")).getJsonArray("blocks").stream()
                        .map(v -> v.asJsonObject().getString("cidr"))
                        .toList())
                .contains(net + ".0/24", v6 + "::/48");
        Thread.sleep(2_500);
        assertThat(upload(v6 + ":7::1", RUN + "-v6.bin", PomfClient.random(100)).statusCode())
                .as("the block expired")
                .isEqualTo(200);
        assertThat(json(FilesApi.get("/api/v1/blocks")).getJsonArray("blocks").stream()
                        .map(v -> v.asJsonObject().getString("cidr"))
                        .toList())
                .doesNotContain(v6 + "::/48");

        assertThat(FilesApi.delete("/api/v1/blocks/" + id).statusCode()).isEqualTo(200);
        assertThat(upload(net + ".5", RUN + "-spam.bin", bytes).statusCode()).isEqualTo(200);
        assertThat(FilesApi.delete("/api/v1/blocks/" + id).statusCode()).isEqualTo(404);
        assertThat(FilesApi.delete("/api/v1/blocks/abc").statusCode()).isEqualTo(400);
        assertThat(Database.count(
                        "select count(*) from admin_action where action = 'block.add' and target = ?", net + ".0/24"))
                .isEqualTo(1);
        assertThat(Database.count(
                        "select count(*) from admin_action where action = 'block.remove' and target = ?",
                        String.valueOf(id)))
                .isEqualTo(1);

        for (String bad : List.of(
                "{\"cidr\": \"300.1.1.1/24\", \"reason\": \"x\"}",
                "{\"cidr\": \"example.com\", \"reason\": \"x\"}",
                "{\"cidr\": \"10.0.0.0/4\", \"reason\": \"too wide\"}",
                "{\"cidr\": \"2001::/8\", \"reason\": \"too wide\"}",
                "{\"cidr\": \"10.0.0.0/33\", \"reason\": \"x\"}",
                "{\"cidr\": \"10.1.2.0/24\"}",
                "{\"cidr\": \"10.1.2.0/24\", \"reason\": \"x\", \"expires\": \"soon\"}",
                "not json")) {
            HttpResponse<String> answer = FilesApi.post("/api/v1/blocks", bad);
            assertThat(answer.statusCode()).as(bad + " -> " + answer.body()).isEqualTo(400);
            assertThat(answer.body()).doesNotContain("Exception");
        }
        assertThat(Database.count("select count(*) from address_block where reason = 'x' or reason = 'too wide'"))
                .isZero();
    }

    @Test
    void bulkActionsReportEachItemAndGoOnAfterAMissingOne() {
        String first = storedName(upload(NET + ".60", RUN + "-b1.bin", PomfClient.random(100)));
        String second = storedName(upload(NET + ".61", RUN + "-b2.bin", PomfClient.random(100)));
        byte[] third = PomfClient.random(100);
        String banned = storedName(upload(NET + ".62", RUN + "-b3.bin", third));
        HttpResponse<String> bulk = FilesApi.post(
                "/api/v1/files/bulk",
                "{\"action\": \"delete\", \"names\": [\"" + first + "\", \"nosuch.bin\", \"" + second + "\"]}");
        assertThat(bulk.statusCode()).as(bulk.body()).isEqualTo(200);
        assertThat(json(bulk).getJsonArray("results").stream()
                        .map(v -> v.asJsonObject().getString("target") + " "
                                + v.asJsonObject().getString("result"))
                        .toList())
                .containsExactly(first + " deleted", "nosuch.bin not_found", second + " deleted");
        assertThat(PomfClient.get("/f/" + second).statusCode()).isEqualTo(404);

        HttpResponse<String> ban = FilesApi.post(
                "/api/v1/files/bulk",
                "{\"action\": \"ban\", \"reason\": \"" + RUN + " bulk\", \"names\": [\"" + banned + "\"]}");
        assertThat(json(ban).getJsonArray("results").getJsonObject(0).getString("result"))
                .isEqualTo("banned");
        assertThat(upload(NET + ".63", "x.bin", third).statusCode()).isEqualTo(451);
        assertThat(PomfClient.get("/f/" + banned).statusCode()).isEqualTo(451);

        String tooMany = "\"n.bin\",".repeat(FileActions.MAX_BULK) + "\"last.bin\"";
        assertThat(FilesApi.post("/api/v1/files/bulk", "{\"action\": \"delete\", \"names\": [" + tooMany + "]}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(FilesApi.post("/api/v1/files/bulk", "{\"action\": \"nuke\", \"names\": [\"a.bin\"]}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(FilesApi.post("/api/v1/files/bulk", "{\"action\": \"delete\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(FilesApi.post("/api/v1/files/bulk", "not json").statusCode()).isEqualTo(400);
    }

    @Test
    void pagesAreStableAndABroadCountStopsAtTheCap() {
        String tag = RUN + "p";
        // More files than the count cap, straight into the registry (uploading 10,001 files would take minutes).
        Database.execute(
                "insert into stored_file (name, sha1, sha256, size, content_type, created_at)"
                        + " select t || g, left(md5(g || t) || md5(t || g), 40), md5(t || g) || md5(g || t), g,"
                        + " 'text/plain', timestamp '2001-01-01' + g * interval '1 second'"
                        + " from generate_series(1, 10050) g, (select cast(? as text) t) tag",
                tag);
        Database.execute(
                "insert into upload (file_id, original_name, delete_token_hash, uploader_address, created_at)"
                        + " select id, name || '.txt', md5(name) || md5(name || 'x'), '192.0.2.1', created_at"
                        + " from stored_file where name like ?",
                tag + "%");
        JsonObject first = json(search(Map.of("name", tag, "size", "200")));
        assertThat(first.getInt("total")).isEqualTo(10_000);
        assertThat(first.getBoolean("totalCapped")).isTrue();
        assertThat(names(search(Map.of("name", tag, "size", "200"))).get(0)).isEqualTo(tag + 10050);
        List<String> second = names(search(Map.of("name", tag, "size", "200", "page", "2")));
        assertThat(second).hasSize(200).first().isEqualTo(tag + 9850);
        List<String> last = names(search(Map.of("name", tag, "size", "100", "page", "101", "sort", "-created")));
        assertThat(last).hasSize(50).last().isEqualTo(tag + 1);
        JsonObject narrow = json(search(Map.of("storedPrefix", tag + "1005")));
        assertThat(narrow.getInt("total")).isEqualTo(1 + 1); // 1005 and 10050
        assertThat(narrow.getBoolean("totalCapped")).isFalse();
        assertThat(names(search(Map.of("storedPrefix", tag, "sort", "name", "size", "3"))))
                .containsExactly(tag + 1, tag + 10, tag + 100);
    }

    @Test
    void malformedSearchesAre400NamingTheField() {
        Map<String, String> bad = Map.of(
                "hash", "abc",
                "from", "2025-02-30",
                "to", "tomorrow",
                "address", "203.0.113.0/33",
                "size", "201",
                "page", "0",
                "sort", "uploader",
                "hsah", "abcdef");
        bad.forEach((field, value) -> {
            HttpResponse<String> response = search(Map.of(field, value));
            assertThat(response.statusCode()).as(field).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(json(response).getString("detail")).as(field).startsWith(field + ": ");
        });
        assertThat(FilesApi.get("/api/v1/files?hash=abcdef&hash=abcdef").statusCode())
                .isEqualTo(400);
    }

    @Test
    void cacheShowsEveryEdgeAndPurgesOnEachOfThem() throws Exception {
        Path work = Files.createTempDirectory("pomf-it-files-edge");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Deployments.deleteTree(work)));
        String name = storedName(upload(NET + ".70", RUN + "-cached.bin", PomfClient.random(4000)));
        try (PayaraProcess edge = PayaraProcess.edge(
                EDGE_PORT,
                "http://127.0.0.1:" + PomfClient.PORT,
                work.resolve("cache"),
                work,
                Map.of("pomf.edge.purge-token", PURGE_TOKEN, "pomf.edge.min-uses", "1"))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest get = HttpRequest.newBuilder(edge.uri("/f/" + name)).build();
            for (int i = 0; i < 3; i++) {
                assertThat(http.send(get, HttpResponse.BodyHandlers.discarding())
                                .statusCode())
                        .isEqualTo(200);
            }

            JsonObject cache = json(FilesApi.get("/api/v1/cache"));
            JsonObject live = cache.getJsonArray("edges").getJsonObject(0);
            assertThat(live.getString("edge")).isEqualTo("http://127.0.0.1:" + EDGE_PORT);
            assertThat(live.getBoolean("reachable")).as(live.toString()).isTrue();
            assertThat(live.getJsonObject("answers").getJsonNumber("HIT").longValue())
                    .isPositive();
            assertThat(live.getJsonNumber("bytesFromOrigin").longValue()).isGreaterThanOrEqualTo(4000);
            assertThat(live.getBoolean("originUp")).isTrue();
            JsonObject dead = cache.getJsonArray("edges").getJsonObject(1);
            assertThat(dead.getBoolean("reachable")).isFalse();
            assertThat(dead.getString("error")).isNotBlank();

            JsonObject purged = purge(name);
            assertThat(results(purged))
                    .as(purged.toString())
                    .containsExactly("http://127.0.0.1:" + EDGE_PORT + " ok", DEAD + " error");
            JsonObject again = purge(name);
            assertThat(results(again))
                    .as(again.toString())
                    .first()
                    .isEqualTo("http://127.0.0.1:" + EDGE_PORT + " not cached");
            assertThat(http.send(get, HttpResponse.BodyHandlers.discarding())
                            .headers()
                            .firstValue("X-Cache-Status"))
                    .hasValue("MISS");
        }
        assertThat(FilesApi.post("/api/v1/cache/purge", "{\"name\": \"../x\"}").statusCode())
                .isEqualTo(400);
        assertThat(FilesApi.post("/api/v1/cache/purge", "{}").statusCode()).isEqualTo(400);
        assertThat(Database.count(
                        "select count(*) from admin_action where action = 'cache.purge' and target = ?", name))
                .isEqualTo(2);
    }

    static final String DEAD = "http://127.0.0.1:" + DEAD_EDGE_PORT;

    static JsonObject purge(String name) {
        HttpResponse<String> response = FilesApi.post("/api/v1/cache/purge", "{\"name\": \"" + name + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    /** Per edge "url result-word". */
    static List<String> results(JsonObject purge) {
        return purge.getJsonArray("edges").stream()
                .map(v -> v.asJsonObject().getString("edge") + " "
                        + v.asJsonObject().getString("result").replaceAll(":.*", ""))
                .toList();
    }

    @Test
    void theApiNeedsTheToken() {
        for (String path : List.of("/api/v1/files", "/api/v1/files/bans", "/api/v1/cache")) {
            assertThat(FilesApi.send(HttpRequest.newBuilder(PomfClient.uri(path)))
                            .statusCode())
                    .as(path)
                    .isEqualTo(401);
            assertThat(FilesApi.send(HttpRequest.newBuilder(PomfClient.uri(path))
                                    .header("Authorization", "Bearer wrong-token"))
                            .statusCode())
                    .as(path)
                    .isEqualTo(401);
        }
        assertThat(FilesApi.send(HttpRequest.newBuilder(PomfClient.uri("/api/v1/files/x.bin"))
                                .DELETE())
                        .statusCode())
                .isEqualTo(401);
    }
}
