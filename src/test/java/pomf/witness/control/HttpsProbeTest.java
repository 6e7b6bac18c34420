package pomf.witness.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pomf.it.servers.HttpsEndpoint;
import pomf.it.servers.NetworkFaults;
import pomf.it.servers.SilentServer;

class HttpsProbeTest {
    private static final int PORT = 18540;
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Scheduling and a TLS handshake on a loaded machine; far below the 1.5-5 s overruns the deadline is there for. */
    private static final Duration MARGIN = Duration.ofMillis(500);

    @TempDir
    Path folder;

    @Test
    void readyNodePasses() throws Exception {
        try (HttpsEndpoint node = HttpsEndpoint.start(folder, "127.0.0.21", PORT)) {
            CheckResult result = check(trusting(node), node.url());

            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(result.detail()).isEmpty();
            assertThat(result.check()).isEqualTo(Check.HTTPS);
            assertThat(result.node()).isEqualTo("node");
            assertThat(node.requests()).isEqualTo(1);
        }
    }

    @Test
    void statusOtherThan2xxIsABadAnswer() throws Exception {
        try (HttpsEndpoint node = HttpsEndpoint.start(folder, "127.0.0.21", PORT)) {
            node.setStatus(503);

            CheckResult result = check(trusting(node), node.url());

            assertThat(result.outcome()).isEqualTo(Outcome.BAD_ANSWER);
            assertThat(result.detail()).isEqualTo("HTTP 503");
        }
    }

    @Test
    void untrustedCertificateIsATlsError() throws Exception {
        try (HttpsEndpoint node = HttpsEndpoint.startUntrusted(folder, "127.0.0.22", PORT)) {
            CheckResult result = check(trusting(node), node.url());

            assertThat(result.outcome()).isEqualTo(Outcome.TLS_ERROR);
            assertThat(result.detail()).contains("PKIX path").doesNotContain("sun.security");
            assertThat(node.requests()).isZero();
        }
    }

    @Test
    void certificateForAnotherAddressIsATlsErrorBecauseHostnamesAreVerified() throws Exception {
        try (HttpsEndpoint node = HttpsEndpoint.startWithCertificateFor(folder, "127.0.0.33", PORT, "127.0.0.21")) {
            CheckResult result = check(trusting(node), node.url());

            assertThat(result.outcome()).isEqualTo(Outcome.TLS_ERROR);
            assertThat(result.detail()).contains("127.0.0.33");
        }
    }

    @Test
    void nothingListeningIsRefused() throws Exception {
        CheckResult result = check(
                ProbeSettings.defaults(Executors.defaultThreadFactory()),
                URI.create("https://127.0.0.23:" + PORT + "/health/ready"));

        assertThat(result.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(result.detail()).isEqualTo("connection refused");
    }

    @Test
    void serverThatNeverAnswersTimesOutAtTheDeadline() throws Exception {
        try (SilentServer hung = SilentServer.start("127.0.0.24", PORT)) {
            CheckResult result = check(settings(), URI.create("https://127.0.0.24:" + PORT + "/health/ready"));

            assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(result.latency()).isBetween(TIMEOUT, TIMEOUT.plus(MARGIN));
        }
    }

    @Test
    void slowNodeTimesOutAtTheDeadline() throws Exception {
        try (HttpsEndpoint node = HttpsEndpoint.start(folder, "127.0.0.21", PORT)) {
            node.setDelay(Duration.ofSeconds(3));

            CheckResult result = check(trusting(node), node.url());

            assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(result.detail()).isEqualTo("no answer within 1 s");
            assertThat(result.latency()).isBetween(TIMEOUT, TIMEOUT.plus(MARGIN));
        }
    }

    @Test
    void lostNodeTimesOutAtTheDeadline() throws Exception {
        NetworkFaults.assumeAvailable();
        try (NetworkFaults network = NetworkFaults.create()) {
            CheckResult result = check(settings(), https(network.blackHole(1)));

            assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(result.latency()).isBetween(TIMEOUT, TIMEOUT.plus(MARGIN));
        }
    }

    @Test
    void hostWithoutRouteIsUnreachable() throws Exception {
        NetworkFaults.assumeAvailable();
        try (NetworkFaults network = NetworkFaults.create()) {
            CheckResult result = check(settings(), https(network.noRouteToHost()));

            assertThat(result.outcome()).isEqualTo(Outcome.UNREACHABLE);
        }
    }

    @Test
    void unreachableNetworkIsTheWitnessesOwnFault() throws Exception {
        NetworkFaults.assumeAvailable();
        try (NetworkFaults network = NetworkFaults.create()) {
            CheckResult result = check(settings(), https(network.networkUnreachable()));

            assertThat(result.outcome()).isEqualTo(Outcome.LOCAL_ERROR);
            assertThat(result.detail()).contains("network is unreachable");
        }
    }

    @Test
    void plainHttpUrlIsAConfigurationFaultNotAStrike() throws Exception {
        CheckResult result = check(settings(), URI.create("http://127.0.0.23:" + PORT + "/health/ready"));

        assertThat(result.outcome()).isEqualTo(Outcome.LOCAL_ERROR);
    }

    private static URI https(String address) {
        return URI.create("https://" + address + ":" + PORT + "/health/ready");
    }

    private static ProbeSettings settings() {
        return ProbeSettings.defaults(Executors.defaultThreadFactory()).withTimeouts(TIMEOUT, TIMEOUT, TIMEOUT);
    }

    private static ProbeSettings trusting(HttpsEndpoint node) {
        return settings()
                .withSslContext(
                        TrustStores.sslContext(Optional.of(node.trustStore()), Optional.of(node.trustStorePassword())));
    }

    private static CheckResult check(ProbeSettings settings, URI url) throws Exception {
        try (HttpsProbe probe = new HttpsProbe(settings)) {
            Target target = new Target("node", url.getHost(), url, 22);
            return probe.check(target).get(10, TimeUnit.SECONDS);
        }
    }
}
