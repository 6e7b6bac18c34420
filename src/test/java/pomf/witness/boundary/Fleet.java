package pomf.witness.boundary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import pomf.it.deployments.Deployments;
import pomf.it.servers.Bind;
import pomf.it.servers.HttpsEndpoint;
import pomf.it.servers.Sshd;
import pomf.it.servers.TrustBundle;

/**
 * What a witness test watches, all real: BIND holding the round-robin record (TSIG-signed updates), and nodes on
 * their own loopback addresses, each with an HTTPS health endpoint (self-signed certificate for its IP) and sshd.
 */
public final class Fleet implements AutoCloseable {
    static final String TRUST_PASSWORD = "changeit";

    public final Path folder;
    public final Bind bind;
    public final List<String> addresses;
    final HttpsEndpoint[] https;
    final Sshd[] sshd;
    private final int sshPort;
    private final int httpsPort;

    private Fleet(Path folder, Bind bind, List<String> addresses, int httpsPort, int sshPort) {
        this.folder = folder;
        this.bind = bind;
        this.addresses = addresses;
        this.sshPort = sshPort;
        this.httpsPort = httpsPort;
        this.https = new HttpsEndpoint[addresses.size()];
        this.sshd = new Sshd[addresses.size()];
        for (int i = 0; i < addresses.size(); i++) {
            https[i] = HttpsEndpoint.start(folder.resolve("https"), addresses.get(i), httpsPort);
            sshd[i] = Sshd.start(folder.resolve("sshd-" + i), addresses.get(i), sshPort);
        }
    }

    /** Why these tests cannot run here (BIND and sshd need root and their packages), or empty. */
    public static Optional<String> unavailable() {
        return Bind.unavailable().or(Sshd::unavailable);
    }

    /** BIND with {@code cdn.<zone>} holding the first {@code inRecord} addresses, and a node on every address. */
    public static Fleet start(
            String zone, int dnsPort, int httpsPort, int sshPort, List<String> addresses, int inRecord)
            throws IOException {
        Path folder = Files.createTempDirectory("pomf-it-fleet");
        Bind bind = Bind.start(folder.resolve("bind"), dnsPort, zone, Map.of("cdn", addresses.subList(0, inRecord)));
        return new Fleet(folder, bind, addresses, httpsPort, sshPort);
    }

    /**
     * A witness with a one-second tick. Dead nodes refuse at once, so the deadlines only bound slow answers:
     * generous enough that a cold JVM's first TLS handshakes on a busy machine are no strikes.
     */
    public static Map<String, String> witness(String name) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("pomf.roles", "witness");
        config.put("pomf.api.token", WitnessApi.TOKEN);
        config.put("pomf.witness.name", name);
        config.put("pomf.witness.interval-seconds", "1");
        config.put("pomf.witness.https.timeout-ms", "3000");
        config.put("pomf.witness.ssh.timeout-ms", "3000");
        config.put("pomf.witness.ping.timeout-ms", "1000");
        config.put("pomf.witness.ping.threads", "8");
        return config;
    }

    /**
     * The witness's view of this fleet: DNS through RFC 2136 to this BIND (also its reference point: reaching it
     * when every node fails shows the failures are the nodes'), and the first {@code nodes} nodes seeded as
     * {@code <prefix>1..n} in {@code cdn.<zone>}.
     */
    public Map<String, String> watchedBy(Map<String, String> witness, String prefix, int nodes) {
        Map<String, String> config = new LinkedHashMap<>(witness);
        config.put("pomf.witness.https.trust-store", trustAll().toString());
        config.put("pomf.witness.https.trust-store-password", TRUST_PASSWORD);
        config.putAll(bind.witnessDnsConfig());
        config.put("pomf.witness.record", "cdn." + bind.zone());
        // The fleet's endpoints listen on test ports (443 and 22 stay allowed: nodes added with the defaults).
        config.put("pomf.witness.allowed-check-ports", "443," + httpsPort);
        config.put("pomf.witness.allowed-ssh-ports", "22," + sshPort);
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < nodes; i++) {
            String node = prefix + (i + 1);
            names.append(i == 0 ? "" : ",").append(node);
            config.put("pomf.witness.node." + node + ".address", addresses.get(i));
            config.put(
                    "pomf.witness.node." + node + ".check-url", https[i].url().toString());
            config.put("pomf.witness.node." + node + ".ssh-port", String.valueOf(sshPort));
        }
        config.put("pomf.witness.nodes", names.toString());
        return config;
    }

    /** The node on address {@code i} dies: its HTTPS endpoint and sshd stop. */
    public void down(int i) {
        https[i].close();
        sshd[i].close();
    }

    /** The node on address {@code i} comes back, with the same certificate. */
    public void up(int i) {
        https[i] = https[i].restart();
        sshd[i] = Sshd.start(folder.resolve("sshd-" + i + "-" + System.nanoTime()), addresses.get(i), sshPort);
    }

    int sshPort() {
        return sshPort;
    }

    /** One trust store with every node's certificate, as an operator's private CA bundle would be. */
    private Path trustAll() {
        List<TrustBundle.Source> sources = new java.util.ArrayList<>();
        for (HttpsEndpoint endpoint : https) {
            sources.add(new TrustBundle.Source(endpoint.trustStore(), endpoint.trustStorePassword()));
        }
        return TrustBundle.write(folder.resolve("trust.p12"), TRUST_PASSWORD, sources);
    }

    @Override
    public void close() {
        for (int i = 0; i < https.length; i++) {
            https[i].close();
            sshd[i].close();
        }
        bind.close();
        Deployments.deleteTree(folder);
    }
}
