package pomf.witness.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The witness's configuration ({@code pomf.witness.*}); the defaults are the original's rules. */
@ApplicationScoped
public class WitnessSettings {

    @Inject
    @ConfigProperty(name = "pomf.witness.interval-seconds", defaultValue = "60")
    int intervalSeconds;

    @Inject
    @ConfigProperty(name = "pomf.witness.strikes", defaultValue = "4")
    int strikes;

    @Inject
    @ConfigProperty(name = "pomf.witness.window-minutes", defaultValue = "60")
    int windowMinutes;

    @Inject
    @ConfigProperty(name = "pomf.witness.max-dead", defaultValue = "3")
    int maxDead;

    @Inject
    @ConfigProperty(name = "pomf.witness.revive.clean-ticks", defaultValue = "0")
    int reviveCleanTicks;

    @Inject
    @ConfigProperty(name = "pomf.witness.revive.min-dead-minutes", defaultValue = "10")
    int reviveMinDeadMinutes;

    @Inject
    @ConfigProperty(name = "pomf.witness.quorum", defaultValue = "1")
    int quorum;

    @Inject
    @ConfigProperty(name = "pomf.witness.guard.share", defaultValue = "0.5")
    double guardShare;

    @Inject
    @ConfigProperty(name = "pomf.witness.guard.min-failing", defaultValue = "3")
    int guardMinFailing;

    /** host:port points the witness must reach when most nodes fail (the origin, the DNS server, a gateway). */
    @Inject
    @ConfigProperty(name = "pomf.witness.guard.references")
    Optional<String> references;

    @Inject
    @ConfigProperty(name = "pomf.witness.https.timeout-ms", defaultValue = "5000")
    long httpsTimeoutMillis;

    @Inject
    @ConfigProperty(name = "pomf.witness.ping.timeout-ms", defaultValue = "2000")
    long pingTimeoutMillis;

    @Inject
    @ConfigProperty(name = "pomf.witness.ssh.timeout-ms", defaultValue = "5000")
    long sshTimeoutMillis;

    /** Threads for blocking ICMP echoes: enough for every dead node's ping to time out within one deadline. */
    @Inject
    @ConfigProperty(name = "pomf.witness.ping.threads", defaultValue = "256")
    int pingThreads;

    @Inject
    @ConfigProperty(name = "pomf.witness.https.trust-store")
    Optional<String> trustStore;

    @Inject
    @ConfigProperty(name = "pomf.witness.https.trust-store-password")
    Optional<String> trustStorePassword;

    /** Decided ticks between two comparisons of DNS with the database (each reads every record once). */
    @Inject
    @ConfigProperty(name = "pomf.witness.dns.audit-ticks", defaultValue = "10")
    int dnsAuditTicks;

    @Inject
    @ConfigProperty(name = "pomf.witness.name")
    Optional<String> name;

    /** The stored name of a small file fetched through every node each tick and checked by its hash; empty: none. */
    @Inject
    @ConfigProperty(name = "pomf.witness.canary")
    Optional<String> canary;

    /** The canary's stored name ({@code pomf.witness.canary}), when one is configured. */
    public Optional<String> canaryName() {
        return canary.map(String::trim).filter(c -> !c.isEmpty());
    }

    public Duration interval() {
        return Duration.ofSeconds(Math.max(1, intervalSeconds));
    }

    /** The tick an instant belongs to: ticks are aligned to the interval, so every witness agrees on them. */
    public Instant tickOf(Instant instant) {
        long millis = interval().toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(instant.toEpochMilli(), millis) * millis);
    }

    public Rules rules() {
        return new Rules(
                strikes,
                Duration.ofMinutes(windowMinutes),
                maxDead,
                reviveCleanTicks,
                Duration.ofMinutes(reviveMinDeadMinutes));
    }

    public Guard guard() {
        return new Guard(guardShare, guardMinFailing);
    }

    public int quorum() {
        return Math.max(1, quorum);
    }

    public List<String> references() {
        return references.stream()
                .flatMap(list -> Arrays.stream(list.split(",")))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    public Duration httpsTimeout() {
        return Duration.ofMillis(httpsTimeoutMillis);
    }

    public Duration pingTimeout() {
        return Duration.ofMillis(pingTimeoutMillis);
    }

    public Duration sshTimeout() {
        return Duration.ofMillis(sshTimeoutMillis);
    }

    public int dnsAuditTicks() {
        return Math.max(1, dnsAuditTicks);
    }

    public int pingThreads() {
        return Math.max(1, pingThreads);
    }

    public Optional<Path> trustStore() {
        return trustStore.filter(s -> !s.isBlank()).map(Path::of);
    }

    public Optional<String> trustStorePassword() {
        return trustStorePassword;
    }

    /** This witness's name in the database: configured, or host name and process id. */
    public String witnessName() {
        return name.filter(s -> !s.isBlank()).orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getHostName() + "-"
                        + ProcessHandle.current().pid();
            } catch (UnknownHostException e) {
                return ManagementFactory.getRuntimeMXBean().getName();
            }
        });
    }
}
