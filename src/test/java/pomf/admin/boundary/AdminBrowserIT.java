package pomf.admin.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import pomf.it.clients.AdminConversation;
import pomf.it.clients.Browser;
import pomf.it.clients.PomfClient;
import pomf.it.clients.PomfClient.Multipart;
import pomf.it.deployments.Database;
import pomf.it.deployments.Deployments;
import pomf.it.deployments.PayaraProcess;
import pomf.witness.boundary.Fleet;
import pomf.witness.boundary.WitnessTables;

/**
 * The admin pages in a real headless Chromium, against the whole system on loopback: this deployment is origin,
 * admin and witness; an edge runs as its own Payara process in front of it; BIND holds the edges' round-robin
 * record; two nodes with HTTPS and sshd are watched. Screenshots of every page go to target/screenshots.
 */
@ExtendWith(ArquillianExtension.class)
class AdminBrowserIT {
    static final String ADMIN = "browser-admin";
    static final String PASSWORD = "browser admin password";
    static final String TOKEN = "admin-browser-token";
    static final String PURGE_TOKEN = "admin-browser-purge";
    static final String ZONE = "browser.test";
    static final String RECORD = "cdn." + ZONE;
    static final int DNS_PORT = 18710;
    static final int HTTPS_PORT = 18711;
    static final int SSH_PORT = 18712;
    static final int EDGE_PORT = 18713;
    static final List<String> ADDRESSES = List.of("127.0.0.61", "127.0.0.62");

    static Optional<String> unavailable = Optional.empty();
    static Fleet fleet;
    static PayaraProcess edge;
    static Path edgeWork;
    Browser browser;

    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        WitnessTables.clear();
        unavailable = Browser.unavailable().or(Fleet::unavailable);
        Map<String, String> config = new java.util.LinkedHashMap<>(Fleet.witness("browser-witness"));
        config.put("pomf.roles", "origin,admin,witness");
        config.put("pomf.api.token", TOKEN);
        config.put("pomf.trusted-proxies", "127.0.0.1");
        config.put("pomf.origin.edges", "http://127.0.0.1:" + EDGE_PORT);
        config.put("pomf.edge.purge-token", PURGE_TOKEN);
        // HTML and SVG are accepted here, so the test can show they never run where they are shown or served.
        config.put("pomf.upload.blocked-extensions", "exe");
        config.put("pomf.upload.blocked-types", "application/x-dosexec");
        // Only the admin takes nodes out here: on a busy machine the witness's one-second checks could strike a
        // node four times and kill it, and the admin's kill of the other would then be refused as the last one.
        // The witness's own judgement is tested by the witness ITs.
        config.put("pomf.witness.strikes", "1000000");
        if (unavailable.isPresent()) {
            System.err.println("AdminBrowserIT skips: " + unavailable.get());
            return Deployments.origin(Deployments.newStorage(), config);
        }
        fleet = Fleet.start(ZONE, DNS_PORT, HTTPS_PORT, SSH_PORT, ADDRESSES, 2);
        return Deployments.origin(Deployments.newStorage(), fleet.watchedBy(config, "browser-e", 2));
    }

    @BeforeAll
    static void accountAndEdge() throws IOException {
        if (unavailable.isPresent()) {
            return;
        }
        AdminConversation.createAccount(ADMIN, PASSWORD);
        edgeWork = java.nio.file.Files.createTempDirectory("pomf-it-browser-edge");
        edge = PayaraProcess.edge(
                EDGE_PORT,
                "http://127.0.0.1:" + pomf.it.clients.PomfClient.PORT,
                edgeWork.resolve("cache"),
                edgeWork,
                Map.of("pomf.edge.purge-token", PURGE_TOKEN, "pomf.edge.min-uses", "1"));
    }

    @AfterAll
    static void stop() {
        if (edge != null) {
            edge.close();
            Deployments.deleteTree(edgeWork);
        }
        WitnessTables.clear();
        if (fleet != null) {
            fleet.close();
        }
    }

    @BeforeEach
    void browser() {
        assumeTrue(unavailable.isEmpty(), () -> unavailable.orElse(""));
        browser = Browser.start("AdminBrowserIT");
    }

    @org.junit.jupiter.api.AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void strangersLandOnTheLoginPageAndComeBackAfterIt() {
        browser.open("/admin/nodes.xhtml");
        assertThat(browser.url()).contains("/admin/login.xhtml");
        browser.screenshot("login");
        browser.type(By.id("login:username"), ADMIN);
        browser.type(By.id("login:password"), "wrong password");
        browser.click(By.id("login:submit"));
        assertThat(browser.find(By.id("login:problems")).getText()).contains("Wrong user name or password");
        browser.screenshot("login-failed");
        browser.type(By.id("login:username"), ADMIN);
        browser.type(By.id("login:password"), PASSWORD);
        browser.click(By.id("login:submit"));
        browser.waitUntil(b -> b.url().contains("/admin/nodes.xhtml"));
        assertThat(browser.find(By.id("caller")).getText()).isEqualTo(ADMIN);
    }

    @Test
    void theDashboardShowsNodesAndCharts() {
        browser.logIn(ADMIN, PASSWORD);
        browser.open("/admin/dashboard.xhtml");
        assertThat(browser.find(By.id("nodeStates")).getText()).contains("2 live");
        assertThat(browser.all(By.cssSelector("canvas"))).hasSizeGreaterThanOrEqualTo(2);
        browser.screenshot("dashboard");
        browser.open("/admin/accounts.xhtml");
        assertThat(browser.text()).contains(ADMIN);
        browser.screenshot("accounts");
    }

    @Test
    void killingAndRevivingANodeMovesItsDnsRecord() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fleet.bind.query(RECORD).size() == 2);
        browser.logIn(ADMIN, PASSWORD);
        browser.open("/admin/nodes.xhtml");
        browser.screenshot("nodes");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> Database.count("select count(*) from node where name like 'browser-e%' and state = 'live'")
                        == 2);
        assertThat(nodeAction("browser-e1", "kill", "taken out from the browser test"))
                .contains("browser-e1 killed");
        awaitRecord(java.util.Set.of(ADDRESSES.get(1)));
        assertThat(Database.count("select count(*) from node_event where node_name = 'browser-e1' and kind = 'kill'"
                        + " and actor = 'admin " + ADMIN + "' and reason = 'taken out from the browser test'"))
                .isEqualTo(1);
        browser.open("/admin/nodes.xhtml");
        assertThat(rowOf("browser-e1")).contains("dead");
        browser.screenshot("nodes-killed");

        assertThat(nodeAction("browser-e1", "revive", "back after the test")).contains("browser-e1 revived");
        awaitRecord(java.util.Set.copyOf(ADDRESSES));
        browser.open("/admin/nodes.xhtml");
        assertThat(rowOf("browser-e1")).contains("live");
    }

    @Test
    void aDeletedFileIsGoneAtTheOriginAndAtTheEdge() {
        byte[] content = PomfClient.random(40_000);
        String name = PomfClient.uploadedName("browser-delete-me.bin", content);
        HttpResponse<byte[]> viaEdge = edgeGet(name);
        assertThat(viaEdge.statusCode()).isEqualTo(200);
        assertThat(edgeGet(name).headers().firstValue("X-Cache-Status")).hasValue("HIT");

        browser.logIn(ADMIN, PASSWORD);
        browser.open("/admin/files.xhtml");
        browser.type(By.id("filesForm:name"), "browser-delete-me");
        browser.click(By.id("filesForm:search"));
        browser.settle();
        assertThat(fileRows()).containsExactly(name);
        browser.screenshot("files-found");
        browser.click(By.xpath(rowXpath(name) + "//button[contains(concat(' ', @class, ' '),' file-view ')]"));
        browser.settle();
        assertThat(browser.find(By.id("detailForm")).getText()).contains("browser-delete-me.bin");
        browser.screenshot("file-detail");
        browser.script("PF('detailDialog').hide()");

        browser.click(By.xpath(rowXpath(name) + "//button[contains(concat(' ', @class, ' '),' file-delete ')]"));
        browser.click(By.id("filesForm:confirmYes"));
        browser.settle();
        assertThat(fileRows()).isEmpty();
        assertThat(PomfClient.get("/f/" + name).statusCode()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(20)).until(() -> edgeGet(name).statusCode() == 404);
        assertThat(Database.count(
                        "select count(*) from admin_action where actor = ? and action = 'file.delete'"
                                + " and target = ?",
                        ADMIN,
                        name))
                .isEqualTo(1);
    }

    @Test
    void aBannedHashIsRefusedAtUpload() {
        byte[] content = PomfClient.random(5_000);
        String name = PomfClient.uploadedName("browser-ban-me.bin", content);
        browser.logIn(ADMIN, PASSWORD);
        browser.open("/admin/files.xhtml");
        browser.type(By.id("filesForm:hash"), PomfClient.sha256(content).substring(0, 12));
        browser.click(By.id("filesForm:search"));
        browser.settle();
        assertThat(fileRows()).containsExactly(name);
        browser.click(By.xpath(rowXpath(name) + "//button[contains(concat(' ', @class, ' '),' file-ban ')]"));
        browser.settle();
        browser.type(By.id("banForm:reason"), "browser test ban");
        browser.screenshot("ban-dialog");
        browser.click(By.id("banForm:ban"));
        browser.settle();
        assertThat(PomfClient.get("/f/" + name).statusCode())
                .as("taken down, not deleted (the dialog's delete box is left unticked)")
                .isEqualTo(451);
        HttpResponse<String> again = PomfClient.upload(new Multipart().file("other-name.bin", content));
        assertThat(again.statusCode()).isGreaterThanOrEqualTo(400);
        assertThat(PomfClient.json(again).getBoolean("success")).isFalse();
        Database.execute("delete from banned_hash where reason = 'browser test ban'");
    }

    @Test
    void markupInUploadedNamesAndFilesNeverRuns() {
        String hostile = "<img src=x onerror=window.__pwned=1>x.html";
        byte[] page =
                "<html><head><title>ok</title></head><body><script>document.title='pwned';window.__pwned=1</script></body></html>"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String html = PomfClient.uploadedName(hostile, page);
        byte[] svgBytes = ("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"document.title='pwned'\">"
                        + "<script>document.title='pwned'</script><rect width=\"10\" height=\"10\"/></svg>")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String svg = PomfClient.uploadedName("<b onmouseover=alert(1)>drawing</b>.svg", svgBytes);

        browser.logIn(ADMIN, PASSWORD);
        browser.open("/admin/files.xhtml");
        browser.type(By.id("filesForm:name"), "onerror");
        browser.click(By.id("filesForm:search"));
        browser.settle();
        assertThat(browser.find(By.xpath(rowXpath(html) + "//span[@class='original-name']"))
                        .getText())
                .isEqualTo(hostile);
        browser.click(By.xpath(rowXpath(html) + "//button[contains(concat(' ', @class, ' '),' file-view ')]"));
        browser.settle();
        browser.screenshot("hostile-name");
        assertThat(browser.script("return window.__pwned === undefined")).isEqualTo(true);
        assertThat(browser.all(By.cssSelector("img[src='x']"))).isEmpty();

        for (String name : List.of(html, svg)) {
            browser.open("/f/" + name);
            browser.screenshot("served-" + name.substring(name.indexOf('.') + 1));
            assertThat(browser.title()).as(name).isNotEqualTo("pwned");
            assertThat(browser.script("return window.__pwned === undefined"))
                    .as(name)
                    .isEqualTo(true);
        }
    }

    /**
     * Issue 17, items 2, 4 and 7: the moderation page imports a hash list from a file (the listed file is quarantined
     * and queued), marks the queue's item reviewed, blocks an address range, and removes the list (the file serves
     * again). Every step audited.
     */
    @Test
    void theModerationPageImportsAHashListReviewsItsMatchAndBlocksARange() throws Exception {
        assertThat(Database.count("select count(*) from hash_list where md5_entries > 0"))
                .as("no list has MD5 entries yet")
                .isZero();
        byte[] content = PomfClient.random(4_000);
        String name = PomfClient.uploadedName("browser-listed.bin", content);
        assertThat(Database.count("select count(*) from stored_file where name = ? and md5 is null", name))
                .as("stored without an MD5: no list needs one")
                .isEqualTo(1);
        String md5 = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("MD5").digest(content));
        java.nio.file.Path list = java.nio.file.Files.createTempFile("browser-list", ".csv");
        java.nio.file.Files.writeString(list, "hash,note\n" + md5 + ",browser test\nnot a hash\n");
        String range = "2001:db8:b10c::/48";
        try {
            browser.logIn(ADMIN, PASSWORD);
            browser.open("/admin/moderation.xhtml");
            browser.type(By.id("importForm:listName"), "browser-list");
            browser.type(By.id("importForm:listReason"), "browser test list");
            browser.choose(By.id("importForm:listFile"), list);
            browser.click(By.id("importForm:import"));
            browser.settle();
            browser.screenshot("moderation-import");
            // The file was stored while no list had MD5 entries, so without its MD5: the sweep the import started
            // hashes it and quarantines it.
            assertThat(browser.text())
                    .contains(
                            "browser-list: 1 hashes",
                            "0 link(s) quarantined",
                            "1 line(s) without a hash",
                            "being hashed and checked in the background");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> PomfClient.get("/f/" + name).statusCode() == 451);
            browser.open("/admin/moderation.xhtml");
            assertThat(browser.find(By.id("queueForm:queue")).getText()).contains(name, "hash list browser-list");
            assertThat(browser.find(By.id("listsForm:lists")).getText()).contains("browser-list", "browser test list");

            browser.click(By.xpath(
                    "//form[@id='queueForm']//tr[contains(., '" + name + "')]//button[contains(., 'Mark reviewed')]"));
            browser.settle();
            assertThat(Database.count(
                            "select count(*) from review_item where stored_name = ? and resolved_by = ?", name, ADMIN))
                    .isEqualTo(1);
            assertThat(browser.find(By.id("queueForm:queue")).getText()).doesNotContain(name);

            // The public's report form, then the take-down from the queue.
            byte[] reportedBytes = PomfClient.random(3_000);
            String reported = PomfClient.uploadedName("browser-reported.bin", reportedBytes);
            browser.open("/report");
            browser.type(By.name("url"), "http://127.0.0.1:" + PomfClient.PORT + "/f/" + reported);
            new org.openqa.selenium.support.ui.Select(browser.find(By.name("reason"))).selectByValue("copyright");
            browser.type(By.name("details"), "browser test report");
            browser.click(By.cssSelector("form.report button[type=submit]"));
            browser.waitUntil(b -> b.text().contains("Report received"));
            browser.open("/admin/moderation.xhtml");
            assertThat(browser.find(By.id("queueForm:queue")).getText()).contains(reported, "copyright");
            browser.click(By.xpath("//form[@id='queueForm']//tr[contains(., '" + reported
                    + "')]//button[contains(concat(' ', @class, ' '), ' take-down ')]"));
            browser.click(By.id("queueForm:confirmYes"));
            browser.settle();
            browser.screenshot("moderation-take-down");
            assertThat(browser.text()).contains(reported + " taken down");
            assertThat(PomfClient.get("/f/" + reported).statusCode()).isEqualTo(404);
            assertThat(PomfClient.upload(new Multipart().file("again.bin", reportedBytes))
                            .statusCode())
                    .isEqualTo(451);
            Database.execute("delete from banned_hash where hash = ?", PomfClient.sha256(reportedBytes));

            browser.type(By.id("blockForm:blockRange"), range);
            browser.type(By.id("blockForm:blockReason"), "browser test block");
            browser.type(By.id("blockForm:blockExpires"), "1h");
            browser.click(By.id("blockForm:block"));
            browser.settle();
            browser.screenshot("moderation-block");
            assertThat(browser.find(By.id("blocksForm:blocks")).getText()).contains(range, "browser test block", ADMIN);

            browser.click(By.xpath(
                    "//form[@id='listsForm']//tr[contains(., 'browser-list')]//button[contains(., 'Remove')]"));
            browser.click(By.id("queueForm:confirmYes"));
            browser.settle();
            assertThat(PomfClient.get("/f/" + name).body()).isEqualTo(content);
            assertThat(Database.count(
                            "select count(*) from admin_action where actor = ? and action in"
                                    + " ('hashlist.import', 'review.resolve', 'block.add', 'hashlist.remove')"
                                    + " and (target in ('browser-list', ?) or action = 'review.resolve')",
                            ADMIN,
                            range))
                    .isGreaterThanOrEqualTo(4);
        } finally {
            Database.execute("delete from address_block where reason = 'browser test block'");
            Database.execute("delete from hash_list where name = 'browser-list'");
            java.nio.file.Files.deleteIfExists(list);
        }
    }

    @Test
    void theCachePageShowsTheEdgeAndPurges() {
        String name = PomfClient.uploadedName("browser-cached.bin", PomfClient.random(3_000));
        edgeGet(name);
        assertThat(edgeGet(name).headers().firstValue("X-Cache-Status")).hasValue("HIT");
        browser.logIn(ADMIN, PASSWORD);
        browser.open("/admin/cache.xhtml");
        assertThat(browser.find(By.id("cacheForm:edges")).getText())
                .contains("127.0.0.1:" + EDGE_PORT)
                .contains("yes");
        browser.type(By.id("cacheForm:name"), name);
        browser.click(By.id("cacheForm:purge"));
        browser.settle();
        browser.screenshot("cache");
        assertThat(browser.text()).contains(": ok");
        assertThat(edgeGet(name).headers().firstValue("X-Cache-Status")).hasValue("MISS");
    }

    @Test
    void aReportRunsAsTableAndChartAndDownloadsAsCsv() throws IOException {
        Database.execute("delete from traffic_minute where node = 'browser-report'");
        Database.execute("insert into traffic_minute (node, role, minute, requests, bytes_sent, status_2xx)"
                + " values ('browser-report', 'edge', date_trunc('minute', now()) - interval '5 minutes', 7, 7000, 7)");
        browser.logIn(ADMIN, PASSWORD);
        browser.open("/admin/reports.xhtml?report=traffic-per-node-day");
        browser.click(By.id("reportForm:run"));
        browser.settle();
        assertThat(browser.find(By.id("reportForm:rows")).getText())
                .contains("browser-report")
                .contains("7000");
        assertThat(browser.all(By.cssSelector("#reportForm\\:chart canvas"))).hasSize(1);
        browser.screenshot("report");
        browser.click(By.id("reportForm:csv"));
        browser.waitUntil(b -> !b.downloads().isEmpty());
        assertThat(browser.downloads()).hasSize(1);
        assertThat(browser.downloads().get(0).getFileName().toString()).startsWith("traffic-per-node-day-");
        String csv = java.nio.file.Files.readString(browser.downloads().get(0));
        assertThat(csv).startsWith("day,node,role,requests,bytes_sent").contains(",browser-report,edge,7,7000,");
        Database.execute("delete from traffic_minute where node = 'browser-report'");
    }

    private static HttpResponse<byte[]> edgeGet(String name) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(edge.uri("/f/" + name)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<String> fileRows() {
        return browser.all(By.cssSelector("#filesForm\\:files span.stored-name")).stream()
                .map(e -> e.getText())
                .toList();
    }

    private static String rowXpath(String storedName) {
        return "//tr[.//span[contains(@class,'stored-name') and text()='" + storedName + "']]";
    }

    /** Clicks the action's button in the node's row, fills in the reason and confirms in the dialog. */
    /** Waits for BIND to hold {@code addresses}; when it does not, says what the database wanted and why. */
    private static void awaitRecord(java.util.Set<String> addresses) {
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> fleet.bind.query(RECORD).equals(addresses));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    "DNS holds " + fleet.bind.query(RECORD) + ", not " + addresses + "; nodes: "
                            + Database.rows("select name, address, state from node order by name")
                            + "; DNS changes: "
                            + Database.rows("select id, address, action, state, attempts, last_error, reason"
                                    + " from dns_change order by id"),
                    e);
        }
    }

    /** Runs an action from the node's row and its confirmation; returns the page's answer. */
    private String nodeAction(String node, String action, String reason) {
        String buttonClass =
                switch (action) {
                    case "kill" -> "kill";
                    case "revive" -> "revive";
                    default -> "park";
                };
        browser.click(By.xpath("//tr[.//span[@class='node-name' and text()='" + node + "']]//button[contains(@class,'"
                + buttonClass + "')]"));
        browser.settle();
        browser.type(By.id("confirmForm:reason"), reason);
        browser.screenshot("confirm-" + action);
        browser.click(By.id("confirmForm:confirm"));
        browser.settle();
        // The growl's messages, shown by its script once the answer has been applied.
        browser.find(By.cssSelector("#messages_container .ui-growl-message"));
        return browser.all(By.cssSelector("#messages_container .ui-growl-message")).stream()
                .map(org.openqa.selenium.WebElement::getText)
                .collect(java.util.stream.Collectors.joining(" / "));
    }

    private String rowOf(String node) {
        return browser.find(By.xpath("//tr[.//span[@class='node-name' and text()='" + node + "']]"))
                .getText();
    }
}
