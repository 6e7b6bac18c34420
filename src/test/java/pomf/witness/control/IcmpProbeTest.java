package pomf.witness.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pomf.it.servers.Command;
import pomf.it.servers.NetworkFaults;

class IcmpProbeTest {
    private static final Path PING = Path.of("/usr/bin/ping");
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    /** Run as nobody: what an ordinary user's witness would choose. */
    private static final String MODE_PROGRAM = """
            public class Mode {
                public static void main(String[] arguments) {
                    var settings = pomf.witness.control.ProbeSettings.defaults(
                            java.util.concurrent.Executors.defaultThreadFactory());
                    try (var probe = new pomf.witness.control.IcmpProbe(settings)) {
                        System.out.println("mode=" + probe.mode());
                    }
                }
            }
            """;

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration MARGIN = Duration.ofMillis(500);
    private static NetworkFaults network;

    @BeforeAll
    static void faults() {
        if (NetworkFaults.unavailable().isEmpty()) {
            network = NetworkFaults.create();
        }
    }

    @AfterAll
    static void repair() {
        if (network != null) {
            network.close();
        }
    }

    /** Both ways to ping, each where this machine allows it: real ICMP needs CAP_NET_RAW, the command needs iputils. */
    static Stream<String> ways() {
        return Stream.of("icmp", "ping command");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ways")
    void loopbackAnswers(String way) throws Exception {
        CheckResult result = check(pinger(way), "127.0.0.29");

        assertThat(result.outcome()).isEqualTo(Outcome.OK);
        assertThat(result.check()).isEqualTo(Check.PING);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ways")
    void lostNodeTimesOut(String way) throws Exception {
        NetworkFaults.assumeAvailable();
        CheckResult result = check(pinger(way), network.blackHole(3));

        assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(result.latency()).isBetween(TIMEOUT, TIMEOUT.plus(MARGIN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ways")
    void hostWithoutRouteIsUnreachable(String way) throws Exception {
        NetworkFaults.assumeAvailable();
        CheckResult result = check(pinger(way), network.noRouteToHost());

        assertThat(result.outcome()).isEqualTo(Outcome.UNREACHABLE);
        assertThat(result.latency()).isLessThan(TIMEOUT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ways")
    void unreachableNetworkIsTheWitnessesOwnFault(String way) throws Exception {
        NetworkFaults.assumeAvailable();
        CheckResult result = check(pinger(way), network.networkUnreachable());

        assertThat(result.outcome()).isEqualTo(Outcome.LOCAL_ERROR);
        assertThat(result.detail()).contains("network is unreachable");
    }

    @Test
    void rootPingsWithRealIcmp() {
        assumeTrue(Command.isRoot(), "not root: this process holds no CAP_NET_RAW");
        try (IcmpProbe probe = new IcmpProbe(ProbeSettings.defaults(Executors.defaultThreadFactory()))) {
            assertThat(probe.mode()).isEqualTo("icmp");
        }
    }

    @Test
    void ordinaryUserPingsWithTheCommand() throws Exception {
        assumeTrue(Command.isRoot(), "not root: cannot switch to an ordinary user");
        assumeTrue(Files.isExecutable(SETPRIV), "no " + SETPRIV);
        assumeTrue(Files.isExecutable(PING), "no " + PING + " (apt-get install iputils-ping)");
        Path folder = Files.createTempDirectory("pomf-ping-mode");
        try {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path source = Files.writeString(folder.resolve("Mode.java"), MODE_PROGRAM);
            Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rw-r--r--"));
            Path classes = Path.of(IcmpProbe.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            String output = Command.run(
                    Duration.ofSeconds(60),
                    SETPRIV.toString(),
                    "--reuid=65534",
                    "--regid=65534",
                    "--clear-groups",
                    java.toString(),
                    "-cp",
                    classes.toString(),
                    source.toString());

            assertThat(output).contains("mode=ping command");
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void capabilityIsReadFromTheEffectiveSet() {
        String root = "CapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\nCapEff:\t000001fffeffffff\n";
        String user = "CapInh:\t0000000000000000\nCapPrm:\t0000000000002000\nCapEff:\t0000000000000000\n";
        String onlyRaw = "CapEff:\t0000000000002000\n";

        assertThat(Pinger.hasNetRaw(root)).isTrue();
        assertThat(Pinger.hasNetRaw(user)).isFalse();
        assertThat(Pinger.hasNetRaw(onlyRaw)).isTrue();
    }

    @Test
    void withoutAWayToPingEveryCheckIsAWitnessFault() throws Exception {
        CheckResult result = check(new NoPing("no CAP_NET_RAW and no ping command"), "127.0.0.29");

        assertThat(result.outcome()).isEqualTo(Outcome.LOCAL_ERROR);
        assertThat(result.detail()).contains("unavailable: no CAP_NET_RAW and no ping command");
    }

    @Test
    void pingsThatCannotStartInTimeAreNotCheckedNeitherTimeoutsNorFaults() throws Exception {
        NetworkFaults.assumeAvailable();
        ProbeSettings settings = settings().withMaxConcurrentPings(2);
        try (IcmpProbe probe = new IcmpProbe(settings, new IcmpEcho())) {
            long start = System.nanoTime();
            List<CompletableFuture<CheckResult>> checks = IntStream.rangeClosed(1, 8)
                    .mapToObj(i -> probe.check(target(network.blackHole(10 + i))))
                    .toList();
            Duration queueing = Duration.ofNanos(System.nanoTime() - start);
            List<Outcome> outcomes = checks.stream()
                    .map(CompletableFuture::join)
                    .map(CheckResult::outcome)
                    .toList();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            // Two threads start two pings at once; each ping holds its thread a whole timeout (1 s), so a thread can
            // start one more only when it frees at >= 1 s, and a third never: that one would have to start at >= 2 s,
            // after waiting longer than the 1 s budget. Which of the six queued ones (at most two) still start depends
            // on
            // how far apart they were queued and how long the first pings overran, so only the count is certain.
            assertThat(queueing).isLessThan(TIMEOUT);
            assertThat(outcomes).startsWith(Outcome.TIMEOUT, Outcome.TIMEOUT);
            assertThat(outcomes).containsOnly(Outcome.TIMEOUT, Outcome.NOT_CHECKED);
            assertThat(outcomes.stream().filter(Outcome.NOT_CHECKED::equals).count())
                    .isGreaterThanOrEqualTo(4);
            assertThat(took).isLessThan(IcmpProbe.deadline(settings).plus(MARGIN));
        }
    }

    private static Pinger pinger(String way) {
        if (way.equals("icmp")) {
            assumeTrue(Command.isRoot(), "not root: no CAP_NET_RAW for real ICMP");
            return new IcmpEcho();
        }
        assumeTrue(Files.isExecutable(PING), "no " + PING + " (apt-get install iputils-ping)");
        return new PingCommand(PING);
    }

    private static ProbeSettings settings() {
        return ProbeSettings.defaults(Executors.defaultThreadFactory()).withTimeouts(TIMEOUT, TIMEOUT, TIMEOUT);
    }

    private static Target target(String address) {
        return new Target("node-" + address, address, URI.create("https://" + address + "/health/ready"), 22);
    }

    private static CheckResult check(Pinger pinger, String address) throws Exception {
        try (IcmpProbe probe = new IcmpProbe(settings(), pinger)) {
            return probe.check(target(address)).get(10, TimeUnit.SECONDS);
        }
    }
}
