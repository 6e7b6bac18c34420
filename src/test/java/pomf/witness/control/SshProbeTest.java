package pomf.witness.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pomf.it.servers.BannerServer;
import pomf.it.servers.NetworkFaults;
import pomf.it.servers.SilentServer;
import pomf.it.servers.Sshd;

class SshProbeTest {
    private static final int PORT = 18541;
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration MARGIN = Duration.ofMillis(500);

    @TempDir
    Path folder;

    @Test
    void realSshdPasses() throws Exception {
        Optional<String> reason = Sshd.unavailable();
        reason.ifPresent(why -> System.out.println("Skipped, no sshd: " + why));
        assumeTrue(reason.isEmpty(), () -> reason.orElse(""));
        try (Sshd sshd = Sshd.start(folder, "127.0.0.25", PORT)) {
            CheckResult result = check("127.0.0.25");

            assertThat(result.outcome()).as("sshd log: %s", sshd.log()).isEqualTo(Outcome.OK);
            assertThat(result.check()).isEqualTo(Check.SSH);
            assertThat(result.detail()).isEmpty();
        }
    }

    @Test
    void oldStyleCompatibleBannerPasses() throws Exception {
        try (BannerServer server = BannerServer.start("127.0.0.26", PORT, "SSH-1.99-OpenSSH_3.9p1")) {
            assertThat(check("127.0.0.26").outcome()).isEqualTo(Outcome.OK);
        }
    }

    @Test
    void serviceThatIsNotSshIsABadAnswer() throws Exception {
        try (BannerServer smtp = BannerServer.start("127.0.0.26", PORT, "220 mail.example.org ESMTP Postfix")) {
            CheckResult result = check("127.0.0.26");

            assertThat(result.outcome()).isEqualTo(Outcome.BAD_ANSWER);
            assertThat(result.detail()).isEqualTo("not an SSH banner: \"220 mail.example.org ESMTP Postfix\"");
        }
    }

    @Test
    void sshVersionOneIsABadAnswer() throws Exception {
        try (BannerServer old = BannerServer.start("127.0.0.26", PORT, "SSH-1.5-OpenSSH_2.3")) {
            assertThat(check("127.0.0.26").outcome()).isEqualTo(Outcome.BAD_ANSWER);
        }
    }

    @Test
    void nothingListeningIsRefused() throws Exception {
        CheckResult result = check("127.0.0.27");

        assertThat(result.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(result.latency()).isLessThan(TIMEOUT);
    }

    @Test
    void serverWithoutBannerTimesOutAtTheDeadline() throws Exception {
        try (SilentServer hung = SilentServer.start("127.0.0.28", PORT)) {
            CheckResult result = check("127.0.0.28");

            assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(result.detail()).isEqualTo("no banner within 1 s");
            assertThat(result.latency()).isBetween(TIMEOUT, TIMEOUT.plus(MARGIN));
        }
    }

    @Test
    void lostNodeTimesOutAtTheDeadline() throws Exception {
        NetworkFaults.assumeAvailable();
        try (NetworkFaults network = NetworkFaults.create()) {
            CheckResult result = check(network.blackHole(2));

            assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(result.detail()).isEqualTo("no connection within 1 s");
            assertThat(result.latency()).isBetween(TIMEOUT, TIMEOUT.plus(MARGIN));
        }
    }

    @Test
    void hostWithoutRouteIsUnreachable() throws Exception {
        NetworkFaults.assumeAvailable();
        try (NetworkFaults network = NetworkFaults.create()) {
            assertThat(check(network.noRouteToHost()).outcome()).isEqualTo(Outcome.UNREACHABLE);
        }
    }

    @Test
    void unreachableNetworkIsTheWitnessesOwnFault() throws Exception {
        NetworkFaults.assumeAvailable();
        try (NetworkFaults network = NetworkFaults.create()) {
            assertThat(check(network.networkUnreachable()).outcome()).isEqualTo(Outcome.LOCAL_ERROR);
        }
    }

    private static CheckResult check(String address) throws Exception {
        ProbeSettings settings =
                ProbeSettings.defaults(Executors.defaultThreadFactory()).withTimeouts(TIMEOUT, TIMEOUT, TIMEOUT);
        try (SshProbe probe = new SshProbe(settings)) {
            Target target = new Target("node", address, URI.create("https://" + address + "/health/ready"), PORT);
            return probe.check(target).get(10, TimeUnit.SECONDS);
        }
    }
}
