package pomf.witness.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pomf.it.servers.Command;
import pomf.it.servers.IpCertificates;
import pomf.it.servers.Netns;
import pomf.witness.entity.NodeState;

/**
 * The witness's isolation with real hosts: network namespaces on one bridge, three nodes running the real sshd and an
 * HTTPS server (openssl s_server), a reference point on the bridge, and the real {@link Prober} in a child JVM inside
 * the witness's own namespace ({@link IsolationProbeMain}). Cutting a node's link gives that node strikes and a kill;
 * cutting the witness's own link gives witness faults ("Network is unreachable" at once) and no strike, no kill. Needs
 * root, iproute2, openssh-server and openssl; skipped, with the reason printed, without them.
 */
class IsolationTest {
    private static final String SWITCH = Netns.PREFIX + "sw";
    private static final String WITNESS = Netns.PREFIX + "wit";
    private static final String BRIDGE = "br0";
    private static final String LINK = "eth0";
    private static final String REFERENCE_ADDRESS = "10.77.0.2";
    private static final int REFERENCE_PORT = 8443;
    private static final String WITNESS_ADDRESS = "10.77.0.1";
    /** Node name to address; the bridge port of a node is named after it. */
    private static final Map<String, String> NODES = new LinkedHashMap<>();

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration STARTUP = Duration.ofSeconds(10);
    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");
    private static final Path OPENSSL = Path.of("/usr/bin/openssl");
    private static final String RECORD = "files.example.";

    @TempDir
    static Path folder;

    private static Netns netns;
    private static Path trustStore;

    static {
        NODES.put("n1", "10.77.0.11");
        NODES.put("n2", "10.77.0.12");
        NODES.put("n3", "10.77.0.13");
    }

    @BeforeAll
    static void topology() throws Exception {
        Netns.assumeAvailable();
        Optional<String> missing = missing();
        missing.ifPresent(why -> System.out.println("Skipped, isolation test: " + why));
        Assumptions.assumeTrue(missing.isEmpty(), () -> missing.orElse(""));

        netns = Netns.create();
        netns.addNamespace(SWITCH);
        netns.addBridge(SWITCH, BRIDGE);
        // The reference point: the bridge's own address, as a gateway would be.
        netns.ip("-n", SWITCH, "addr", "add", REFERENCE_ADDRESS + "/24", "dev", BRIDGE);
        netns.addNamespace(WITNESS);
        netns.plug(SWITCH, BRIDGE, "wit", WITNESS, LINK, WITNESS_ADDRESS + "/24");
        Files.createDirectories(
                Path.of("/run/sshd"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

        List<Path> certificates = new ArrayList<>();
        for (Map.Entry<String, String> node : NODES.entrySet()) {
            String namespace = Netns.PREFIX + node.getKey();
            String address = node.getValue();
            netns.addNamespace(namespace);
            netns.plug(SWITCH, BRIDGE, node.getKey(), namespace, LINK, address + "/24");
            Path home = Files.createDirectories(folder.resolve(node.getKey()));
            startSshd(namespace, home, address);
            certificates.add(startHttps(namespace, home, address, 443));
        }
        startHttps(SWITCH, Files.createDirectories(folder.resolve("reference")), REFERENCE_ADDRESS, REFERENCE_PORT);
        trustStore = trustStore(certificates, folder.resolve("trust.p12"));
    }

    @AfterAll
    static void removeAll() {
        if (netns != null) {
            netns.close();
            assertThat(Netns.namespaces()).as("namespaces left").isEmpty();
        }
    }

    @Test
    void allUpGivesNeitherStrikesNorFaults() throws IOException {
        List<Tick> ticks;
        try (Witness witness = new Witness()) {
            ticks = witness.ticks(Rules.original().strikes());
        }
        for (Tick tick : ticks) {
            assertThat(tick.fault()).as("tick %d", tick.number()).isEmpty();
            assertThat(tick.failing()).as("tick %d", tick.number()).isEmpty();
            assertThat(tick.references()).isEqualTo("true");
        }
        assertThat(judge(ticks).kills()).isEmpty();
    }

    @Test
    void cuttingANodesLinkGivesStrikesAndAKill() throws IOException {
        List<Tick> ticks;
        try (Witness witness = new Witness()) {
            netns.setLink(SWITCH, "n2", false);
            ticks = witness.ticks(Rules.original().strikes());
        } finally {
            netns.setLink(SWITCH, "n2", true);
        }
        Map<String, Integer> strikes = new HashMap<>();
        Judge judge = new Judge(Rules.original());
        for (Tick tick : ticks) {
            assertThat(tick.fault())
                    .as("tick %d: a node's failure is not the witness's", tick.number())
                    .isEmpty();
            assertThat(tick.failing()).as("tick %d", tick.number()).containsExactly("n2");
            assertThat(tick.outcomes().get("n2").values())
                    .as("tick %d: packets vanish behind a port that is down", tick.number())
                    .allMatch(outcome -> outcome == Outcome.TIMEOUT || outcome == Outcome.UNREACHABLE);
            assertThat(tick.millis())
                    .as("tick %d waits for the deadlines", tick.number())
                    .isGreaterThanOrEqualTo(TIMEOUT.toMillis());
            strike(strikes, tick);
            Judge.Rulings finding = judge.judge(views(strikes), Instant.now());
            if (strikes.get("n2") < Rules.original().strikes()) {
                assertThat(finding.kills()).as("tick %d", tick.number()).isEmpty();
            } else {
                assertThat(finding.kills()).extracting(d -> d.node().name()).containsExactly("n2");
            }
        }
    }

    @Test
    void cuttingTheWitnessesOwnLinkGivesFaultsAndNoKill() throws IOException {
        List<Tick> ticks;
        try (Witness witness = new Witness()) {
            netns.setLink(WITNESS, LINK, false);
            ticks = witness.ticks(Rules.original().strikes() + 1);
        } finally {
            netns.setLink(WITNESS, LINK, true);
        }
        for (Tick tick : ticks) {
            assertThat(tick.fault()).as("tick %d", tick.number()).hasValueSatisfying(reason -> assertThat(reason)
                    .contains("own network failed"));
            assertThat(tick.failing()).as("tick %d", tick.number()).containsExactlyElementsOf(NODES.keySet());
            assertThat(tick.outcomes().values().stream()
                            .flatMap(checks -> Stream.of(checks.get(Check.PING), checks.get(Check.SSH))))
                    .as("tick %d: new connections and pings fail on the witness itself", tick.number())
                    .containsOnly(Outcome.LOCAL_ERROR);
            assertThat(tick.references()).isEqualTo("false");
        }
        // The first tick after the cut may wait for the HTTPS deadline: the client reuses the previous tick's
        // connections, and a request on an open connection whose route vanished just goes unanswered. From then on
        // every check fails at once.
        for (Tick tick : ticks.subList(1, ticks.size())) {
            assertThat(tick.outcomes().values().stream().flatMap(checks -> checks.values().stream()))
                    .as("tick %d", tick.number())
                    .containsOnly(Outcome.LOCAL_ERROR);
            assertThat(tick.millis())
                    .as("tick %d: local errors come at once", tick.number())
                    .isLessThan(TIMEOUT.toMillis() / 2);
        }
        Judge.Rulings finding = judge(ticks);
        assertThat(finding.kills()).isEmpty();
        assertThat(finding.refused()).isEmpty();
    }

    /** One tick as the child printed it. */
    record Tick(
            int number,
            long millis,
            String references,
            Map<String, Map<Check, Outcome>> outcomes,
            Optional<String> fault) {

        List<String> failing() {
            return outcomes.entrySet().stream()
                    .filter(node -> node.getValue().values().stream().anyMatch(o -> !o.ok()))
                    .map(Map.Entry::getKey)
                    .toList();
        }

        static Tick parse(String line) {
            String[] fields = line.split("\t");
            Map<String, Map<Check, Outcome>> outcomes = new LinkedHashMap<>();
            for (int i = 4; i < fields.length - 1; i++) {
                String[] node = fields[i].split("=", 2);
                Map<Check, Outcome> checks = new LinkedHashMap<>();
                for (String check : node[1].split(",")) {
                    String[] parts = check.split(":");
                    checks.put(Check.valueOf(parts[0]), Outcome.valueOf(parts[1]));
                }
                outcomes.put(node[0], checks);
            }
            String finding = fields[fields.length - 1];
            return new Tick(
                    Integer.parseInt(fields[1]),
                    Long.parseLong(fields[2]),
                    fields[3],
                    outcomes,
                    finding.startsWith("FAULT ") ? Optional.of(finding.substring(6)) : Optional.empty());
        }
    }

    /** A strike for every failing node in every tick that is not the witness's fault, as {@code Decision} counts. */
    private static void strike(Map<String, Integer> strikes, Tick tick) {
        if (tick.fault().isEmpty()) {
            tick.failing().forEach(node -> strikes.merge(node, 1, Integer::sum));
        }
    }

    private static Judge.Rulings judge(List<Tick> ticks) {
        Map<String, Integer> strikes = new HashMap<>();
        ticks.forEach(tick -> strike(strikes, tick));
        return new Judge(Rules.original()).judge(views(strikes), Instant.now());
    }

    private static List<NodeView> views(Map<String, Integer> strikes) {
        List<NodeView> views = new ArrayList<>();
        long id = 1;
        for (String node : NODES.keySet()) {
            views.add(new NodeView(
                    id++,
                    node,
                    RECORD,
                    NodeState.LIVE,
                    Instant.now().minusSeconds(3600),
                    strikes.getOrDefault(node, 0),
                    0));
        }
        return views;
    }

    /**
     * The real prober in a child JVM inside the witness's namespace, one tick per {@link #tick()}; started with every
     * link up and warmed up.
     */
    private static final class Witness implements AutoCloseable {
        private final Process process;
        private final BufferedReader output;
        private final Writer input;
        private final StringBuilder transcript = new StringBuilder();

        Witness() throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    "/usr/sbin/ip",
                    "netns",
                    "exec",
                    WITNESS,
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    IsolationProbeMain.class.getName(),
                    Long.toString(TIMEOUT.toMillis()),
                    trustStore.toString(),
                    IpCertificates.PASSWORD,
                    REFERENCE_ADDRESS + ":" + REFERENCE_PORT));
            NODES.forEach((name, address) -> command.add(name + "=" + address));
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            // A cold JVM's first TLS handshakes took up to 1 s here, as long as the check's deadline: warm up until a
            // tick is clean, as a witness that has run for a while is.
            for (int warmUp = 1; !tick().failing().isEmpty(); warmUp++) {
                assertThat(warmUp)
                        .as("warm-up ticks with every link up: %s", transcript)
                        .isLessThan(5);
            }
            System.out.println("(warmed up; the ticks below count)");
        }

        Tick tick() throws IOException {
            input.write("tick\n");
            input.flush();
            String line;
            while ((line = output.readLine()) != null) {
                transcript.append(line).append('\n');
                if (line.startsWith("TICK\t")) {
                    System.out.println(line);
                    return Tick.parse(line);
                }
                if (line.startsWith("DETAIL\t")) {
                    System.out.println(line);
                }
            }
            throw new IllegalStateException("the witness's JVM ended: " + transcript);
        }

        List<Tick> ticks(int count) throws IOException {
            List<Tick> ticks = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ticks.add(tick());
            }
            return ticks;
        }

        @Override
        public void close() throws IOException {
            try {
                input.close();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Optional<String> missing() {
        for (Path tool : List.of(SSHD, SSH_KEYGEN, OPENSSL)) {
            if (!Files.isExecutable(tool)) {
                return Optional.of("no " + tool + " (apt-get install openssh-server openssl)");
            }
        }
        return Optional.empty();
    }

    private static void startSshd(String namespace, Path home, String address) throws IOException {
        Path hostKey = home.resolve("host-key");
        Command.run(STARTUP, SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString());
        Path config = Files.writeString(
                home.resolve("sshd.conf"),
                String.join(
                        "\n",
                        "ListenAddress " + address,
                        "Port 22",
                        "HostKey " + hostKey,
                        "PidFile " + home.resolve("sshd.pid"),
                        "UsePAM no",
                        "AuthorizedKeysFile none",
                        "PasswordAuthentication no",
                        "KbdInteractiveAuthentication no",
                        "PermitRootLogin no",
                        ""));
        Path log = home.resolve("sshd.log");
        Process sshd = netns.start(namespace, home, log, SSHD.toString(), "-D", "-e", "-f", config.toString());
        Netns.awaitLog(sshd, log, "Server listening on", STARTUP);
    }

    /** openssl s_server answering {@code GET /health/ready} with 200, certified for its IP; returns the certificate. */
    private static Path startHttps(String namespace, Path home, String address, int port) throws IOException {
        Path key = home.resolve("key.pem");
        Path certificate = home.resolve("certificate.pem");
        Command.run(
                STARTUP,
                OPENSSL.toString(),
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                certificate.toString(),
                "-days",
                "7",
                "-subj",
                "/CN=" + address,
                "-addext",
                "subjectAltName=IP:" + address);
        Path www = Files.createDirectories(home.resolve("www"));
        // -HTTP serves the file as the whole response. Not -WWW: its HTTP/1.0 answer has no Content-Length and ends
        // only at the close, which the JDK's client missed until the check's deadline (a TIMEOUT every tick).
        Files.writeString(
                Files.createDirectories(www.resolve("health")).resolve("ready"),
                "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nready\n");
        Path log = home.resolve("https.log");
        Process server = netns.start(
                namespace,
                www,
                log,
                OPENSSL.toString(),
                "s_server",
                "-accept",
                address + ":" + port,
                "-cert",
                certificate.toString(),
                "-key",
                key.toString(),
                "-HTTP");
        Netns.awaitLog(server, log, "ACCEPT", STARTUP);
        return certificate;
    }

    private static Path trustStore(List<Path> certificates, Path file) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            int i = 0;
            for (Path certificate : certificates) {
                trust.setCertificateEntry(
                        "node" + i++,
                        factory.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certificate))));
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                trust.store(out, IpCertificates.PASSWORD.toCharArray());
            }
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the trust store " + file, e);
        }
    }
}
