package pomf.admin.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
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
import pomf.it.AdminSession;
import pomf.it.Browser;
import pomf.it.Database;
import pomf.it.Deployments;
import pomf.it.PayaraProcess;
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
        AdminSession.createAccount(ADMIN, PASSWORD);
        Path work = java.nio.file.Files.createTempDirectory("pomf-it-browser-edge");
        edge = PayaraProcess.edge(
                EDGE_PORT,
                "http://127.0.0.1:" + pomf.it.PomfClient.PORT,
                work.resolve("cache"),
                work,
                Map.of("pomf.edge.purge-token", PURGE_TOKEN));
    }

    @AfterAll
    static void stop() {
        if (edge != null) {
            edge.close();
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
        assertThat(browser.find(By.id("login:problems")).getText()).contains("Wrong user name or password.");
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

        nodeAction("browser-e1", "kill", "taken out from the browser test");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fleet.bind.query(RECORD).equals(java.util.Set.of(ADDRESSES.get(1))));
        assertThat(Database.count("select count(*) from node_event where node_name = 'browser-e1' and kind = 'kill'"
                        + " and actor = 'admin " + ADMIN + "' and reason = 'taken out from the browser test'"))
                .isEqualTo(1);
        browser.open("/admin/nodes.xhtml");
        assertThat(rowOf("browser-e1")).contains("dead");
        browser.screenshot("nodes-killed");

        nodeAction("browser-e1", "revive", "back after the test");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fleet.bind.query(RECORD).size() == 2);
        assertThat(fleet.bind.query(RECORD)).containsExactlyInAnyOrderElementsOf(ADDRESSES);
        browser.open("/admin/nodes.xhtml");
        assertThat(rowOf("browser-e1")).contains("live");
    }

    /** Clicks the action's button in the node's row, fills in the reason and confirms in the dialog. */
    private void nodeAction(String node, String action, String reason) {
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
    }

    private String rowOf(String node) {
        return browser.find(By.xpath("//tr[.//span[@class='node-name' and text()='" + node + "']]"))
                .getText();
    }
}
