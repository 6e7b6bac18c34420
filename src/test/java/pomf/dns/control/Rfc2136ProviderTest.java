package pomf.dns.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pomf.it.servers.Bind;

class Rfc2136ProviderTest {
    private static final String ZONE = "example.test";
    private static final String CDN = "cdn.example.test";
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    // Ports 18530-18539 are this test's; a fresh one per test so no server's leftovers meet the next.
    private static final AtomicInteger PORTS = new AtomicInteger();
    private static final List<String> OTHER_RECORDS = List.of(
            "@ IN MX 10 mail", "@ IN TXT \"v=spf1 -all\"", "cdn IN TXT \"three edges\"", "mail IN A 192.0.2.25");

    @TempDir
    Path folder;

    private Bind bind;

    @AfterEach
    void stopBind() {
        if (bind != null) {
            bind.stop();
        }
    }

    @Test
    void removingAnAddressTakesItOutOfTheServersAnswer() throws DnsException {
        Rfc2136Provider provider = provider(startBind());

        provider.remove(CDN, "192.0.2.2");

        assertThat(bind.query(CDN)).containsExactlyInAnyOrder("192.0.2.1", "192.0.2.3");
        assertThat(provider.addresses(CDN)).isEqualTo(bind.query(CDN));
    }

    @Test
    void removingAnAbsentAddressSucceedsWithoutAChange() throws DnsException {
        Rfc2136Provider provider = provider(startBind());
        provider.remove(CDN, "192.0.2.2");
        List<String> soa = bind.records(ZONE, "SOA");

        provider.remove(CDN, "192.0.2.2");
        provider.remove(CDN, "198.51.100.7");
        provider.remove("new.example.test", "192.0.2.1");

        assertThat(bind.query(CDN)).containsExactlyInAnyOrder("192.0.2.1", "192.0.2.3");
        assertThat(bind.records(ZONE, "SOA"))
                .as("no new serial: nothing changed")
                .isEqualTo(soa);
    }

    @Test
    void addingAnAddressBackMakesItAnswerAgain() throws DnsException {
        Rfc2136Provider provider = provider(startBind());
        provider.remove(CDN, "192.0.2.2");

        provider.add(CDN, "192.0.2.2");

        assertThat(bind.query(CDN)).containsExactlyInAnyOrder("192.0.2.1", "192.0.2.2", "192.0.2.3");
        assertThat(provider.addresses(CDN)).isEqualTo(bind.query(CDN));
    }

    @Test
    void addingAPresentAddressKeepsOneCopy() throws DnsException {
        Rfc2136Provider provider = provider(startBind());

        provider.add(CDN, "192.0.2.1");
        provider.add(CDN, "192.0.2.1");

        assertThat(bind.records(CDN, "A")).containsExactly("192.0.2.1", "192.0.2.2", "192.0.2.3");
    }

    @Test
    void addingToANewNameCreatesItsSet() throws DnsException {
        Rfc2136Provider provider = provider(startBind());

        provider.add("eu.cdn.example.test", "192.0.2.7");

        assertThat(bind.query("eu.cdn.example.test")).containsExactly("192.0.2.7");
        assertThat(provider.addresses("EU.cdn.example.test.")).containsExactly("192.0.2.7");
    }

    @Test
    void everyOtherRecordOfTheZoneStaysAsItWas() throws DnsException {
        Rfc2136Provider provider = provider(startBind());
        Map<String, List<String>> before = otherRecords();
        List<String> soa = bind.records(ZONE, "SOA");

        provider.remove(CDN, "192.0.2.1");
        provider.add(CDN, "192.0.2.9");
        provider.remove(CDN, "192.0.2.9");
        provider.add(CDN, "192.0.2.1");

        assertThat(otherRecords()).isEqualTo(before);
        // Only the serial moves (BIND counts every change); names, timers and the rest of the SOA stay.
        assertThat(withoutSerial(bind.records(ZONE, "SOA"))).isEqualTo(withoutSerial(soa));
    }

    @Test
    void aNameWithoutAddressesHasAnEmptySet() throws DnsException {
        Rfc2136Provider provider = provider(startBind());

        assertThat(provider.addresses("nothing.example.test")).as("NXDOMAIN").isEmpty();
        assertThat(provider.addresses(ZONE)).as("NOERROR without A records").isEmpty();
    }

    @Test
    void aWrongSecretIsNotRetryableAndChangesNothing() {
        startBind();
        String wrong = randomSecret();
        Rfc2136Provider provider =
                new Rfc2136Provider(bind.address(), ZONE, bind.keyName(), bind.algorithm(), wrong, 60, TIMEOUT);

        DnsException removal = catchThrowableOfType(DnsException.class, () -> provider.remove(CDN, "192.0.2.1"));
        DnsException query = catchThrowableOfType(DnsException.class, () -> provider.addresses(CDN));

        for (DnsException e : List.of(removal, query)) {
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage())
                    .contains("BADSIG", "secret", bind.keyName())
                    .doesNotContain(wrong, bind.secret());
        }
        assertThat(bind.query(CDN)).containsExactlyInAnyOrder("192.0.2.1", "192.0.2.2", "192.0.2.3");
    }

    @Test
    void anUnknownKeyNameIsNotRetryable() {
        startBind();
        Rfc2136Provider provider = new Rfc2136Provider(
                bind.address(), ZONE, "somebody-else", bind.algorithm(), bind.secret(), 60, TIMEOUT);

        DnsException e = catchThrowableOfType(DnsException.class, () -> provider.remove(CDN, "192.0.2.1"));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage())
                .contains("BADKEY", "somebody-else", "key name")
                .doesNotContain(bind.secret());
        assertThat(bind.query(CDN)).hasSize(3);
    }

    @Test
    void aZoneTheServerDoesNotServeIsNotRetryable() {
        startBind();
        Rfc2136Provider provider = new Rfc2136Provider(
                bind.address(), "other.test", bind.keyName(), bind.algorithm(), bind.secret(), 60, TIMEOUT);

        DnsException e = catchThrowableOfType(DnsException.class, () -> provider.add("cdn.other.test", "192.0.2.1"));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("other.test", "zone");
    }

    @Test
    void aStoppedServerIsRetryableWithinTheTimeout() {
        Rfc2136Provider provider = provider(startBind());
        bind.stop();

        assertRetryableWithinTimeout(() -> provider.remove(CDN, "192.0.2.1"));
        assertRetryableWithinTimeout(() -> provider.addresses(CDN));
    }

    @Test
    void aServerThatNeverAnswersIsRetryableWithinTheTimeout() throws IOException {
        // The kernel completes the connection from the backlog; nobody ever reads or writes on it.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Rfc2136Provider provider = new Rfc2136Provider(
                    new InetSocketAddress("127.0.0.1", silent.getLocalPort()),
                    ZONE,
                    "pomf-witness",
                    "hmac-sha256",
                    randomSecret(),
                    60,
                    TIMEOUT);

            assertRetryableWithinTimeout(() -> provider.add(CDN, "192.0.2.1"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cdn.example.org", "cdnexample.test", "example", "*.example.test", "cdn..example.test", ""})
    void aRecordOutsideTheZoneIsRejected(String record) {
        Rfc2136Provider provider = providerWithoutServer();

        assertThatThrownBy(() -> provider.add(record, "192.0.2.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> provider.remove(record, "192.0.2.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> provider.addresses(record)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "cdn.example.test", "2001:db8::1", "192.0.2.256", "192.0.2", "192.0.02.1", ""})
    void anythingButALiteralIpv4AddressIsRejected(String address) {
        Rfc2136Provider provider = providerWithoutServer();

        assertThatThrownBy(() -> provider.add(CDN, address)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> provider.remove(CDN, address)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSecretThatIsNotBase64IsRejectedWithoutQuotingIt() {
        assertThatThrownBy(() -> new Rfc2136Provider(
                        new InetSocketAddress("127.0.0.1", 53), ZONE, "k", "hmac-sha256", "not*base64!", 60, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("not*base64!")
                .hasNoCause();
    }

    private Bind startBind() {
        Bind.unavailable().ifPresent(reason -> System.err.println("Skipping a test that needs BIND: " + reason));
        assumeTrue(Bind.unavailable().isEmpty(), "BIND can run here");
        Map<String, List<String>> a = new LinkedHashMap<>();
        a.put("cdn", List.of("192.0.2.1", "192.0.2.2", "192.0.2.3"));
        a.put("www", List.of("192.0.2.10"));
        int port = 18530 + PORTS.getAndIncrement() % 10;
        bind = Bind.start(folder, port, ZONE, a, OTHER_RECORDS);
        return bind;
    }

    private static Rfc2136Provider provider(Bind bind) {
        return new Rfc2136Provider(
                bind.address(), bind.zone(), bind.keyName(), bind.algorithm(), bind.secret(), 60, TIMEOUT);
    }

    private static Rfc2136Provider providerWithoutServer() {
        // Nothing listens there: a test that reached the network would fail with a DnsException instead.
        return new Rfc2136Provider(
                new InetSocketAddress("127.0.0.1", 9), ZONE, "k", "hmac-sha256", randomSecret(), 60, TIMEOUT);
    }

    private Map<String, List<String>> otherRecords() {
        return Map.of(
                "NS", bind.records(ZONE, "NS"),
                "MX", bind.records(ZONE, "MX"),
                "apex TXT", bind.records(ZONE, "TXT"),
                "cdn TXT", bind.records(CDN, "TXT"),
                "www A", bind.records("www.example.test", "A"),
                "mail A", bind.records("mail.example.test", "A"),
                "ns A", bind.records("ns.example.test", "A"));
    }

    private static List<String> withoutSerial(List<String> soa) {
        return soa.stream()
                .map(s -> s.replaceFirst("^(\\S+ \\S+) \\d+", "$1 SERIAL"))
                .toList();
    }

    private static void assertRetryableWithinTimeout(ThrowingCall call) {
        long start = System.nanoTime();
        DnsException e = catchThrowableOfType(DnsException.class, call::run);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(e).isNotNull();
        assertThat(e.retryable()).isTrue();
        assertThat(took).isLessThan(TIMEOUT.multipliedBy(2));
    }

    private static String randomSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }
}
