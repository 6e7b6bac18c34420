package pomf.witness.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pomf.dns.control.Rfc2136Provider;
import pomf.it.clients.PomfClient;
import pomf.it.deployments.Database;
import pomf.it.deployments.Deployments;

/**
 * The witness end to end, with a one-second tick, against real components: BIND holding the round-robin record
 * (changed by signed RFC 2136 updates, read back with DNS queries), three nodes on their own loopback addresses
 * each with an HTTPS health endpoint (self-signed certificate, verified) and a real sshd, PostgreSQL for strikes
 * and kills.
 */
@ExtendWith(ArquillianExtension.class)
class WitnessIT {
    static final String ZONE = "example.test";
    static final String RECORD = "cdn." + ZONE;
    static final int DNS_PORT = 18560;
    static final int HTTPS_PORT = 18561;
    static final int SSH_PORT = 18562;
    static final List<String> ADDRESSES = List.of("127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14");

    static Fleet fleet;
    static Optional<String> unavailable = Optional.empty();

    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        WitnessTables.clear();
        unavailable = Fleet.unavailable();
        Map<String, String> config = Fleet.witness("witness-it");
        config.put("pomf.witness.dns.audit-ticks", "3");
        if (unavailable.isPresent()) {
            System.err.println("WitnessIT skips: " + unavailable.get());
            return Deployments.origin(Deployments.newStorage(), config);
        }
        fleet = Fleet.start(ZONE, DNS_PORT, HTTPS_PORT, SSH_PORT, ADDRESSES, 3);
        return Deployments.origin(Deployments.newStorage(), fleet.watchedBy(config, "wit-e", 3));
    }

    @AfterAll
    static void stopNodes() {
        WitnessTables.clear();
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void failingEdgesLeaveDnsButTheLastOneStays() {
        assumeTrue(unavailable.isEmpty(), () -> unavailable.orElse(""));
        await().atMost(Duration.ofSeconds(30)).until(() -> cleanTicks("wit-e1") >= 2 && cleanTicks("wit-e3") >= 2);
        assertThat(fleet.bind.query(RECORD)).containsExactlyInAnyOrder("127.0.0.11", "127.0.0.12", "127.0.0.13");

        kill(0);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !fleet.bind.query(RECORD).contains("127.0.0.11"));
        assertThat(fleet.bind.query(RECORD)).containsExactlyInAnyOrder("127.0.0.12", "127.0.0.13");
        assertThat(state("wit-e1")).isEqualTo("dead");
        assertThat(strikes("wit-e1")).isGreaterThanOrEqualTo(4);
        assertThat(events("wit-e1", "kill")).isEqualTo(1);
        assertThat(Database.count("select count(*) from dns_change c join node n on n.id = c.node_id"
                        + " where n.name = 'wit-e1' and c.action = 'remove' and c.state = 'confirmed'"))
                .isEqualTo(1);

        kill(1);
        kill(2);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !fleet.bind.query(RECORD).contains("127.0.0.12"));
        await().atMost(Duration.ofSeconds(30)).until(() -> strikes("wit-e3") >= 7);
        assertThat(fleet.bind.query(RECORD)).containsExactly("127.0.0.13");
        assertThat(state("wit-e2")).isEqualTo("dead");
        assertThat(state("wit-e3")).isEqualTo("live");
        assertThat(events("wit-e3", "kill_refused")).isEqualTo(1);
        assertThat(Database.count("select count(*) from witness_fault where witness = 'witness-it'"))
                .as("every node failing, but the DNS server answers: the nodes' fault, not the witness's")
                .isZero();

        fleet.up(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> cleanTicks("wit-e1") >= 2);
        assertThat(state("wit-e1")).as("revival is manual by default").isEqualTo("dead");
        assertThat(WitnessApi.post("/api/v1/nodes/wit-e1/revive", "{\"reason\": \"back after the disk swap\"}")
                        .statusCode())
                .isEqualTo(200);
        // Edge 3 has been down all along: with edge 1 back it is no longer the last live node, and it goes.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fleet.bind.query(RECORD).equals(Set.of("127.0.0.11")));
        assertThat(state("wit-e1")).isEqualTo("live");
        assertThat(state("wit-e3")).isEqualTo("dead");
        assertThat(events("wit-e1", "kill"))
                .as("strikes before the revival do not count again")
                .isEqualTo(1);
        assertThat(Database.count("select count(*) from node_event e join node n on n.id = e.node_id"
                        + " where n.name = 'wit-e1' and e.kind = 'revive' and e.reason = 'back after the disk swap'"
                        + " and e.actor = 'admin API (api-token)'"))
                .isEqualTo(1);
    }

    @Test
    void theNodesApiNeedsTheAdminTokenAndRefusesBadInput() {
        HttpResponse<String> anonymous = WitnessApi.send(HttpRequest.newBuilder(PomfClient.uri("/api/v1/nodes")));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        HttpResponse<String> wrong = WitnessApi.send(HttpRequest.newBuilder(PomfClient.uri("/api/v1/nodes"))
                .header("Authorization", "Bearer not-the-token"));
        assertThat(wrong.statusCode()).isEqualTo(401);

        for (String bad : List.of(
                "{\"name\": \"Bad Name\", \"address\": \"127.0.0.14\", \"record\": \"api.example.test\"}",
                "{\"name\": \"api-x\", \"address\": \"localhost\", \"record\": \"api.example.test\"}",
                "{\"name\": \"api-x\", \"address\": \"127.0.0.14\", \"record\": \"not a host\"}",
                "{\"name\": \"api-x\", \"address\": \"127.0.0.14\", \"record\": \"api.example.test\","
                        + " \"sshPort\": 70000}",
                "{\"name\": \"api-x\", \"address\": 7, \"record\": \"api.example.test\"}",
                "{\"name\": \"api-x\", \"address\": \"127.0.0.14\", \"record\": \"api.example.test\","
                        + " \"checkUrl\": \"http://127.0.0.14/health/ready\"}",
                "{\"name\": ",
                "[]")) {
            HttpResponse<String> response = WitnessApi.post("/api/v1/nodes", bad);
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(response.body()).as(bad).contains("\"status\":400").doesNotContain("Exception");
        }
        assertThat(Database.count("select count(*) from node where name = 'api-x'"))
                .isZero();
        assertThat(WitnessApi.post("/api/v1/nodes/nobody/kill", "").statusCode())
                .isEqualTo(404);
    }

    @Test
    void aNodeCannotPointTheWitnessAtOtherHostsPortsOrZones() {
        // An API token could make the witness scan any host and port every minute, or write any A record.
        String ok = "\"name\": \"api-t\", \"address\": \"127.0.0.14\", \"record\": \"api.example.test\"";
        for (String bad : List.of(
                "{" + ok + ", \"checkUrl\": \"https://10.9.9.9/health/ready\"}",
                "{" + ok + ", \"checkUrl\": \"https://127.0.0.14:6379/health/ready\"}",
                "{" + ok + ", \"sshPort\": 25}",
                "{\"name\": \"api-t\", \"address\": \"127.0.0.14\", \"record\": \"www.victim.org\"}",
                "{\"name\": \"api-t\", \"address\": \"127.0.0.14\", \"record\": \"example.test.victim.org\"}")) {
            HttpResponse<String> response = WitnessApi.post("/api/v1/nodes", bad);
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(response.body()).as(bad).contains("\"status\":400").doesNotContain("Exception");
        }
        assertThat(Database.count("select count(*) from node where name = 'api-t'"))
                .isZero();
    }

    @Test
    void anAdminCanAddKillAndReviveNodesButNeverEmptyARecord() {
        assumeTrue(unavailable.isEmpty(), () -> unavailable.orElse(""));
        String record = "api.example.test";
        HttpResponse<String> added = WitnessApi.post(
                "/api/v1/nodes",
                "{\"name\": \"api-a\", \"address\":"
                        + " \"127.0.0.14\", \"checkUrl\": \"" + fleet.https[3].url() + "\", \"sshPort\": " + SSH_PORT
                        + ", \"record\": \"" + record + "\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> fleet.bind.query(record).equals(Set.of("127.0.0.14")));
        assertThat(WitnessApi.post(
                                "/api/v1/nodes",
                                "{\"name\": \"api-a\", \"address\": \"127.0.0.15\"," + " \"record\": \"" + record
                                        + "\"}")
                        .statusCode())
                .isEqualTo(409);

        HttpResponse<String> refused = WitnessApi.post("/api/v1/nodes/api-a/kill", "{\"reason\": \"test\"}");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("last live node of api.example.test");
        HttpResponse<String> parked = WitnessApi.post("/api/v1/nodes/api-a/maintenance", "disk swap");
        assertThat(parked.statusCode()).isEqualTo(409);
        assertThat(state("api-a")).isEqualTo("live");

        assertThat(WitnessApi.post(
                                "/api/v1/nodes",
                                "{\"name\": \"api-b\", \"address\": \"127.0.0.14\","
                                        + " \"checkUrl\": \"" + fleet.https[3].url() + "\", \"sshPort\": " + SSH_PORT
                                        + ", \"record\": \"img.example.test\"}")
                        .statusCode())
                .isEqualTo(201);
        assertThat(WitnessApi.send(HttpRequest.newBuilder(PomfClient.uri("/api/v1/nodes/api-a"))
                                .header("Authorization", "Bearer " + WitnessApi.TOKEN)
                                .DELETE())
                        .statusCode())
                .isEqualTo(409);
        assertThat(Database.count("select count(*) from node_event where node_name = 'api-a' and kind = 'add'"
                        + " and actor = 'admin API (api-token)'"))
                .isEqualTo(1);
    }

    @Test
    void aRecordChangedByHandAtTheProviderIsRepaired() throws Exception {
        assumeTrue(unavailable.isEmpty(), () -> unavailable.orElse(""));
        String record = "drift.example.test";
        assertThat(WitnessApi.post(
                                "/api/v1/nodes",
                                "{\"name\": \"drift-a\", \"address\": \"127.0.0.14\","
                                        + " \"checkUrl\": \"" + fleet.https[3].url() + "\", \"sshPort\": " + SSH_PORT
                                        + ", \"record\": \"" + record + "\"}")
                        .statusCode())
                .isEqualTo(201);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> fleet.bind.query(record).equals(Set.of("127.0.0.14")));
        Rfc2136Provider byHand = new Rfc2136Provider(
                new InetSocketAddress("127.0.0.1", DNS_PORT),
                ZONE,
                fleet.bind.keyName(),
                fleet.bind.algorithm(),
                fleet.bind.secret(),
                60,
                Duration.ofSeconds(2));
        byHand.remove(record, "127.0.0.14");
        byHand.add(record, "127.0.0.99"); // not a node: the witness leaves it alone
        assertThat(fleet.bind.query(record)).containsExactly("127.0.0.99");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fleet.bind.query(record).contains("127.0.0.14"));
        assertThat(fleet.bind.query(record)).containsExactlyInAnyOrder("127.0.0.14", "127.0.0.99");
        assertThat(Database.count(
                        "select count(*) from dns_change where record = ? and reason like 'drift:%'"
                                + " and state = 'confirmed'",
                        record))
                .isEqualTo(1);
    }

    private static void kill(int node) {
        fleet.down(node);
    }

    static long cleanTicks(String node) {
        return Database.count("select coalesce(max(clean_ticks), 0) from node where name = ?", node);
    }

    static long strikes(String node) {
        return Database.count("select count(*) from strike s join node n on n.id = s.node_id where n.name = ?", node);
    }

    static long events(String node, String kind) {
        return Database.count(
                "select count(*) from node_event e join node n on n.id = e.node_id where n.name = ? and e.kind = ?",
                node,
                kind);
    }

    static String state(String node) {
        long live = Database.count("select count(*) from node where name = ? and state = 'live'", node);
        long dead = Database.count("select count(*) from node where name = ? and state = 'dead'", node);
        return live == 1 ? "live" : dead == 1 ? "dead" : "other";
    }
}
