package pomf.witness.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
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
import pomf.it.deployments.Database;
import pomf.it.deployments.Deployments;
import pomf.it.deployments.PayaraProcess;

/**
 * Two witnesses on one database with a quorum of two: both check every node every tick, exactly one decides each
 * tick, a failure becomes a strike only when both saw it, a kill happens once, and when one witness dies the
 * other goes on deciding (and, alone, can no longer reach the quorum: no strikes).
 */
@ExtendWith(ArquillianExtension.class)
class MultiWitnessIT {
    static final String ZONE = "multi.test";
    static final String RECORD = "cdn." + ZONE;
    static final int DNS_PORT = 18570;
    static final int HTTPS_PORT = 18571;
    static final int SSH_PORT = 18572;
    static final int SECOND_WITNESS_PORT = 18320;
    static final List<String> ADDRESSES = List.of("127.0.0.31", "127.0.0.32", "127.0.0.33");

    static Fleet fleet;
    static Map<String, String> config;
    static Optional<String> unavailable = Optional.empty();

    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        WitnessTables.clear();
        unavailable = Fleet.unavailable();
        Map<String, String> witness = Fleet.witness("witness-a");
        witness.put("pomf.witness.quorum", "2");
        if (unavailable.isPresent()) {
            System.err.println("MultiWitnessIT skips: " + unavailable.get());
            return Deployments.origin(Deployments.newStorage(), witness);
        }
        fleet = Fleet.start(ZONE, DNS_PORT, HTTPS_PORT, SSH_PORT, ADDRESSES, 3);
        config = fleet.watchedBy(witness, "multi-", 3);
        return Deployments.origin(Deployments.newStorage(), config);
    }

    @AfterAll
    static void stopNodes() {
        WitnessTables.clear();
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void twoWitnessesDecideEachTickOnceAndOneCarriesOnAlone() {
        assumeTrue(unavailable.isEmpty(), () -> unavailable.orElse(""));
        Map<String, String> second = new LinkedHashMap<>(config);
        second.put("pomf.witness.name", "witness-b");
        try (PayaraProcess witnessB = PayaraProcess.start(SECOND_WITNESS_PORT, fleet.folder, second)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> witnessesInLastTick() == 2);

            fleet.down(0);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !fleet.bind.query(RECORD).contains("127.0.0.31"));
            long kills = events("multi-1", "kill");
            assertThat(kills).isEqualTo(1);
            assertThat(Database.count("select min(witnesses) from strike s join node n on n.id = s.node_id"
                            + " where n.name = 'multi-1'"))
                    .as("a strike needs both witnesses")
                    .isEqualTo(2);
            assertThat(Database.count("select count(*) from (select tick from strike s join node n"
                            + " on n.id = s.node_id where n.name = 'multi-1' group by tick having count(*) > 1) t"))
                    .as("no tick struck twice")
                    .isZero();
            assertThat(Database.count("select count(*) from dns_change c join node n on n.id = c.node_id"
                            + " where n.name = 'multi-1' and c.action = 'remove'"))
                    .isEqualTo(1);

            witnessB.kill();
        }
        long since = latestTick();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Database.count(
                                "select count(*) from witness_tick where witness = 'witness-a'"
                                        + " and decided_at is not null and extract(epoch from tick) * 1000 > ?",
                                since)
                        >= 3);

        fleet.down(1);
        long before = strikes("multi-2");
        await().pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(strikes("multi-2"))
                .as("one witness alone cannot reach a quorum of two")
                .isEqualTo(before);
        assertThat(fleet.bind.query(RECORD)).isEqualTo(Set.of("127.0.0.32", "127.0.0.33"));
        assertThat(events("multi-1", "kill")).isEqualTo(1);
    }

    static long witnessesInLastTick() {
        return Database.count("select count(distinct witness) from check_result where tick = (select max(tick)"
                + " from check_result c join node n on n.id = c.node_id where n.name like 'multi-%'"
                + " and c.tick < now() - interval '1 second')");
    }

    static long latestTick() {
        return Database.count("select coalesce(max(extract(epoch from tick) * 1000), 0)::bigint from witness_tick");
    }

    static long strikes(String node) {
        return WitnessIT.strikes(node);
    }

    static long events(String node, String kind) {
        return WitnessIT.events(node, kind);
    }
}
