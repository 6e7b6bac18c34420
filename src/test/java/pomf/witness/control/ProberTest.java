package pomf.witness.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pomf.it.servers.BannerServer;
import pomf.it.servers.Command;
import pomf.it.servers.HttpsEndpoint;
import pomf.it.servers.NetworkFaults;
import pomf.it.servers.SilentServer;

class ProberTest {
    private static final String GOOD = "127.0.0.30";
    private static final String HUNG = "127.0.0.32";
    private static final int HTTPS_PORT = 18542;
    private static final int SSH_PORT = 18543;
    private static final int HUNG_PORT = 18544;
    /**
     * Starting 900 checks takes 0.3-0.6 s here: the calling thread shares two cores with the 150 TLS handshakes of the
     * endpoint in this same JVM. Each check's own deadline holds to a few tens of milliseconds.
     */
    private static final Duration MARGIN = Duration.ofMillis(1500);

    @TempDir
    Path folder;

    /**
     * Half the nodes answer everything, half answer nothing (a hung HTTPS and SSH service, and a black-holed address
     * for the ping when this machine allows it): the tick still ends at the longest deadline, with the default
     * settings a real witness uses. {@code -DargLine=-Dpomf.prober.nodes=1000} runs it over more nodes.
     */
    @Test
    void tickOverManyNodesHalfOfThemSilentEndsAtTheLongestDeadline() throws Exception {
        Optional<String> noFaults = NetworkFaults.unavailable();
        noFaults.ifPresent(why -> System.out.println("Silent nodes answer pings (no black hole): " + why));
        try (HttpsEndpoint endpoint = HttpsEndpoint.start(folder, GOOD, HTTPS_PORT);
                BannerServer sshd = BannerServer.start(GOOD, SSH_PORT, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u7");
                SilentServer hung = SilentServer.start(HUNG, HUNG_PORT);
                NetworkFaults network = noFaults.isEmpty() ? NetworkFaults.create() : null) {
            ProbeSettings settings = ProbeSettings.defaults(Executors.defaultThreadFactory())
                    .withSslContext(TrustStores.sslContext(
                            Optional.of(endpoint.trustStore()), Optional.of(endpoint.trustStorePassword())));
            List<Target> targets = IntStream.range(0, Integer.getInteger("pomf.prober.nodes", 300))
                    .mapToObj(i ->
                            i % 2 == 0 ? good(i) : silent(i, network == null ? HUNG : network.blackHole(i % 250 + 1)))
                    .toList();
            try (Prober prober = new Prober(settings)) {
                // A witness runs for weeks: measure its steady state. A cold JVM's first 150 TLS handshakes take 4 s of
                // this 2-core machine's time (JIT), a warm one's about 1 s.
                prober.checkAll(targets.stream()
                        .filter(t -> t.node().startsWith("good"))
                        .toList());
                long start = System.nanoTime();
                List<CheckResult> results = prober.checkAll(targets);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                System.out.printf(
                        "Tick over %d nodes (%d checks, ping mode %s) took %d ms; longest deadline %d ms%n",
                        targets.size(),
                        results.size(),
                        prober.pingMode(),
                        took.toMillis(),
                        settings.longestDeadline().toMillis());

                System.out.println(summary(results));
                assertThat(took).isLessThan(settings.longestDeadline().plus(MARGIN));
                assertThat(results).hasSize(targets.size() * 3);
                assertThat(results.stream().map(r -> r.node() + " " + r.check()).toList())
                        .as("target order, then check order")
                        .isEqualTo(expectedOrder(targets));
                assertThat(results.stream().filter(r -> r.node().startsWith("good")))
                        .allSatisfy(
                                r -> assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.OK));
                assertThat(results.stream().filter(r -> r.node().startsWith("silent") && r.check() != Check.PING))
                        .allSatisfy(
                                r -> assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.TIMEOUT));
                assertThat(results.stream().filter(r -> r.node().startsWith("silent") && r.check() == Check.PING))
                        .allSatisfy(r -> assertThat(r.outcome())
                                .as(r.toString())
                                .isEqualTo(network == null ? Outcome.OK : Outcome.TIMEOUT));
                assertThat(results).allSatisfy(r -> assertThat(r.latency())
                        .as(r.toString())
                        .isLessThan(deadline(settings, r.check()).plusMillis(500)));
            }
        }
    }

    @Test
    void pingModeIsReported() {
        try (Prober prober = new Prober(ProbeSettings.defaults(Executors.defaultThreadFactory()))) {
            assertThat(prober.pingMode())
                    .isIn("icmp", "ping command")
                    .isEqualTo(Command.isRoot() ? "icmp" : "ping command");
        }
    }

    @Test
    void noTargetsNoResults() {
        try (Prober prober = new Prober(ProbeSettings.defaults(Executors.defaultThreadFactory()))) {
            assertThat(prober.checkAll(List.of())).isEmpty();
        }
    }

    /** Per check and kind of node: outcomes and the slowest latency, to see where a slow tick spent its time. */
    private static String summary(List<CheckResult> results) {
        return results.stream()
                .collect(Collectors.groupingBy(
                        r -> r.check() + " " + r.node().replaceAll("-\\d+", ""),
                        TreeMap::new,
                        Collectors.collectingAndThen(
                                Collectors.toList(),
                                group -> group.stream()
                                                .collect(Collectors.groupingBy(
                                                        CheckResult::outcome, Collectors.counting()))
                                        + " slowest "
                                        + group.stream()
                                                .mapToLong(r -> r.latency().toMillis())
                                                .max()
                                                .orElse(0)
                                        + " ms")))
                .toString();
    }

    private static Duration deadline(ProbeSettings settings, Check check) {
        return switch (check) {
            case HTTPS, CANARY -> settings.httpsTimeout();
            case PING -> IcmpProbe.deadline(settings);
            case SSH -> settings.sshTimeout();
        };
    }

    private static Target good(int i) {
        return new Target(
                "good-" + i, GOOD, URI.create("https://" + GOOD + ":" + HTTPS_PORT + "/health/ready"), SSH_PORT);
    }

    private static Target silent(int i, String pinged) {
        return new Target(
                "silent-" + i, pinged, URI.create("https://" + HUNG + ":" + HUNG_PORT + "/health/ready"), HUNG_PORT);
    }

    private static List<String> expectedOrder(List<Target> targets) {
        List<String> order = new ArrayList<>();
        for (Target target : targets) {
            for (Check check : List.of(Check.HTTPS, Check.PING, Check.SSH)) {
                order.add(target.node() + " " + check);
            }
        }
        return order;
    }
}
