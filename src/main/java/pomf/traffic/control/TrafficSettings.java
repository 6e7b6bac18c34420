package pomf.traffic.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.http.control.EdgeLink;

/** The traffic records' configuration ({@code pomf.traffic.*}, {@code pomf.node.name}). */
@ApplicationScoped
public class TrafficSettings {

    /** This instance's name in the traffic tables; an edge's should be its name in the witness's node list. */
    @Inject
    @ConfigProperty(name = "pomf.node.name")
    Optional<String> nodeName;

    @Inject
    @ConfigProperty(name = "pomf.traffic.flush-seconds", defaultValue = "60")
    int flushSeconds;

    @Inject
    @ConfigProperty(name = "pomf.traffic.max-pending", defaultValue = "1440")
    int maxPending;

    /** The secret edges send to the origin's ingest endpoint (POMF_TRAFFIC_TOKEN); no default. */
    @Inject
    @ConfigProperty(name = "pomf.traffic.token")
    Optional<String> token;

    @Inject
    @ConfigProperty(name = "pomf.traffic.retention-months", defaultValue = "13")
    int retentionMonths;

    @Inject
    @ConfigProperty(name = "pomf.witness.check-retention-months", defaultValue = "3")
    int checkRetentionMonths;

    @Inject
    EdgeLink link;

    @Inject
    @ConfigProperty(name = "pomf.db.url")
    Optional<String> dbUrl;

    @Inject
    @ConfigProperty(name = "pomf.db.user")
    Optional<String> dbUser;

    @Inject
    @ConfigProperty(name = "pomf.db.password")
    Optional<String> dbPassword;

    /** Configured, or the host name (one name per machine, as in the witness's node list). */
    public String nodeName() {
        return nodeName.filter(s -> !s.isBlank()).map(String::trim).orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return ManagementFactory.getRuntimeMXBean().getName().replaceAll("^\\d+@", "");
            }
        });
    }

    public Duration flushInterval() {
        return Duration.ofSeconds(Math.max(1, flushSeconds));
    }

    public int maxPending() {
        return Math.max(1, maxPending);
    }

    public Optional<String> token() {
        return token.filter(s -> !s.isBlank());
    }

    public int retentionMonths() {
        return Math.max(1, retentionMonths);
    }

    public int checkRetentionMonths() {
        return Math.max(1, checkRetentionMonths);
    }

    public Optional<String> originUrl() {
        return link.originUrl();
    }

    public Optional<String> dbUrl() {
        return dbUrl;
    }

    public String dbUser() {
        return dbUser.orElse("");
    }

    public String dbPassword() {
        return dbPassword.orElse("");
    }
}
