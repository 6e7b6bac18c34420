package pomf.witness.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pomf.it.clients.PomfClient;
import pomf.it.deployments.Database;
import pomf.it.deployments.Deployments;
import pomf.it.deployments.EmbeddedDatabaseSession;

/**
 * Issue 19, item 5: {@code server-config/topology.sh upgrade NEW_WAR} moves both edges to a new WAR while clients
 * download, and not one request fails, is cut or is wrong. The edges are real Payara processes started by the
 * topology script itself, each on a loopback address of its own, as the nodes of a DNS record are; BIND holds the
 * record; this deployment is the origin and the witness whose API the upgrade uses. The witness checks the fleet's
 * HTTPS endpoints and sshd on the same addresses (the edges speak plain HTTP), which keeps it honest about the
 * nodes' states without making this test depend on its judgement.
 *
 * <p>The clients behave as browsers behind a resolver do: they ask BIND for the record, keep the answer for its TTL
 * (2 s here), and spread their requests over the addresses it held; some downloads are slow (a few seconds each), so
 * that answers are in flight when an edge leaves DNS and when it is stopped.
 */
@ExtendWith(ArquillianExtension.class)
class RollingUpgradeIT {
    static final String TOKEN = "rolling-upgrade-token";
    static final String PURGE_TOKEN = "rolling-upgrade-purge";
    static final String ZONE = "upgrade.test";
    static final String RECORD = "cdn." + ZONE;
    static final int DNS_PORT = 18720;
    static final int HTTPS_PORT = 18721;
    static final int SSH_PORT = 18722;
    static final int EDGE_PORT = 18723;
    static final int TTL_SECONDS = 2;
    static final List<String> ADDRESSES = List.of("127.0.0.63", "127.0.0.64");

    static Optional<String> unavailable = Optional.empty();
    static Fleet fleet;
    static Path topology;

    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        WitnessTables.clear();
        unavailable = Fleet.unavailable();
        Map<String, String> config = new LinkedHashMap<>(Fleet.witness("upgrade-witness"));
        config.put("pomf.roles", "origin,admin,witness");
        config.put("pomf.api.token", TOKEN);
        config.put(
                "pomf.origin.edges",
                "http://" + ADDRESSES.get(0) + ":" + EDGE_PORT + ",http://" + ADDRESSES.get(1) + ":" + EDGE_PORT);
        config.put("pomf.edge.purge-token", PURGE_TOKEN);
        config.put("pomf.traffic.token", PURGE_TOKEN);
        config.put("pomf.witness.dns.ttl", String.valueOf(TTL_SECONDS));
        // Only the upgrade takes nodes out here (see AdminBrowserIT): a busy machine's failed checks are no strikes.
        config.put("pomf.witness.strikes", "1000000");
        if (unavailable.isPresent()) {
            System.err.println("RollingUpgradeIT skips: " + unavailable.get());
            return Deployments.origin(Deployments.newStorage(), config);
        }
        fleet = Fleet.start(ZONE, DNS_PORT, HTTPS_PORT, SSH_PORT, ADDRESSES, 2);
        return Deployments.origin(Deployments.newStorage(), fleet.watchedBy(config, "edge", 2));
    }

    @AfterAll
    static void stop() throws Exception {
        if (topology != null) {
            for (String edge : List.of("edge1", "edge2")) {
                script("stop-edge", edge).waitFor(60, TimeUnit.SECONDS);
            }
            Deployments.deleteTree(topology);
        }
        WitnessTables.clear();
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void bothEdgesMoveToTheNewWarWhileClientsDownloadAndNoRequestFails() throws Exception {
        assumeTrue(unavailable.isEmpty(), () -> unavailable.orElse(""));
        topology = Files.createTempDirectory("pomf-it-upgrade");
        Files.writeString(topology.resolve("purge-token"), PURGE_TOKEN);
        for (String edge : List.of("edge1", "edge2")) {
            Process start = script("start-edge", edge);
            assertThat(start.waitFor(180, TimeUnit.SECONDS))
                    .as(edge + " starts")
                    .isTrue();
            assertThat(start.exitValue())
                    .as(edge + " started: " + output(start))
                    .isZero();
        }
        List<byte[]> contents = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int size : new int[] {1, 700, 4_096, 65_536, 300_000, 1_048_576, 3_000_000}) {
            byte[] content = PomfClient.random(size);
            contents.add(content);
            names.add(PomfClient.uploadedName("upgrade-" + size + ".bin", content));
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fleet.bind.query(RECORD).size() == 2);

        Path next = topology.resolve("pomf-next.war");
        Files.copy(Path.of("target", "pomf.war"), next);
        Clients clients = new Clients(names, contents);
        clients.start(5);
        Thread.sleep(3_000); // a load before the first edge goes
        Process upgrade = script("upgrade", next.toString());
        boolean ended = upgrade.waitFor(420, TimeUnit.SECONDS);
        String log = output(upgrade);
        System.out.println(log);
        Thread.sleep(3_000); // and after the last edge is back
        clients.stop();
        System.out.println("RollingUpgradeIT clients: " + clients.summary());

        assertThat(ended).as("the upgrade ends; its output:\n" + log).isTrue();
        assertThat(upgrade.exitValue())
                .as("the upgrade's exit status; its output:\n" + log)
                .isZero();
        assertThat(clients.failures)
                .as("failed, cut or wrong answers; " + clients.summary())
                .isEmpty();
        assertThat(clients.ok.get()).as(clients.summary()).isGreaterThan(300);
        assertThat(clients.slowOk.get())
                .as("slow downloads completed whole; " + clients.summary())
                .isGreaterThan(4);
        assertThat(clients.sawOneAddress.get())
                .as("clients saw the record with one address while an edge was out; " + clients.summary())
                .isTrue();
        for (String edge : List.of("edge1", "edge2")) {
            String pid = Files.readString(topology.resolve(edge + ".pid")).trim();
            String command = Files.readString(Path.of("/proc", pid, "cmdline")).replace('\0', ' ');
            assertThat(command).as(edge + " runs the new WAR").contains(next.toString());
            assertThat(Database.count(
                            "select count(*) from node_event where node_name = ? and kind in ('maintenance', 'revive')"
                                    + " and actor = 'admin API (api-token)' and reason like 'rolling upgrade to%'",
                            edge))
                    .as(edge + " was parked and revived through the witness")
                    .isEqualTo(2);
        }
        assertThat(fleet.bind.query(RECORD)).containsExactlyInAnyOrderElementsOf(ADDRESSES);
        assertThat(log).contains("edge1: out of DNS", "edge2: back in DNS", "done: every edge runs pomf-next.war");
    }

    /** Runs server-config/topology.sh with this test's topology: its folder, ports, addresses and database. */
    private static Process script(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("server-config/topology.sh"));
        command.addAll(Arrays.asList(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.redirectOutput(topology.resolve("script-" + arguments[0] + "-" + System.nanoTime() + ".out")
                .toFile());
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("TOPOLOGY_DIR", topology.toString());
        env.put("ORIGIN_PORT", String.valueOf(PomfClient.PORT));
        env.put("EDGE1_PORT", String.valueOf(EDGE_PORT));
        env.put("EDGE2_PORT", String.valueOf(EDGE_PORT));
        env.put("EDGE1_ADDRESS", ADDRESSES.get(0));
        env.put("EDGE2_ADDRESS", ADDRESSES.get(1));
        env.put("DB_URL", System.getProperty(EmbeddedDatabaseSession.URL_PROPERTY));
        env.put("DB_USER", System.getProperty("pomf.it.db.user"));
        env.put("DB_PASSWORD", System.getProperty("pomf.it.db.password"));
        env.put("CLASS_ARCHIVE", "off");
        env.put("EDGE_ARGS", "-Dpomf.edge.min-uses=1");
        env.put("POMF_API_TOKEN", TOKEN);
        env.put("DNS_TTL", String.valueOf(TTL_SECONDS));
        env.put("DNS_WAIT", "60");
        env.put("CANARY_WAIT", "60");
        Process process = builder.start();
        outputs.put(process, builder.redirectOutput().file().toPath());
        return process;
    }

    private static final Map<Process, Path> outputs = new java.util.concurrent.ConcurrentHashMap<>();

    private static String output(Process process) throws IOException {
        return Files.readString(outputs.get(process), StandardCharsets.UTF_8);
    }

    /**
     * Clients that follow the DNS record: each keeps the record's addresses for the TTL, then asks again, and sends
     * every request to the next address of its answer. Every answer is compared byte for byte; an exception, a
     * status other than 200/206, a short body or a wrong byte is a failure.
     */
    static final class Clients {
        final List<String> names;
        final List<byte[]> contents;
        final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong ok = new AtomicLong();
        final AtomicLong slowOk = new AtomicLong();
        final AtomicBoolean sawOneAddress = new AtomicBoolean();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final List<Thread> threads = new ArrayList<>();
        static final Runnable PAUSE = () -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };

        Clients(List<String> names, List<byte[]> contents) {
            this.names = names;
            this.contents = contents;
        }

        void start(int count) {
            for (int i = 0; i < count; i++) {
                boolean slow = i == 0;
                Thread thread = new Thread(() -> run(slow), "upgrade-client-" + i);
                thread.start();
                threads.add(thread);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(60_000);
            }
        }

        String summary() {
            return ok.get() + " answers right (" + slowOk.get() + " slow downloads), " + failures.size() + " failures"
                    + (failures.isEmpty()
                            ? ""
                            : ": " + failures.stream().limit(10).toList());
        }

        private void run(boolean slow) {
            List<String> addresses = List.of();
            long resolvedAt = 0;
            int turn = ThreadLocalRandom.current().nextInt(2);
            while (running.get()) {
                if (System.nanoTime() - resolvedAt > TimeUnit.SECONDS.toNanos(TTL_SECONDS) || addresses.isEmpty()) {
                    addresses = List.copyOf(fleet.bind.query(RECORD));
                    resolvedAt = System.nanoTime();
                    if (addresses.size() == 1) {
                        sawOneAddress.set(true);
                    }
                    if (addresses.isEmpty()) {
                        failures.add("the record was empty");
                        continue;
                    }
                }
                if (!slow) {
                    PAUSE.run(); // a steady load, not a flood that slows the edges' starts for nothing
                }
                String address = addresses.get(turn++ % addresses.size());
                int pick = slow ? names.size() - 1 : ThreadLocalRandom.current().nextInt(names.size());
                try {
                    fetch(address, names.get(pick), contents.get(pick), slow);
                } catch (IOException | RuntimeException e) {
                    failures.add(address + " /f/" + names.get(pick) + ": " + e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private void fetch(String address, String name, byte[] content, boolean slow)
                throws IOException, InterruptedException {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int from = -1;
            int to = -1;
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create("http://" + address + ":" + EDGE_PORT + "/f/" + name))
                    .timeout(Duration.ofSeconds(60));
            if (!slow && content.length > 1 && random.nextInt(3) == 0) {
                from = random.nextInt(content.length);
                to = Math.min(content.length - 1, from + random.nextInt(200_000));
                request.header("Range", "bytes=" + from + "-" + to);
            }
            HttpResponse<InputStream> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] expected = from < 0 ? content : Arrays.copyOfRange(content, from, to + 1);
            int status = answer.statusCode();
            byte[] body;
            try (InputStream in = answer.body()) {
                body = slow ? readSlowly(in, expected.length) : in.readAllBytes();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            String where = address + " /f/" + name + (from < 0 ? "" : " bytes=" + from + "-" + to);
            if (status != (from < 0 ? 200 : 206)) {
                failures.add(where + ": status " + status);
            } else if (!Arrays.equals(body, expected)) {
                failures.add(where + ": " + body.length + " bytes, not the " + expected.length + " uploaded");
            } else {
                ok.incrementAndGet();
                if (slow) {
                    slowOk.incrementAndGet();
                }
            }
        }

        /** About 1 MB/s: a 3 MB download takes three seconds, longer than the record's TTL. */
        private static byte[] readSlowly(InputStream in, int expected) throws IOException, InterruptedException {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(expected);
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                Thread.sleep(60);
            }
            return out.toByteArray();
        }
    }
}
