package pomf.witness.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pomf.dns.control.NamecheapFake;
import pomf.it.deployments.Database;
import pomf.it.deployments.Deployments;

/**
 * The witness with the provider the original used, Namecheap (a fake that follows the documented API and its
 * quirks, the only kind of fake we allow): a kill takes one address out of the host list while every other record
 * and the EmailType survive setHosts' replace-everything semantics, and the API failing for a while only delays
 * the change (retried with backoff until confirmed).
 */
@ExtendWith(ArquillianExtension.class)
class WitnessNamecheapIT {
    static final String USER = "pomfop";
    static final String KEY = "0123456789abcdef0123456789abcdef";
    static final String CLIENT_IP = "203.0.113.5";
    static NamecheapFake namecheap;

    @Deployment(testable = false)
    static WebArchive deployment() {
        WitnessTables.clear();
        namecheap = NamecheapFake.start("example", "com", USER, KEY, USER)
                .whitelist(CLIENT_IP)
                .emailType("MX")
                .host("@", "A", "192.0.2.1")
                .host("cdn", "A", "127.0.0.41", "10", 300)
                .host("cdn", "A", "127.0.0.42", "10", 300)
                .host("www", "CNAME", "example.com.", "10", 1800)
                .host("@", "MX", "mx1.mail.example.net.", "10", 3600)
                .host("@", "TXT", "v=spf1 mx -all", "10", 1800);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("pomf.roles", "witness");
        config.put("pomf.witness.name", "witness-namecheap");
        config.put("pomf.witness.interval-seconds", "1");
        config.put("pomf.witness.ping.threads", "4");
        config.put("pomf.witness.dns.provider", "namecheap");
        config.put("pomf.witness.dns.namecheap.endpoint", namecheap.endpoint().toString());
        config.put("pomf.witness.dns.namecheap.api-user", USER);
        config.put("pomf.witness.dns.namecheap.api-key", KEY);
        config.put("pomf.witness.dns.namecheap.client-ip", CLIENT_IP);
        config.put("pomf.witness.dns.namecheap.domain", "example.com");
        config.put("pomf.witness.dns.ttl", "300");
        config.put("pomf.witness.record", "cdn.example.com");
        config.put("pomf.witness.allowed-check-ports", "18580");
        config.put("pomf.witness.allowed-ssh-ports", "18581");
        // Nothing listens on these nodes: both fail every check, one is killed, the other is the record's last.
        config.put("pomf.witness.nodes", "nc-1,nc-2");
        config.put("pomf.witness.node.nc-1.address", "127.0.0.41");
        config.put("pomf.witness.node.nc-1.check-url", "https://127.0.0.41:18580/health/ready");
        config.put("pomf.witness.node.nc-1.ssh-port", "18581");
        config.put("pomf.witness.node.nc-2.address", "127.0.0.42");
        config.put("pomf.witness.node.nc-2.check-url", "https://127.0.0.42:18580/health/ready");
        config.put("pomf.witness.node.nc-2.ssh-port", "18581");
        // The nodes' first strikes land before the test can break the API: make the kill wait for it.
        config.put("pomf.witness.strikes", "8");
        return Deployments.origin(Deployments.newStorage(), config);
    }

    @AfterAll
    static void stop() {
        WitnessTables.clear();
        namecheap.close();
    }

    @Test
    void aKillRemovesOneHostAndKeepsTheRestThroughApiFailures() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Database.count("select count(*) from dns_change c join node n on n.id = c.node_id"
                                + " where n.name in ('nc-1', 'nc-2') and c.state = 'confirmed'")
                        == 2);
        assertThat(namecheap.calls("setHosts"))
                .as("both were there already: nothing to write")
                .isZero();
        namecheap.faults().status(2, 500);

        await().atMost(Duration.ofSeconds(45))
                .until(() -> Database.count("select count(*) from dns_change c join node n on n.id = c.node_id"
                                + " where n.name = 'nc-1' and c.action = 'remove' and c.state = 'confirmed'")
                        == 1);
        assertThat(hostsOf("cdn")).containsExactly("127.0.0.42");
        assertThat(WitnessIT.state("nc-1")).isEqualTo("dead");
        assertThat(WitnessIT.state("nc-2"))
                .as("the last live node of its record")
                .isEqualTo("live");
        assertThat(Database.count("select max(attempts) from dns_change c join node n on n.id = c.node_id"
                        + " where n.name = 'nc-1' and c.action = 'remove' and c.state = 'confirmed'"))
                .as("the API failed twice: the change was retried")
                .isGreaterThanOrEqualTo(2);
        assertThat(namecheap.calls("setHosts")).isEqualTo(1);
        assertThat(namecheap.emailType()).isEqualTo("MX");
        assertThat(namecheap.hosts())
                .extracting(h -> h.name() + " " + h.type() + " " + h.address())
                .containsExactlyInAnyOrder(
                        "@ A 192.0.2.1",
                        "cdn A 127.0.0.42",
                        "www CNAME example.com.",
                        "@ MX mx1.mail.example.net.",
                        "@ TXT v=spf1 mx -all");
    }

    private static List<String> hostsOf(String name) {
        return namecheap.hosts().stream()
                .filter(h -> h.name().equalsIgnoreCase(name) && h.type().equals("A"))
                .map(NamecheapFake.Host::address)
                .sorted()
                .toList();
    }
}
