package pomf.registry.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pomf.it.clients.PomfClient;
import pomf.it.clients.PomfClient.Multipart;
import pomf.it.deployments.Database;
import pomf.it.deployments.Deployments;
import pomf.it.deployments.PayaraProcess;

/**
 * Issue 17, item 1: takedowns that hold. Banning content takes down every link of it, at the origin (451) and at two
 * real edges in front of it (purged, then 451 without asking the origin again), within seconds; the same bytes are
 * refused at upload with 451 in the client's format; an edge restarted with its warm store still answers 451, and
 * so does one that was stopped while the ban happened and never got the purge (it catches up from the origin's list
 * of ban changes before its first request); lifting the ban brings every link back, through the edges too. Links
 * with a download limit (item 5) are served by the origin only: the edges send their clients there.
 */
@ExtendWith(ArquillianExtension.class)
class TakedownIT {
    static final String TOKEN = "takedown-it-token";
    static final String PURGE_TOKEN = "takedown-it-purge";
    static final int EDGE1_PORT = 18730;
    static final int EDGE2_PORT = 18731;
    static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static Path work;
    static PayaraProcess edge1;
    static PayaraProcess edge2;

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("pomf.api.token", TOKEN);
        config.put("pomf.origin.edges", "http://127.0.0.1:" + EDGE1_PORT + ",http://127.0.0.1:" + EDGE2_PORT);
        config.put("pomf.edge.purge-token", PURGE_TOKEN);
        config.put("pomf.storage.janitor-interval", "1");
        config.put("pomf.hashlists.md5-sweep-interval", "1");
        // Reports and uploads "from" documentation addresses, through the test's proxy (127.0.0.1).
        config.put("pomf.trusted-proxies", "127.0.0.1");
        config.put("pomf.report.per-hour", "60");
        config.put("pomf.report.burst", "6");
        return Deployments.origin(Deployments.newStorage(), config);
    }

    @BeforeAll
    static void edges() throws IOException {
        work = Files.createTempDirectory("pomf-it-takedown");
        edge1 = edge(1);
        edge2 = edge(2);
    }

    @AfterAll
    static void stop() {
        for (PayaraProcess edge : new PayaraProcess[] {edge1, edge2}) {
            if (edge != null) {
                edge.close();
            }
        }
        Database.execute("delete from banned_hash where reason like 'takedown-it%'");
        Database.execute("delete from hash_list where name like 'takedown-it%'");
        Database.execute("delete from address_block where reason like 'takedown-it%'");
        Deployments.deleteTree(work);
    }

    static PayaraProcess edge(int i) {
        try {
            Files.createDirectories(work.resolve("edge-" + i));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return PayaraProcess.edge(
                i == 1 ? EDGE1_PORT : EDGE2_PORT,
                "http://127.0.0.1:" + PomfClient.PORT,
                work.resolve("cache-" + i),
                work.resolve("edge-" + i),
                Map.of(
                        "pomf.edge.purge-token", PURGE_TOKEN,
                        "pomf.edge.min-uses", "1",
                        "pomf.edge.takedown-sync", "2s"));
    }

    @Test
    void aTakedownReachesEveryEdgeWithinSecondsHoldsAcrossRestartsAndIsLifted() throws Exception {
        byte[] bytes = PomfClient.random(200_000);
        String hash = PomfClient.sha256(bytes);
        String name = PomfClient.uploadedName("takedown.bin", bytes);
        String copy = PomfClient.uploadedName("takedown-copy.bin", bytes);
        for (int port : new int[] {EDGE1_PORT, EDGE2_PORT}) {
            for (String link : new String[] {name, copy}) {
                get(port, link);
                assertThat(get(port, link).headers().firstValue("X-Cache-Status"))
                        .as("warm on " + port)
                        .hasValue("HIT");
            }
        }
        // edge2 is stopped (its store closed warm) and misses the takedown.
        edge2.stop();

        long started = System.nanoTime();
        HttpResponse<String> ban =
                api("POST", "/api/v1/files/" + name + "/ban", "{\"reason\": \"takedown-it report\"}");
        assertThat(ban.statusCode()).as(ban.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> get(EDGE1_PORT, name).statusCode() == 451
                        && get(EDGE1_PORT, copy).statusCode() == 451);
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("TakedownIT: both links answered 451 at the edge " + millis + " ms after the ban was asked");

        HttpResponse<byte[]> atEdge = get(EDGE1_PORT, name, "Range", "bytes=0-99");
        assertThat(atEdge.statusCode())
                .as("a range never turns the takedown into content")
                .isEqualTo(451);
        assertThat(atEdge.headers().firstValue("X-Cache-Status"))
                .as("answered without asking the origin")
                .hasValue("HIT");
        assertNoContentHeaders(atEdge);
        HttpResponse<byte[]> atOrigin = PomfClient.get("/f/" + name, "Range", "bytes=0-99");
        assertThat(atOrigin.statusCode()).isEqualTo(451);
        assertNoContentHeaders(atOrigin);
        assertThat(new String(atOrigin.body())).contains("451 Unavailable For Legal Reasons");
        assertThat(Database.count("select count(*) from stored_file where sha256 = ? and banned", hash))
                .as("the links stay, quarantined")
                .isEqualTo(2);

        HttpResponse<String> again = PomfClient.upload(new Multipart().file("again.bin", bytes));
        assertThat(again.statusCode()).isEqualTo(451);
        assertThat(PomfClient.json(again).getBoolean("success")).isFalse();
        assertThat(PomfClient.json(again).getInt("errorcode")).isEqualTo(451);
        HttpResponse<String> text = PomfClient.upload("?output=text", new Multipart().file("again.bin", bytes));
        assertThat(text.body()).isEqualTo("ERROR: (451) File unavailable for legal reasons.");

        // A restart with the warm store: still taken down.
        edge1.stop();
        edge1 = edge(1);
        assertThat(get(EDGE1_PORT, name).statusCode()).isEqualTo(451);
        // edge2 never got the purge; its warm store holds the bytes, and it catches up before its first request.
        edge2 = edge(2);
        assertThat(edge2.log()).contains("reopened warm");
        assertThat(get(EDGE2_PORT, copy).statusCode()).isEqualTo(451);
        assertThat(get(EDGE2_PORT, name).statusCode()).isEqualTo(451);

        HttpResponse<String> lift = api("DELETE", "/api/v1/files/bans/" + hash, null);
        assertThat(lift.statusCode()).as(lift.body()).isEqualTo(200);
        assertThat(PomfClient.get("/f/" + name).body()).isEqualTo(bytes);
        for (int port : new int[] {EDGE1_PORT, EDGE2_PORT}) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> get(port, name).statusCode() == 200
                            && get(port, copy).statusCode() == 200);
            assertThat(get(port, name).body()).isEqualTo(bytes);
            assertThat(get(port, copy).body()).isEqualTo(bytes);
        }
        assertThat(Database.count("select count(*) from admin_action where action = 'hash.unban' and target = ?", hash))
                .isEqualTo(1);
    }

    @Test
    void aBanThatAlsoDeletesLeavesNoLinkAndRefusesTheBytes() {
        byte[] bytes = PomfClient.random(3_000);
        String name = PomfClient.uploadedName("takedown-delete.bin", bytes);
        assertThat(get(EDGE1_PORT, name).statusCode()).isEqualTo(200);
        HttpResponse<String> ban =
                api("POST", "/api/v1/files/" + name + "/ban", "{\"reason\": \"takedown-it delete\", \"delete\": true}");
        assertThat(ban.statusCode()).as(ban.body()).isEqualTo(200);
        assertThat(PomfClient.get("/f/" + name).statusCode()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(5)).until(() -> get(EDGE1_PORT, name).statusCode() == 404);
        assertThat(PomfClient.upload(new Multipart().file("again.bin", bytes)).statusCode())
                .isEqualTo(451);
    }

    @Test
    void aLinkThatEscapedItsBanIsTakenDownByTheJanitor() {
        byte[] bytes = PomfClient.random(4_000);
        String name = PomfClient.uploadedName("takedown-escaped.bin", bytes);
        assertThat(get(EDGE1_PORT, name).statusCode()).isEqualTo(200);
        // As if an upload had published just after the ban marked the links.
        Database.execute(
                "insert into banned_hash (hash, reason, created_at) values (?, 'takedown-it escaped', now())",
                PomfClient.sha1(bytes));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> PomfClient.get("/f/" + name).statusCode() == 451);
        await().atMost(Duration.ofSeconds(5)).until(() -> get(EDGE1_PORT, name).statusCode() == 451);
    }

    /**
     * Issue 17, item 5: a link with a download limit is counted at the origin, so the edges never cache it; they send
     * their clients to the origin (307), and the limit is exact however many edges there are.
     */
    @Test
    void aLinkWithADownloadLimitIsServedByTheOriginOnlyAndCountedExactly() throws Exception {
        byte[] bytes = PomfClient.random(50_000);
        HttpResponse<String> uploaded =
                PomfClient.upload(new Multipart().file("limited.bin", bytes).field("max_downloads", "2"));
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
        String url =
                PomfClient.json(uploaded).getJsonArray("files").getJsonObject(0).getString("url");
        String name = url.substring(url.lastIndexOf('/') + 1);
        String origin = "http://127.0.0.1:" + PomfClient.PORT + "/f/" + name + "?origin";
        for (int port : new int[] {EDGE1_PORT, EDGE2_PORT}) {
            for (String[] range : new String[][] {{}, {"Range", "bytes=0-99"}, {}}) {
                HttpResponse<byte[]> atEdge = get(port, name, range);
                assertThat(atEdge.statusCode()).as("edge " + port).isEqualTo(307);
                assertThat(atEdge.headers().firstValue("Location")).hasValue(origin);
                assertThat(atEdge.headers().firstValue("X-Cache-Status")).hasValue("BYPASS");
                assertThat(atEdge.headers().firstValue("Cache-Control")).hasValue("no-store");
            }
        }
        assertThat(Database.count("select downloads from stored_file where name = ?", name))
                .as("the edges' requests are no downloads")
                .isZero();

        HttpResponse<byte[]> followed =
                HTTP.send(HttpRequest.newBuilder(URI.create(origin)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(followed.statusCode()).isEqualTo(200);
        assertThat(followed.body()).isEqualTo(bytes);
        assertThat(PomfClient.get("/f/" + name).body()).isEqualTo(bytes);
        assertThat(PomfClient.get("/f/" + name).statusCode()).isEqualTo(404);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(origin)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .isEqualTo(404);
        assertThat(get(EDGE1_PORT, name).statusCode())
                .as("still sent to the origin, which says no more")
                .isEqualTo(307);
        assertThat(Database.count("select downloads from stored_file where name = ?", name))
                .isEqualTo(2);
    }

    /**
     * Issue 17, item 2: a hash list (CSV with SHA-1 and MD5) quarantines the stored links it matches, at the origin and
     * the edges, queues them for review, refuses the same bytes at upload; a new version of the list and its removal
     * release what nothing else bans.
     */
    @Test
    void aHashListQuarantinesItsMatchesEverywhereRefusesThemAtUploadAndReleasesThemWhenItGoes() throws Exception {
        byte[] first = PomfClient.random(20_000);
        byte[] second = PomfClient.random(30_000);
        byte[] innocent = PomfClient.random(1_000);
        String firstName = PomfClient.uploadedName("listed-md5.bin", first);
        String secondName = PomfClient.uploadedName("listed-sha1.bin", second);
        String innocentName = PomfClient.uploadedName("innocent.bin", innocent);
        get(EDGE1_PORT, firstName);
        assertThat(get(EDGE1_PORT, firstName).headers().firstValue("X-Cache-Status"))
                .hasValue("HIT");
        assertThat(Database.count("select count(*) from stored_file where name = ? and md5 is null", firstName))
                .as("no list has MD5 entries yet: uploads skip it")
                .isEqualTo(1);

        String csv = "id,hash,source\n1,\"" + hex("MD5", first).toUpperCase() + "\",ncmec\n2,"
                + PomfClient.sha1(second) + ",ncmec\n3,no hash here,x\n4," + hex("SHA-256", PomfClient.random(10))
                + ",x\n";
        HttpResponse<String> imported = list("PUT", "takedown-it-list", "text/csv", csv);
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        JsonObject summary =
                Json.createReader(new StringReader(imported.body())).readObject();
        assertThat(summary.getInt("entries")).isEqualTo(3);
        assertThat(summary.getInt("ignored")).isEqualTo(1);
        assertThat(summary.getJsonArray("firstIgnoredLines").getInt(0)).isEqualTo(4);
        assertThat(summary.getJsonArray("quarantined").getValuesAs(jakarta.json.JsonString::getString))
                .as("the first is matched by its MD5, which it was stored without: the MD5 sweep finds it")
                .containsExactly(secondName);
        assertThat(summary.getInt("md5Pending")).isPositive();
        await().atMost(Duration.ofSeconds(20))
                .alias("the sweep the import started hashed the first and quarantined it")
                .until(() -> PomfClient.get("/f/" + firstName).statusCode() == 451);
        assertThat(Database.count(
                        "select count(*) from stored_file where name = ? and md5 = ?",
                        innocentName,
                        hex("MD5", innocent)))
                .as("every link stored without an MD5 now has it")
                .isEqualTo(1);
        String hashedName = PomfClient.uploadedName("hashed.bin", PomfClient.random(700));
        assertThat(Database.count("select count(*) from stored_file where name = ? and md5 is not null", hashedName))
                .as("the list has an MD5 entry: uploads compute it")
                .isEqualTo(1);
        assertThat(PomfClient.get("/f/" + secondName).statusCode()).isEqualTo(451);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> get(EDGE1_PORT, firstName).statusCode() == 451);
        assertThat(get(EDGE2_PORT, secondName).statusCode()).isEqualTo(451);
        assertThat(get(EDGE1_PORT, innocentName).statusCode()).isEqualTo(200);
        assertThat(Database.count(
                        "select count(*) from review_item where source = 'hash list takedown-it-list'"
                                + " and resolved_at is null and stored_name in (?, ?)",
                        firstName,
                        secondName))
                .isEqualTo(2);
        HttpResponse<String> queue = api("GET", "/api/v1/reviews", null);
        assertThat(queue.statusCode()).isEqualTo(200);
        assertThat(queue.body()).contains(firstName, secondName, "hash list takedown-it-list", "matches its md5");
        JsonObject item = Json.createReader(new StringReader(queue.body()))
                .readObject()
                .getJsonArray("items")
                .getValuesAs(JsonObject.class)
                .stream()
                .filter(i -> i.getString("name").equals(secondName))
                .findFirst()
                .orElseThrow();
        String itemPath = "/api/v1/reviews/" + item.getJsonNumber("id").longValue();
        assertThat(api("POST", itemPath, "{\"resolution\": \"\"}").statusCode()).isEqualTo(400);
        assertThat(api("POST", "/api/v1/reviews/x", "{\"resolution\": \"seen\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(api("POST", itemPath, "{\"resolution\": \"takedown-it: confirmed\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(api("POST", itemPath, "{\"resolution\": \"again\"}").statusCode())
                .as("resolved already")
                .isEqualTo(404);
        assertThat(PomfClient.get("/api/v1/reviews").statusCode()).isEqualTo(401);
        HttpResponse<String> again = PomfClient.upload(new Multipart().file("again.bin", first));
        assertThat(again.statusCode()).as("refused by its MD5").isEqualTo(451);
        await().atMost(Duration.ofSeconds(10))
                .alias("counted for the report of refused uploads")
                .until(() -> Database.count(
                                "select coalesce(sum(refused), 0) from upload_refusal_day where kind = 'hash_list'"
                                        + " and name = 'takedown-it-list'")
                        >= 1);
        assertThat(PomfClient.upload(new Multipart().file("other.bin", PomfClient.random(500)))
                        .statusCode())
                .isEqualTo(200);
        assertThat(list("GET", "", null, null).body()).contains("\"name\":\"takedown-it-list\"", "\"entries\":3");

        HttpResponse<String> shorter = list("PUT", "takedown-it-list", "text/plain", PomfClient.sha1(second) + "\n");
        assertThat(shorter.statusCode()).as(shorter.body()).isEqualTo(200);
        assertThat(shorter.body()).contains("\"entries\":1", "\"removed\":2", "\"released\":[\"" + firstName);
        assertThat(PomfClient.get("/f/" + firstName).body()).isEqualTo(first);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> get(EDGE1_PORT, firstName).statusCode() == 200);
        assertThat(get(EDGE1_PORT, firstName).body()).isEqualTo(first);
        assertThat(PomfClient.get("/f/" + secondName).statusCode()).isEqualTo(451);

        assertThat(list("DELETE", "takedown-it-list", null, null).statusCode()).isEqualTo(200);
        assertThat(PomfClient.get("/f/" + secondName).body()).isEqualTo(second);
        String unhashedName = PomfClient.uploadedName("unhashed.bin", PomfClient.random(700));
        assertThat(Database.count("select count(*) from stored_file where name = ? and md5 is null", unhashedName))
                .as("no list has MD5 entries any more")
                .isEqualTo(1);
        assertThat(list("DELETE", "takedown-it-list", null, null).statusCode()).isEqualTo(404);
        assertThat(Database.count("select count(*) from review_item where source = 'hash list takedown-it-list'"
                        + " and resolved_at is null"))
                .as("released links leave the queue")
                .isZero();
        assertThat(Database.count("select count(*) from admin_action where action like 'hashlist.%'"
                        + " and target = 'takedown-it-list'"))
                .isEqualTo(3);
    }

    @Test
    void hashListsNeedTheAdminAndSayWhatIsWrong() {
        assertThat(unauthorized("PUT", "/api/v1/hash-lists/x?reason=r", null).statusCode())
                .isEqualTo(401);
        assertThat(list("PUT", "bad name", "text/plain", "").statusCode()).isEqualTo(400);
        assertThat(list("PUT", "no-reason", "text/plain", "").statusCode()).isIn(400);
        assertThat(list("PUT", "json", "application/json", "{}").statusCode()).isEqualTo(415);
    }

    private static HttpResponse<String> unauthorized(String method, String path, String body) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(PomfClient.uri(path))
                            .header("Content-Type", "text/plain")
                            .method(method, HttpRequest.BodyPublishers.ofString(body == null ? "" : body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The hash lists API as the admin (token); {@code name} "" for the collection. */
    private static HttpResponse<String> list(String method, String name, String type, String body) {
        String path = "/api/v1/hash-lists" + (name.isEmpty() ? "" : "/" + name.replace(" ", "%20"))
                + (method.equals("PUT") && !name.equals("no-reason") ? "?reason=takedown-it%20test" : "");
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(PomfClient.uri(path))
                    .header("Authorization", "Bearer " + TOKEN)
                    .timeout(Duration.ofSeconds(60));
            if (type != null) {
                request.header("Content-Type", type);
            }
            request.method(
                    method,
                    body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String hex(String algorithm, byte[] bytes) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance(algorithm).digest(bytes));
    }

    /**
     * Issue 17, item 3: the public reports files at /report (form or JSON, limited per address); the reports land in the
     * review queue (newest, most reported, by reason); one action bans the content, deletes every upload of it,
     * purges the edges, blocks the uploaders' ranges and closes the content's items.
     */
    @Test
    void aReportReachesTheQueueAndOneActionTakesTheContentDownEverywhere() throws Exception {
        byte[] bytes = PomfClient.random(6_000);
        String name = uploadFrom("203.0.113.77", "reported.bin", bytes);
        String copy = uploadFrom("2001:db8:77::1", "reported-copy.bin", bytes);
        get(EDGE1_PORT, name);
        assertThat(get(EDGE1_PORT, name).headers().firstValue("X-Cache-Status")).hasValue("HIT");
        String url = "http://127.0.0.1:" + PomfClient.PORT + "/f/" + name;

        HttpResponse<String> page = report("GET", "/report?url=" + url + "%22%3E", null, null, false);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\" action=\"/report\"", "value=\"" + url + "&quot;&gt;\"");
        HttpResponse<String> sent = report(
                "POST",
                "/report",
                "192.0.2.10",
                "url=" + url + "&reason=copyright&details=my+film&contact=me%40x.test",
                false);
        assertThat(sent.statusCode()).isEqualTo(200);
        assertThat(sent.body()).contains("Report received", "in the moderators&#39; queue");
        assertThat(report("POST", "/report", "192.0.2.11", "url=/f/" + name + "&reason=illegal", true)
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> json =
                report("POST", "/report?output=json", "192.0.2.12", "url=" + copy + "&reason=illegal", true);
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.body())
                .isEqualTo("{\"success\":true,\"description\":\"Thank you: your report is in the"
                        + " moderators' queue.\"}");
        assertThat(report("POST", "/report", "192.0.2.13", "reason=illegal", true)
                        .statusCode())
                .isEqualTo(400);
        assertThat(report("POST", "/report", "192.0.2.13", "url=" + url + "&reason=because", true)
                        .statusCode())
                .isEqualTo(400);
        assertThat(report(
                                "POST",
                                "/report",
                                "192.0.2.13",
                                "url=" + url + "&reason=spam&details=" + "x".repeat(2001),
                                true)
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> unknown =
                report("POST", "/report", "192.0.2.14", "url=/f/nosuchfile.bin&reason=spam", true);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"success\":false", "There is no file at this address");
        HttpResponse<String> limited = null;
        for (int i = 0; i < 8 && limited == null; i++) {
            HttpResponse<String> r =
                    report("POST", "/report", "192.0.2.99", "url=" + url + "&reason=spam&details=again", true);
            limited = r.statusCode() == 429 ? r : null;
        }
        assertThat(limited).as("a 429 within the burst of 6 and a few more").isNotNull();
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();

        JsonObject most = Json.createReader(new StringReader(
                        api("GET", "/api/v1/reviews?sort=most", null).body()))
                .readObject();
        JsonObject top = most.getJsonArray("items").getJsonObject(0);
        assertThat(top.getString("name")).as("the link reported most").isEqualTo(name);
        assertThat(top.getInt("reports")).isGreaterThanOrEqualTo(3);
        String copyright =
                api("GET", "/api/v1/reviews?category=copyright", null).body();
        assertThat(copyright).contains(name, "my film", "me@x.test").doesNotContain(copy);
        assertThat(api("GET", "/api/v1/reviews?sort=oldest", null).statusCode()).isEqualTo(400);

        HttpResponse<String> done = api(
                "POST",
                "/api/v1/reviews/" + top.getJsonNumber("id").longValue() + "/take-down",
                "{\"reason\": \"takedown-it report\", \"delete\": true, \"block\": \"1h\"}");
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        JsonObject result = Json.createReader(new StringReader(done.body())).readObject();
        assertThat(result.getJsonArray("blocked").getValuesAs(jakarta.json.JsonString::getString))
                .containsExactlyInAnyOrder("203.0.113.0/24", "2001:db8:77::/48");
        assertThat(PomfClient.get("/f/" + name).statusCode()).isEqualTo(404);
        assertThat(PomfClient.get("/f/" + copy).statusCode()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(5)).until(() -> get(EDGE1_PORT, name).statusCode() == 404);
        assertThat(PomfClient.upload(new Multipart().file("again.bin", bytes)).statusCode())
                .isEqualTo(451);
        HttpResponse<String> blocked = uploadResponseFrom("203.0.113.200", "other.bin", PomfClient.random(100));
        assertThat(blocked.statusCode()).as("the uploader's /24 is blocked").isEqualTo(403);
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        Database.count("select coalesce(sum(refused), 0) from upload_refusal_day where kind = 'block'"
                                        + " and name = '203.0.113.0/24'")
                                >= 1);
        assertThat(Database.count(
                        "select count(*) from review_item where sha256 = ? and resolved_at is null",
                        PomfClient.sha256(bytes)))
                .isZero();
        assertThat(Database.count(
                        "select count(*) from admin_action where action = 'review.takedown' and target = ?",
                        Long.toString(top.getJsonNumber("id").longValue())))
                .isEqualTo(1);
    }

    private static String uploadFrom(String address, String filename, byte[] content) throws Exception {
        HttpResponse<String> answer = uploadResponseFrom(address, filename, content);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String url =
                PomfClient.json(answer).getJsonArray("files").getJsonObject(0).getString("url");
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static HttpResponse<String> uploadResponseFrom(String address, String filename, byte[] content)
            throws Exception {
        Multipart body = new Multipart().file(filename, content);
        return HTTP.send(
                HttpRequest.newBuilder(PomfClient.uri("/upload.php"))
                        .header("X-Forwarded-For", address)
                        .header("Content-Type", body.contentType())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> report(String method, String path, String from, String form, boolean json)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(PomfClient.uri(path));
        if (from != null) {
            request.header("X-Forwarded-For", from);
        }
        if (json) {
            request.header("Accept", "application/json");
        }
        if (form == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/x-www-form-urlencoded")
                    .method(method, HttpRequest.BodyPublishers.ofString(form));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theListOfBanChangesIsForTheEdgesOnly() {
        assertThat(PomfClient.get("/api/v1/takedowns").statusCode()).isEqualTo(401);
        assertThat(PomfClient.get("/api/v1/takedowns", "X-Pomf-Edge-Fetch", "guess")
                        .statusCode())
                .isEqualTo(401);
        HttpResponse<byte[]> present = PomfClient.get("/api/v1/takedowns", "X-Pomf-Edge-Fetch", PURGE_TOKEN);
        assertThat(present.statusCode()).isEqualTo(200);
        JsonObject answer =
                Json.createReader(new StringReader(new String(present.body()))).readObject();
        assertThat(answer.getJsonArray("changes")).isEmpty();
        assertThat(answer.getJsonObject("next").getString("since")).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]{15}");
        assertThat(PomfClient.get("/api/v1/takedowns?since=yesterday", "X-Pomf-Edge-Fetch", PURGE_TOKEN)
                        .statusCode())
                .isEqualTo(400);
    }

    private static void assertNoContentHeaders(HttpResponse<byte[]> answer) {
        assertThat(answer.headers().firstValue("Content-Range")).isEmpty();
        assertThat(answer.headers().firstValue("Accept-Ranges")).isEmpty();
        assertThat(answer.headers().firstValue("ETag")).isEmpty();
        assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    private static HttpResponse<byte[]> get(int port, String name, String... headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/f/" + name))
                    .timeout(Duration.ofSeconds(20));
            for (int i = 0; i < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> api(String method, String path, String json) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(PomfClient.uri(path))
                    .header("Authorization", "Bearer " + TOKEN)
                    .timeout(Duration.ofSeconds(30));
            if (json != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
