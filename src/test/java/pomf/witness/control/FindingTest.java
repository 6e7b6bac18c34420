package pomf.witness.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The shapes here are the ones the JDK 17 HTTP client and socket channels were seen to produce on this machine (see
 * the probes' tests for the real failures behind them).
 */
class FindingTest {
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    @Test
    void refusalWithoutMessageFromTheHttpClientIsRefused() {
        Throwable refused = new CompletionException(withCause(new ConnectException(), new ClosedChannelException()));

        assertThat(Finding.of(refused, Outcome.BAD_ANSWER, DEADLINE))
                .isEqualTo(new Finding(Outcome.REFUSED, "connection refused"));
    }

    @Test
    void connectTimeoutWinsOverTheConnectExceptionInside() {
        Throwable timeout = withCause(
                new HttpConnectTimeoutException("HTTP connect timed out"),
                new ConnectException("HTTP connect timed out"));

        assertThat(Finding.of(timeout, Outcome.BAD_ANSWER, DEADLINE))
                .isEqualTo(new Finding(Outcome.TIMEOUT, "no connection within 5 s"));
    }

    @Test
    void unreachableNetworkInsideAConnectExceptionIsTheWitnessesFault() {
        Throwable local = withCause(
                new ConnectException("Network is unreachable"), new SocketException("Network is unreachable"));

        assertThat(Finding.of(local, Outcome.BAD_ANSWER, DEADLINE).outcome()).isEqualTo(Outcome.LOCAL_ERROR);
    }

    @Test
    void tlsDetailLeavesOutTheJdksClassNames() {
        Throwable tls = new SSLHandshakeException("PKIX path building failed: "
                + "sun.security.provider.certpath.SunCertPathBuilderException: "
                + "unable to find valid certification path to requested target");

        assertThat(Finding.of(tls, Outcome.BAD_ANSWER, DEADLINE))
                .isEqualTo(new Finding(
                        Outcome.TLS_ERROR,
                        "PKIX path building failed: unable to find valid certification path to requested target"));
    }

    @Test
    void otherIoErrorsTakeTheCallersOutcome() {
        assertThat(Finding.of(new IOException("Connection reset"), Outcome.BAD_ANSWER, DEADLINE))
                .isEqualTo(new Finding(Outcome.BAD_ANSWER, "Connection reset"));
    }

    @Test
    void aBugInTheWitnessIsNeverAStrike() {
        assertThat(Finding.of(new IllegalStateException("oops"), Outcome.BAD_ANSWER, DEADLINE)
                        .outcome())
                .isEqualTo(Outcome.LOCAL_ERROR);
    }

    private static <T extends Throwable> T withCause(T failure, Throwable cause) {
        failure.initCause(cause);
        return failure;
    }
}
