package pomf.witness.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.dns.control.DnsProviders;
import pomf.problem.entity.ProblemException;

/**
 * What a node may point the witness at (issue 14, finding 11). Nodes come from administrators and the API token, and
 * each one makes the witness connect somewhere every minute and write a DNS record: without limits a token could
 * scan ports anywhere or put any A record in the zone. So the health check goes to the node itself (its address or
 * its record name) on an allowed port, SSH to an allowed port, and the record lies in the zone the DNS provider
 * writes ({@code pomf.witness.allowed-records}, or the RFC 2136 zone / Namecheap domain when not set).
 */
@ApplicationScoped
public class ProbeTargets {
    private static final Logger LOG = Logger.getLogger(ProbeTargets.class.getName());

    @Inject
    @ConfigProperty(name = "pomf.witness.allowed-check-ports", defaultValue = "443")
    String checkPorts;

    @Inject
    @ConfigProperty(name = "pomf.witness.allowed-ssh-ports", defaultValue = "22")
    String sshPorts;

    @Inject
    @ConfigProperty(name = "pomf.witness.allowed-records")
    Optional<String> records;

    @Inject
    DnsProviders dns;

    private Set<Integer> allowedCheckPorts;
    private Set<Integer> allowedSshPorts;
    /** Zones (a record is the zone's apex or a name under it); empty: every record name is allowed. */
    private List<String> zones;

    @PostConstruct
    void read() {
        allowedCheckPorts = ports(checkPorts, "pomf.witness.allowed-check-ports");
        allowedSshPorts = ports(sshPorts, "pomf.witness.allowed-ssh-ports");
        zones = records.filter(r -> !r.isBlank())
                .map(ProbeTargets::list)
                .orElseGet(() -> dns.zone().map(ProbeTargets::list).orElse(List.of()));
        if (zones.isEmpty()) {
            LOG.info("node records are not limited to a zone: set pomf.witness.allowed-records to limit them");
        }
    }

    /** Refuses (400) a node whose probes or record go where they may not. */
    public void check(NodeForm node) {
        URI check = URI.create(node.checkUrl());
        String host = check.getHost().toLowerCase(Locale.ROOT);
        if (!host.equals(node.address()) && !host.equals(node.record())) {
            throw ProblemException.badRequest("checkUrl: its host must be the node's address (" + node.address()
                    + ") or its record (" + node.record() + "), not " + host);
        }
        int port = check.getPort() < 0 ? 443 : check.getPort();
        if (!allowedCheckPorts.contains(port)) {
            throw ProblemException.badRequest(
                    "checkUrl: port " + port + " is not one of pomf.witness.allowed-check-ports " + allowedCheckPorts);
        }
        if (!allowedSshPorts.contains(node.sshPort())) {
            throw ProblemException.badRequest(
                    "sshPort: " + node.sshPort() + " is not one of pomf.witness.allowed-ssh-ports " + allowedSshPorts);
        }
        if (!zones.isEmpty()
                && zones.stream()
                        .noneMatch(z -> node.record().equals(z) || node.record().endsWith("." + z))) {
            throw ProblemException.badRequest("record: " + node.record() + " is not in " + String.join(", ", zones));
        }
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split("[,\\s]+"))
                .map(z -> z.trim().toLowerCase(Locale.ROOT).replaceAll("^\\.|\\.$", ""))
                .filter(z -> !z.isEmpty())
                .toList();
    }

    private static Set<Integer> ports(String value, String key) {
        try {
            Set<Integer> ports = Arrays.stream(value.split("[,\\s]+"))
                    .filter(p -> !p.isBlank())
                    .map(p -> Integer.parseInt(p.trim()))
                    .collect(Collectors.toUnmodifiableSet());
            if (ports.isEmpty() || ports.stream().anyMatch(p -> p < 1 || p > 65535)) {
                throw new IllegalArgumentException(value);
            }
            return ports;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must list ports of 1 to 65535, not " + value, e);
        }
    }
}
