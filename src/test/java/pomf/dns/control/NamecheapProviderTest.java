package pomf.dns.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NamecheapProviderTest {
    private static final String USER = "pomfops";
    private static final String KEY = "0f3c9e1d5b7a4c2e8f6d0b9a1c3e5f7d";
    private static final String IP = "203.0.113.7";
    private static final String SPF = "v=spf1 include:_spf.mail.example.net ~all";
    private static final String DKIM = "v=DKIM1; k=rsa; p=MIGfMA0+GCSqGSIb3/DQEB=";

    private NamecheapFake namecheap;

    @BeforeEach
    void zone() {
        namecheap = NamecheapFake.start("example", "com", USER, KEY, USER)
                .whitelist(IP)
                .emailType("MX")
                .host("@", "A", "192.0.2.1")
                .host("cdn", "A", "198.51.100.1", "10", 300)
                .host("cdn", "A", "198.51.100.2", "10", 300)
                .host("cdn", "A", "198.51.100.3", "10", 300)
                .host("api", "A", "198.51.100.2", "10", 600)
                .host("www", "CNAME", "example.com.", "10", 1800)
                .host("@", "MX", "mx1.mail.example.net.", "10", 3600)
                .host("@", "MX", "mx2.mail.example.net.", "20", 3600)
                .host("@", "TXT", SPF, "10", 1800)
                .host("sel._domainkey", "TXT", DKIM, "10", 1800)
                .host("static", "CNAME", "cdn.example.com.", "10", 1800)
                .host("old", "URL301", "https://example.com/old?a=1&b=2", "10", 1800);
    }

    @AfterEach
    void stop() {
        namecheap.close();
    }

    private NamecheapProvider provider() {
        return provider("example.com", IP, KEY);
    }

    private NamecheapProvider provider(String domain, String clientIp, String key) {
        return new NamecheapProvider(
                namecheap.endpoint(), USER, key, USER, clientIp, domain, 300, Duration.ofSeconds(2));
    }

    @Test
    void removeKeepsEveryOtherRecordAndTheEmailType() throws DnsException {
        List<NamecheapFake.Host> before = namecheap.hosts();

        provider().remove("cdn.example.com", "198.51.100.2");

        assertThat(namecheap.hosts())
                .extracting(h -> tuple(h.name(), h.type(), h.address(), h.mxPref(), h.ttl()))
                .containsExactlyElementsOf(before.stream()
                        .filter(h -> !(h.name().equals("cdn") && h.address().equals("198.51.100.2")))
                        .map(h -> tuple(h.name(), h.type(), h.address(), h.mxPref(), h.ttl()))
                        .toList());
        assertThat(namecheap.emailType()).isEqualTo("MX");
        assertThat(namecheap.calls("setHosts")).isEqualTo(1);
    }

    @Test
    void setHostsIsAFormPost() throws DnsException {
        provider().remove("cdn.example.com", "198.51.100.1");

        NamecheapFake.Request sent = namecheap.lastRequest("setHosts");
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.contentType()).startsWith("application/x-www-form-urlencoded");
        assertThat(sent.parameters()).containsEntry("HostName11", "old").doesNotContainKey("HostName12");
    }

    @Test
    void addPutsTheAddressBesideTheOthersWithTheConfiguredTtl() throws DnsException {
        NamecheapProvider provider = provider();

        provider.add("cdn.example.com", "198.51.100.9");

        assertThat(provider.addresses("cdn.example.com"))
                .containsExactlyInAnyOrder("198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.9");
        assertThat(namecheap.hosts()).hasSize(13).anySatisfy(h -> {
            assertThat(h.address()).isEqualTo("198.51.100.9");
            assertThat(h.ttl()).isEqualTo(300);
        });
        assertThat(namecheap.hosts()).filteredOn(h -> h.type().equals("MX")).hasSize(2);
        assertThat(namecheap.emailType()).isEqualTo("MX");
    }

    @Test
    void changesThatAreAlreadyMadeWriteNothing() throws DnsException {
        NamecheapProvider provider = provider();

        provider.add("cdn.example.com", "198.51.100.1");
        provider.remove("cdn.example.com", "198.51.100.77");
        provider.remove("api.example.com", "198.51.100.1");

        assertThat(namecheap.calls("getHosts")).isEqualTo(3);
        assertThat(namecheap.calls("setHosts")).isZero();
    }

    @Test
    void addThenRemoveLeavesTheListAsItWas() throws DnsException {
        List<NamecheapFake.Host> before = namecheap.hosts();
        NamecheapProvider provider = provider();

        provider.add("edge.example.com", "198.51.100.50");
        provider.add("edge.example.com", "198.51.100.50");
        provider.remove("edge.example.com", "198.51.100.50");
        provider.remove("edge.example.com", "198.51.100.50");

        assertThat(namecheap.calls("setHosts")).isEqualTo(2);
        assertThat(namecheap.hosts())
                .extracting(h -> tuple(h.name(), h.type(), h.address(), h.mxPref(), h.ttl()))
                .containsExactlyElementsOf(before.stream()
                        .map(h -> tuple(h.name(), h.type(), h.address(), h.mxPref(), h.ttl()))
                        .toList());
    }

    @Test
    void namesMatchWithoutCaseAsTheApiLowerCasesThem() throws DnsException {
        namecheap.host("Mixed", "A", "198.51.100.60");

        assertThat(provider().addresses("MIXED.Example.COM.")).containsExactly("198.51.100.60");
        provider().remove("mixed.example.com", "198.51.100.60");
        assertThat(provider().addresses("mixed.example.com")).isEmpty();
    }

    @Test
    void theApexIsTheAtHost() throws DnsException {
        NamecheapProvider provider = provider();

        provider.add("example.com", "192.0.2.2");

        assertThat(provider.addresses("example.com")).containsExactly("192.0.2.1", "192.0.2.2");
        assertThat(namecheap.hosts())
                .filteredOn(h -> h.address().equals("192.0.2.2"))
                .extracting(NamecheapFake.Host::name)
                .containsExactly("@");
    }

    @Test
    void theDocumentedCasingReadsLikeTheLiveOne() throws DnsException {
        namecheap
                .faults()
                .body("<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                        + "<ApiResponse Status=\"OK\"><Errors/><CommandResponse Type=\"namecheap.domains.dns.getHosts\">"
                        + "<DomainDNSGetHostsResult Domain=\"example.com\" IsUsingOurDNS=\"true\">"
                        + "<Host HostID=\"12\" NAME=\"CDN\" Type=\"a\" Address=\"198.51.100.5\" MXPref=\"10\" TTL=\"1800\"/>"
                        + "</DomainDNSGetHostsResult></CommandResponse></ApiResponse>");

        assertThat(provider().addresses("cdn.example.com")).containsExactly("198.51.100.5");
    }

    @Test
    void anIpThatIsNotWhitelistedNeedsTheOperator() {
        assertThatExceptionOfType(DnsException.class)
                .isThrownBy(() -> provider("example.com", "198.18.0.1", KEY).remove("cdn.example.com", "198.51.100.1"))
                .satisfies(e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("1011150", "whitelist", "198.18.0.1");
                });
        assertThat(namecheap.calls("setHosts")).isZero();
    }

    @Test
    void aWrongKeyNeedsTheOperatorAndIsNotRepeated() {
        String wrong = "ffffeeeeddddccccbbbbaaaa99998888";
        DnsException e = failure(() -> provider("example.com", IP, wrong).addresses("cdn.example.com"));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("1011102", "ApiKey").doesNotContain(wrong);
    }

    @Test
    void aWrongUserNameNeedsTheOperator() {
        NamecheapProvider provider = new NamecheapProvider(
                namecheap.endpoint(), USER, KEY, "someoneelse", IP, "example.com", 300, Duration.ofSeconds(2));

        DnsException e = failure(() -> provider.addresses("cdn.example.com"));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("1016103", "UserName");
    }

    @Test
    void aServerErrorIsRetryableAndItsPageDoesNotLeakTheKey() {
        namecheap.faults().status(1, 500);

        DnsException e = failure(() -> provider().remove("cdn.example.com", "198.51.100.1"));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("HTTP 500", "ApiKey=***").doesNotContain(KEY);
        assertThat(namecheap.hosts()).hasSize(12);
    }

    @Test
    void tooManyRequestsIsRetryable() {
        namecheap.faults().error(1, "500000", "Too many requests");

        DnsException e = failure(() -> provider().addresses("cdn.example.com"));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("Too many requests");
    }

    @Test
    void anHttp429IsRetryable() {
        namecheap.faults().status(1, 429);

        assertThat(failure(() -> provider().addresses("cdn.example.com")).retryable())
                .isTrue();
    }

    @Test
    void anUnconfirmedSetHostsIsRetryable() {
        namecheap.faults().unconfirmedSetHosts(1);

        DnsException e = failure(() -> provider().remove("cdn.example.com", "198.51.100.1"));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("IsSuccess");
        assertThat(namecheap.hosts()).hasSize(12);
    }

    @Test
    void aSlowAnswerTimesOutAndIsRetryable() {
        namecheap.faults().slow(1, Duration.ofSeconds(3));
        NamecheapProvider provider = new NamecheapProvider(
                namecheap.endpoint(), USER, KEY, USER, IP, "example.com", 300, Duration.ofMillis(300));

        long start = System.nanoTime();
        DnsException e = failure(() -> provider.addresses("cdn.example.com"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("300 ms");
    }

    @Test
    void aDomainOnOtherNameServersNeedsTheOperator() {
        namecheap.usingOurDns(false);

        DnsException e = failure(() -> provider().addresses("cdn.example.com"));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("2030288");
    }

    @Test
    void anExternalEntityIsNeverRead() {
        namecheap
                .faults()
                .body(
                        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                                + "<ApiResponse Status=\"ERROR\"><Errors><Error Number=\"1\">&x;</Error></Errors></ApiResponse>");

        DnsException e = failure(() -> provider().addresses("cdn.example.com"));

        assertThat(e.getMessage()).doesNotContain("root:");
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void aRecordOutsideTheDomainIsRefusedWithoutACall() {
        DnsException e = failure(() -> provider().remove("cdn.example.org", "198.51.100.1"));

        assertThat(e.retryable()).isFalse();
        assertThat(namecheap.calls("getHosts")).isZero();
    }

    @Test
    void aTwoLabelTldIsSplitFromTheListOrAsWritten() throws DnsException {
        try (NamecheapFake uk =
                NamecheapFake.start("example", "co.uk", USER, KEY, USER).whitelist(IP)) {
            uk.host("cdn", "A", "198.51.100.1");
            for (String domain : List.of("example.co.uk", "example|co.uk")) {
                NamecheapProvider provider =
                        new NamecheapProvider(uk.endpoint(), USER, KEY, USER, IP, domain, 300, Duration.ofSeconds(2));
                assertThat(provider.addresses("cdn.example.co.uk")).containsExactly("198.51.100.1");
            }
        }
    }

    @Test
    void aConfigurationNamecheapCannotTakeIsRefusedAtStart() {
        assertThatIllegalArgumentException().isThrownBy(() -> provider("www.example.com", IP, KEY));
        assertThatIllegalArgumentException().isThrownBy(() -> provider("localhost", IP, KEY));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new NamecheapProvider(
                        namecheap.endpoint(), USER, KEY, USER, IP, "example.com", 59, Duration.ofSeconds(1)))
                .withMessageContaining("60");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new NamecheapProvider(
                        namecheap.endpoint(), USER, KEY, USER, IP, "example.com", 60001, Duration.ofSeconds(1)));
        assertThatIllegalArgumentException().isThrownBy(() -> provider("example.com", IP, ""));
    }

    private static DnsException failure(ThrowingCallable call) {
        DnsException e = org.assertj.core.api.Assertions.catchThrowableOfType(DnsException.class, call);
        assertThat(e).as("a DnsException").isNotNull();
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t)).doesNotContain(KEY);
        }
        return e;
    }
}
