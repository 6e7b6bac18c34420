package pomf.witness.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import pomf.it.Bind;
import pomf.it.Database;
import pomf.it.Deployments;
import pomf.it.HttpsEndpoint;
import pomf.it.PayaraProcess;
import pomf.it.Sshd;

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

    static Path folder;
    static Bind bind;
    static final HttpsEndpoint[] https = new HttpsEndpoint[3];
    static final Sshd[] sshd = new Sshd[3];
    static Map<String, String> config = new LinkedHashMap<>();
    static Optional<String> unavailable = Optional.empty();

    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        WitnessTables.clear();
        folder = Files.createTempDirectory("pomf-it-witnesses");
        unavailable = Bind.unavailable().or(Sshd::unavailable);
        config.put("pomf.roles", "witness");
        config.put("pomf.api.token", WitnessApi.TOKEN);
        config.put("pomf.witness.interval-seconds", "1");
        config.put("pomf.witness.quorum", "2");
        config.put("pomf.witness.https.timeout-ms", "3000");
        config.put("pomf.witness.ssh.timeout-ms", "3000");
        config.put("pomf.witness.ping.timeout-ms", "1000");
        config.put("pomf.witness.ping.threads", "8");
        if (unavailable.isPresent()) {
            System.err.println("MultiWitnessIT skips: " + unavailable.get());
            config.put("pomf.witness.name", "witness-a");
            return Deployments.origin(Deployments.newStorage(), config);
        }
        bind = Bind.start(folder.resolve("bind"), DNS_PORT, ZONE, Map.of("cdn", ADDRESSES));
        for (int i = 0; i < ADDRESSES.size(); i++) {
            https[i] = HttpsEndpoint.start(folder.resolve("https"), ADDRESSES.get(i), HTTPS_PORT);
            sshd[i] = Sshd.start(folder.resolve("sshd-" + i), ADDRESSES.get(i), SSH_PORT);
        }
        config.put(
                "pomf.witness.https.trust-store",
                WitnessIT.trustAll(https, folder.resolve("trust.p12")).toString());
        config.put("pomf.witness.https.trust-store-password", "changeit");
        config.put("pomf.witness.dns.provider", "rfc2136");
        config.put("pomf.witness.dns.rfc2136.server", "127.0.0.1:" + DNS_PORT);
        config.put("pomf.witness.dns.rfc2136.zone", ZONE);
        config.put("pomf.witness.dns.rfc2136.key-name", bind.keyName());
        config.put("pomf.witness.dns.rfc2136.key-secret", bind.secret());
        config.put("pomf.witness.guard.references", "127.0.0.1:" + DNS_PORT);
        config.put("pomf.witness.record", RECORD);
        config.put("pomf.witness.nodes", "multi-1,multi-2,multi-3");
        for (int i = 0; i < 3; i++) {
            String prefix = "pomf.witness.node.multi-" + (i + 1) + ".";
            config.put(prefix + "address", ADDRESSES.get(i));
            config.put(prefix + "check-url", https[i].url().toString());
            config.put(prefix + "ssh-port", String.valueOf(SSH_PORT));
        }
        Map<String, String> first = new LinkedHashMap<>(config);
        first.put("pomf.witness.name", "witness-a");
        return Deployments.origin(Deployments.newStorage(), first);
    }

    @AfterAll
    static void stopNodes() {
        WitnessTables.clear();
        for (int i = 0; i < ADDRESSES.size(); i++) {
            if (https[i] != null) {
                https[i].close();
            }
            if (sshd[i] != null) {
                sshd[i].close();
            }
        }
        if (bind != null) {
            bind.close();
        }
        Deployments.deleteTree(folder);
    }

    @Test
    void twoWitnessesDecideEachTickOnceAndOneCarriesOnAlone() {
        assumeTrue(unavailable.isEmpty(), () -> unavailable.orElse(""));
        Map<String, String> second = new LinkedHashMap<>(config);
        second.put("pomf.witness.name", "witness-b");
        try (PayaraProcess witnessB = PayaraProcess.start(SECOND_WITNESS_PORT, folder, second)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> witnessesInLastTick() == 2);

            https[0].close();
            sshd[0].close();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !bind.query(RECORD).contains("127.0.0.31"));
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

        https[1].close();
        sshd[1].close();
        long before = strikes("multi-2");
        await().pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(strikes("multi-2"))
                .as("one witness alone cannot reach a quorum of two")
                .isEqualTo(before);
        assertThat(bind.query(RECORD)).isEqualTo(Set.of("127.0.0.32", "127.0.0.33"));
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
