package pomf.dns.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CloudflareProviderTest {
    private static final String TOKEN = "Yk3pQ8vR2sT6uW0xZ4aB7cD1eF5gH9iJ3kL7mN1o";
    private static final String ZONE = "023e105f4ecef8ad9ca31a8372d0c353";

    private CloudflareFake cloudflare;

    @BeforeEach
    void zone() {
        cloudflare = CloudflareFake.start(TOKEN, ZONE, "example.com");
        for (int i = 1; i <= 12; i++) {
            cloudflare.record("A", "cdn.example.com", "198.51.100." + i);
        }
        cloudflare.record("A", "api.example.com", "198.51.100.7");
        cloudflare.record("A", "example.com", "192.0.2.1");
        cloudflare.record("AAAA", "cdn.example.com", "2001:db8::7");
        cloudflare.record("MX", "example.com", "mx1.mail.example.net");
        cloudflare.record("TXT", "example.com", "v=spf1 -all");
    }

    @AfterEach
    void stop() {
        cloudflare.close();
    }

    private CloudflareProvider provider() {
        return provider(TOKEN, ZONE);
    }

    private CloudflareProvider provider(String token, String zone) {
        return new CloudflareProvider(cloudflare.apiBase(), token, zone, 300, Duration.ofSeconds(2));
    }

    @Test
    void addressesAreReadFromEveryPage() throws DnsException {
        assertThat(provider().addresses("cdn.example.com")).hasSize(12).contains("198.51.100.1", "198.51.100.12");
        assertThat(cloudflare.calls("GET")).isEqualTo(3);
    }

    @Test
    void addCreatesOneUnproxiedRecordWithTheTtl() throws DnsException {
        provider().add("cdn.example.com", "198.51.100.50");

        assertThat(cloudflare.records())
                .filteredOn(r -> r.content().equals("198.51.100.50"))
                .extracting(r -> tuple(r.type(), r.name(), r.ttl(), r.proxied()))
                .containsExactly(tuple("A", "cdn.example.com", 300, false));
        assertThat(cloudflare.records()).hasSize(18);
    }

    @Test
    void addingAnAddressThatIsThereSucceedsWhicheverCodeSaysSo() throws DnsException {
        provider().add("cdn.example.com", "198.51.100.3");
        cloudflare.duplicateError(81058, "An identical record already exists.");
        provider().add("cdn.example.com", "198.51.100.3");

        assertThat(cloudflare.calls("POST")).isEqualTo(2);
        assertThat(cloudflare.records()).hasSize(17);
    }

    @Test
    void removeDeletesTheAddressFromTheOneNameOnly() throws DnsException {
        List<CloudflareFake.Record> before = cloudflare.records();

        provider().remove("cdn.example.com", "198.51.100.7");

        assertThat(cloudflare.records())
                .containsExactlyElementsOf(before.stream()
                        .filter(r -> !(r.name().equals("cdn.example.com")
                                && r.type().equals("A")
                                && r.content().equals("198.51.100.7")))
                        .toList());
        assertThat(cloudflare.calls("DELETE")).isEqualTo(1);
    }

    @Test
    void removeFindsTheAddressOnALaterPage() throws DnsException {
        provider().remove("cdn.example.com", "198.51.100.12");

        assertThat(provider().addresses("cdn.example.com")).hasSize(11).doesNotContain("198.51.100.12");
    }

    @Test
    void removingAnAbsentAddressDeletesNothing() throws DnsException {
        provider().remove("cdn.example.com", "198.51.100.99");

        assertThat(cloudflare.calls("DELETE")).isZero();
        assertThat(cloudflare.records()).hasSize(17);
    }

    @Test
    void aRecordDeletedBetweenListAndDeleteCountsAsRemoved() throws DnsException {
        String id = cloudflare.records().stream()
                .filter(r -> r.content().equals("198.51.100.2"))
                .findFirst()
                .orElseThrow()
                .id();
        cloudflare.afterNextList(() -> cloudflare.delete(id));

        provider().remove("cdn.example.com", "198.51.100.2");

        assertThat(provider().addresses("cdn.example.com")).doesNotContain("198.51.100.2");
    }

    @Test
    void namesMatchWithoutCaseAndTheApexIsItsOwnName() throws DnsException {
        CloudflareProvider provider = provider();

        assertThat(provider.addresses("CDN.Example.COM.")).hasSize(12);
        provider.add("Example.com", "192.0.2.2");

        assertThat(provider.addresses("example.com")).containsExactlyInAnyOrder("192.0.2.1", "192.0.2.2");
    }

    @Test
    void aWrongTokenNeedsTheOperator() {
        String wrong = "wrong-token-0123456789abcdefghijklmnopqr";
        DnsException e = failure(() -> provider(wrong, ZONE).remove("cdn.example.com", "198.51.100.1"), wrong);

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("9109", "token");
        assertThat(cloudflare.records()).hasSize(17);
    }

    @Test
    void aTokenWithoutTheZoneNeedsTheOperator() {
        DnsException e = failure(
                () -> provider(TOKEN, "ffffffffffffffffffffffffffffffff").addresses("cdn.example.com"));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("10000", "ffffffffffffffffffffffffffffffff");
    }

    @Test
    void aRateLimitIsRetryableAndSaysWhen() {
        cloudflare.faults().rateLimit(1, 30);

        DnsException e = failure(() -> provider().add("cdn.example.com", "198.51.100.60"));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("HTTP 429", "971", "retry after 30 s");
    }

    @Test
    void aServerErrorPageIsRetryable() {
        cloudflare.faults().status(1, 502);

        DnsException e = failure(() -> provider().addresses("cdn.example.com"));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("HTTP 502");
    }

    @Test
    void aServerErrorOnALaterPageFailsTheWholeList() {
        cloudflare.afterNextList(() -> cloudflare.faults().status(1, 500));

        assertThat(failure(() -> provider().addresses("cdn.example.com")).retryable())
                .isTrue();
    }

    @Test
    void aRefusedRecordIsNotRetried() {
        DnsException e = failure(() -> provider().add("cdn.example.com", "not-an-address"));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("HTTP 400");
    }

    @Test
    void aTtlCloudflareCannotTakeIsRefusedAtStart() {
        for (int ttl : new int[] {0, 29, 86401}) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() ->
                            new CloudflareProvider(cloudflare.apiBase(), TOKEN, ZONE, ttl, Duration.ofSeconds(1)));
        }
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CloudflareProvider(cloudflare.apiBase(), " ", ZONE, 1, Duration.ofSeconds(1)));
    }

    private static DnsException failure(ThrowingCallable call) {
        return failure(call, TOKEN);
    }

    /** Also checks that the token is in no message of the exception's chain. */
    private static DnsException failure(ThrowingCallable call, String token) {
        DnsException e = catchThrowableOfType(DnsException.class, call);
        assertThat(e).as("a DnsException").isNotNull();
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t)).doesNotContain(token);
        }
        return e;
    }
}
