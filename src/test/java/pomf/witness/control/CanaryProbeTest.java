package pomf.witness.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pomf.it.servers.HttpsEndpoint;

/** The canary check against a real HTTPS server on loopback: right bytes pass, anything else is named. */
class CanaryProbeTest {
    private static final int PORT = 18541;
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final byte[] BYTES = "pomf canary: these bytes and no others\n".getBytes(StandardCharsets.US_ASCII);
    private static final Canary CANARY = new Canary("canary1.txt", sha256(BYTES), BYTES.length);

    @TempDir
    Path folder;

    @Test
    void theRegistrysBytesPass() throws Exception {
        try (HttpsEndpoint node = HttpsEndpoint.start(folder, "127.0.0.24", PORT)) {
            node.serve("canary1.txt", BYTES);

            CheckResult result = check(node, CANARY);

            assertThat(result.check()).isEqualTo(Check.CANARY);
            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(result.detail()).isEmpty();
        }
    }

    @Test
    void otherBytesOfTheSameLengthAreWrongContentAndTheDetailSaysWhichBytesCame() throws Exception {
        try (HttpsEndpoint node = HttpsEndpoint.start(folder, "127.0.0.24", PORT)) {
            byte[] corrupt = BYTES.clone();
            corrupt[20] ^= 0x01;
            node.serve("canary1.txt", corrupt);

            CheckResult result = check(node, CANARY);

            assertThat(result.outcome()).isEqualTo(Outcome.WRONG_CONTENT);
            assertThat(result.detail())
                    .isEqualTo("got " + BYTES.length + " bytes sha256 "
                            + sha256(corrupt).substring(0, 12)
                            + "… starting \"pomf canary: the\"; the registry has " + BYTES.length + " bytes sha256 "
                            + CANARY.sha256().substring(0, 12) + "…");
        }
    }

    @Test
    void anErrorPageServedWith200IsWrongContentShownAsText() throws Exception {
        try (HttpsEndpoint node = HttpsEndpoint.start(folder, "127.0.0.24", PORT)) {
            node.serve("canary1.txt", "<!DOCTYPE html><title>Error</title>".getBytes(StandardCharsets.US_ASCII));

            CheckResult result = check(node, CANARY);

            assertThat(result.outcome()).isEqualTo(Outcome.WRONG_CONTENT);
            assertThat(result.detail()).startsWith("got 35 bytes sha256 ").contains("starting \"<!DOCTYPE html><\"");
        }
    }

    @Test
    void zerosAreShownInHexAndALongerBodyIsCutOffAtTheCanarysSize() throws Exception {
        try (HttpsEndpoint node = HttpsEndpoint.start(folder, "127.0.0.24", PORT)) {
            node.serve("canary1.txt", new byte[1 << 20]);

            CheckResult result = check(node, CANARY);

            assertThat(result.outcome()).isEqualTo(Outcome.WRONG_CONTENT);
            assertThat(result.detail())
                    .startsWith(
                            "got more than " + BYTES.length + " bytes starting 0x00000000000000000000000000000000;");
        }
    }

    @Test
    void anEmptyAnswerIsWrongContent() throws Exception {
        try (HttpsEndpoint node = HttpsEndpoint.start(folder, "127.0.0.24", PORT)) {
            node.serve("canary1.txt", new byte[0]);

            CheckResult result = check(node, CANARY);

            assertThat(result.outcome()).isEqualTo(Outcome.WRONG_CONTENT);
            assertThat(result.detail()).startsWith("got 0 bytes sha256 e3b0c44298fc… starting with nothing;");
        }
    }

    @Test
    void aMissingCanaryIsABadAnswer() throws Exception {
        try (HttpsEndpoint node = HttpsEndpoint.start(folder, "127.0.0.24", PORT)) {
            CheckResult result = check(node, CANARY);

            assertThat(result.outcome()).isEqualTo(Outcome.BAD_ANSWER);
            assertThat(result.detail()).isEqualTo("HTTP 404 for the canary");
        }
    }

    @Test
    void theProberAddsTheCanaryCheckOnlyWhenThereIsACanary() throws Exception {
        try (HttpsEndpoint node = HttpsEndpoint.start(folder, "127.0.0.24", PORT);
                Prober prober = new Prober(trusting(node))) {
            node.serve("canary1.txt", BYTES);
            Target target = new Target("node", "127.0.0.24", node.url(), 1);

            List<Check> without = prober.checkAll(List.of(target)).stream()
                    .map(CheckResult::check)
                    .toList();
            List<CheckResult> with = prober.checkAll(List.of(target), Optional.of(CANARY));

            assertThat(without).containsExactly(Check.HTTPS, Check.PING, Check.SSH);
            assertThat(with)
                    .extracting(CheckResult::check)
                    .containsExactly(Check.HTTPS, Check.PING, Check.SSH, Check.CANARY);
            assertThat(with.get(3).outcome()).isEqualTo(Outcome.OK);
        }
    }

    @Test
    void theCanaryUrlIsTheNodesSchemeAddressAndPortWithItsNameEncoded() {
        assertThat(new Canary("a b.txt", "00", 1).url(URI.create("https://10.0.0.5:8443/health/ready")))
                .hasToString("https://10.0.0.5:8443/f/a%20b.txt");
    }

    private static CheckResult check(HttpsEndpoint node, Canary canary) throws Exception {
        try (HttpsProbe probe = new HttpsProbe(trusting(node))) {
            Target target = new Target("node", node.url().getHost(), node.url(), 22);
            return probe.canary(target, canary).get(10, TimeUnit.SECONDS);
        }
    }

    private static ProbeSettings trusting(HttpsEndpoint node) {
        return ProbeSettings.defaults(Executors.defaultThreadFactory())
                .withTimeouts(TIMEOUT, TIMEOUT, TIMEOUT)
                .withSslContext(
                        TrustStores.sslContext(Optional.of(node.trustStore()), Optional.of(node.trustStorePassword())));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
