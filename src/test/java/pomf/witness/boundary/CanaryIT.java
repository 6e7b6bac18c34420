package pomf.witness.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pomf.it.deployments.Database;
import pomf.it.deployments.Deployments;

/**
 * The witness checks the bytes (issue 17, item 6): three nodes that answer every health check, ping and SSH, one of
 * which starts serving wrong bytes for the canary, as a corrupt cache would. It leaves the round-robin record in BIND
 * like a dead node, under the same strike rules, and its strikes say which bytes it served.
 */
@ExtendWith(ArquillianExtension.class)
class CanaryIT {
    static final String ZONE = "canary.test";
    static final String RECORD = "cdn." + ZONE;
    static final int DNS_PORT = 18740;
    static final int HTTPS_PORT = 18741;
    static final int SSH_PORT = 18742;
    static final List<String> ADDRESSES = List.of("127.0.0.101", "127.0.0.102", "127.0.0.103");
    static final String CANARY = "canaryit.txt";
    static final byte[] BYTES = "the canary of CanaryIT: exactly these bytes\n".getBytes(StandardCharsets.US_ASCII);

    static Fleet fleet;
    static Optional<String> unavailable = Optional.empty();

    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        WitnessTables.clear();
        unavailable = Fleet.unavailable();
        Map<String, String> config = Fleet.witness("canary-it");
        config.put("pomf.witness.canary", CANARY);
        if (unavailable.isPresent()) {
            System.err.println("CanaryIT skips: " + unavailable.get());
            return Deployments.origin(Deployments.newStorage(), config);
        }
        fleet = Fleet.start(ZONE, DNS_PORT, HTTPS_PORT, SSH_PORT, ADDRESSES, 3);
        for (int i = 0; i < ADDRESSES.size(); i++) {
            fleet.https[i].serve(CANARY, BYTES);
        }
        return Deployments.origin(Deployments.newStorage(), fleet.watchedBy(config, "can-e", 3));
    }

    @AfterAll
    static void stopNodes() {
        WitnessTables.clear();
        Database.execute("delete from stored_file where name = ?", CANARY);
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void aNodeServingWrongBytesLeavesDnsLikeADeadNode() {
        assumeTrue(unavailable.isEmpty(), () -> unavailable.orElse(""));
        await().atMost(Duration.ofSeconds(30)).until(() -> WitnessIT.cleanTicks("can-e3") >= 1);
        assertThat(canaryChecks("can-e1"))
                .as("no canary checks while the registry does not have the canary")
                .isZero();

        Database.execute(
                "insert into stored_file (name, sha1, sha256, size, content_type, created_at)"
                        + " values (?, ?, ?, ?, 'text/plain', now() at time zone 'utc')",
                CANARY,
                hex("SHA-1", BYTES),
                hex("SHA-256", BYTES),
                BYTES.length);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> canaryChecks("can-e1") >= 2 && canaryChecks("can-e2") >= 2 && canaryChecks("can-e3") >= 2);
        assertThat(Database.count("select count(*) from check_result where check_kind = 'canary' and outcome <> 'ok'"))
                .as("the right bytes everywhere: no failed canary check")
                .isZero();

        byte[] corrupt = BYTES.clone();
        corrupt[4] = 'K';
        fleet.https[1].serve(CANARY, corrupt);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !fleet.bind.query(RECORD).contains("127.0.0.102"));

        assertThat(fleet.bind.query(RECORD)).containsExactlyInAnyOrder("127.0.0.101", "127.0.0.103");
        assertThat(WitnessIT.state("can-e2")).isEqualTo("dead");
        assertThat(WitnessIT.state("can-e1")).isEqualTo("live");
        assertThat(WitnessIT.state("can-e3")).isEqualTo("live");
        assertThat(WitnessIT.events("can-e2", "kill")).isEqualTo(1);
        List<String> reasons = Database.rows(
                "select s.reasons from strike s join node n on n.id = s.node_id where n.name = ?", "can-e2");
        assertThat(reasons).hasSizeGreaterThanOrEqualTo(4);
        assertThat(reasons)
                .as("only the canary failed, and the strike says which bytes came")
                .allSatisfy(reason -> assertThat(reason)
                        .isEqualTo("canary wrong_content (got " + BYTES.length + " bytes sha256 "
                                + hex("SHA-256", corrupt).substring(0, 12) + "… starting \"the Kanary of Ca\";"
                                + " the registry has " + BYTES.length + " bytes sha256 "
                                + hex("SHA-256", BYTES).substring(0, 12) + "…)"));
        assertThat(WitnessIT.strikes("can-e1") + WitnessIT.strikes("can-e3")).isZero();
        assertThat(Database.count("select count(*) from dns_change c join node n on n.id = c.node_id"
                        + " where n.name = 'can-e2' and c.action = 'remove' and c.state = 'confirmed'"))
                .isEqualTo(1);
    }

    private static long canaryChecks(String node) {
        return Database.count(
                "select count(*) from check_result c join node n on n.id = c.node_id"
                        + " where n.name = ? and c.check_kind = 'canary'",
                node);
    }

    private static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
