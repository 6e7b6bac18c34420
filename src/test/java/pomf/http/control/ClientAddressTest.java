package pomf.http.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
    private final ClientAddress behindProxies =
            new ClientAddress(List.of("10.0.0.0/8", " 192.168.1.7 ", "", "fd00::/8"));

    @Test
    void withoutTrustedProxiesThePeerIsTheClient() {
        ClientAddress direct = new ClientAddress(List.of());

        assertThat(direct.resolve("203.0.113.9", "1.2.3.4")).isEqualTo("203.0.113.9");
        assertThat(direct.resolve("203.0.113.9", null)).isEqualTo("203.0.113.9");
    }

    @Test
    void untrustedPeerCannotClaimAnotherAddress() {
        assertThat(behindProxies.resolve("203.0.113.9", "1.2.3.4, 10.0.0.1")).isEqualTo("203.0.113.9");
    }

    @Test
    void trustedProxyGivesTheRightMostUntrustedHop() {
        assertThat(behindProxies.resolve("10.1.2.3", "198.51.100.7")).isEqualTo("198.51.100.7");
        // The client wrote "1.1.1.1, 2.2.2.2" itself; the proxies appended the rest.
        assertThat(behindProxies.resolve("10.1.2.3", "1.1.1.1, 2.2.2.2,198.51.100.7 , 192.168.1.7,10.9.9.9"))
                .isEqualTo("198.51.100.7");
    }

    @Test
    void headerOfOnlyTrustedOrEmptyHopsGivesThePeer() {
        assertThat(behindProxies.resolve("10.1.2.3", "10.0.0.5, 192.168.1.7")).isEqualTo("10.1.2.3");
        assertThat(behindProxies.resolve("10.1.2.3", " , ,")).isEqualTo("10.1.2.3");
        assertThat(behindProxies.resolve("10.1.2.3", "")).isEqualTo("10.1.2.3");
        assertThat(behindProxies.resolve("10.1.2.3", null)).isEqualTo("10.1.2.3");
    }

    @Test
    void singleAddressIsARangeOfOne() {
        assertThat(behindProxies.resolve("192.168.1.7", "198.51.100.7")).isEqualTo("198.51.100.7");
        assertThat(behindProxies.resolve("192.168.1.8", "198.51.100.7")).isEqualTo("192.168.1.8");
    }

    @Test
    void ipv4RangesMatchOnTheirPrefixBitsOnly() {
        ClientAddress.Cidr range = ClientAddress.Cidr.parse("172.16.0.0/12");

        assertThat(range.contains("172.16.0.0")).isTrue();
        assertThat(range.contains("172.31.255.255")).isTrue();
        assertThat(range.contains("172.32.0.0")).isFalse();
        assertThat(range.contains("172.15.255.255")).isFalse();
        assertThat(ClientAddress.Cidr.parse("0.0.0.0/0").contains("8.8.8.8")).isTrue();
        assertThat(ClientAddress.Cidr.parse("10.0.0.1/32").contains("10.0.0.2")).isFalse();
        assertThat(ClientAddress.Cidr.parse("10.0.0.0/31").contains("10.0.0.1")).isTrue();
    }

    @Test
    void ipv6RangesMatchOnTheirPrefixBitsOnly() {
        ClientAddress.Cidr range = ClientAddress.Cidr.parse("2001:db8::/32");

        assertThat(range.contains("2001:db8::1")).isTrue();
        assertThat(range.contains("2001:0DB8:ffff:ffff:ffff:ffff:ffff:ffff")).isTrue();
        assertThat(range.contains("[2001:db8::1]")).isTrue();
        assertThat(range.contains("2001:db9::1")).isFalse();
        assertThat(ClientAddress.Cidr.parse("::1/128").contains("0:0:0:0:0:0:0:1"))
                .isTrue();
        assertThat(ClientAddress.Cidr.parse("::1").contains("::2")).isFalse();
        assertThat(ClientAddress.Cidr.parse("fe80::/10").contains("febf::1")).isTrue();
        assertThat(ClientAddress.Cidr.parse("fe80::/10").contains("fec0::1")).isFalse();
    }

    @Test
    void ipv6ProxiesAndClients() {
        assertThat(behindProxies.resolve("fd12::1", "2001:db8::7, fd00::2")).isEqualTo("2001:db8::7");
        assertThat(behindProxies.resolve("2001:db8::1", "198.51.100.7")).isEqualTo("2001:db8::1");
    }

    @Test
    void rangesHaveOneCanonicalTextAndAddressesTheirBytes() {
        assertThat(ClientAddress.Cidr.parse("203.0.113.77/24").canonical()).isEqualTo("203.0.113.0/24");
        assertThat(ClientAddress.Cidr.parse("198.51.100.7").canonical()).isEqualTo("198.51.100.7/32");
        assertThat(ClientAddress.Cidr.parse("2001:DB8:0:12::5/48").canonical()).isEqualTo("2001:db8::/48");
        assertThat(ClientAddress.Cidr.parse("2001:db8:0:0:1:0:0:1").canonical()).isEqualTo("2001:db8::1:0:0:1/128");
        assertThat(ClientAddress.Cidr.parse("::1").canonical()).isEqualTo("::1/128");
        assertThat(ClientAddress.Cidr.parse("fe80::/10").canonical()).isEqualTo("fe80::/10");
        assertThat(ClientAddress.Cidr.parse("2001:db8:1:2:3:4:5:6").canonical()).isEqualTo("2001:db8:1:2:3:4:5:6/128");
        assertThat(ClientAddress.Cidr.parse("2001:0:0:1::/64").canonical()).isEqualTo("2001:0:0:1::/64");
        assertThat(ClientAddress.Cidr.parse("10.0.0.1/9").canonical()).isEqualTo("10.0.0.0/9");
        assertThat(ClientAddress.Cidr.parse("10.255.0.1/9").canonical()).isEqualTo("10.128.0.0/9");
        assertThat(ClientAddress.Cidr.bytes("192.0.2.1")).containsExactly(192, 0, 2, 1);
        assertThat(ClientAddress.Cidr.bytes("::ffff:192.0.2.1"))
                .as("an IPv4-mapped address is the IPv4 client")
                .hasSize(4);
        assertThat(ClientAddress.Cidr.bytes("2001:db8::1")).hasSize(16);
        assertThat(ClientAddress.Cidr.bytes("example.com")).isNull();
        assertThat(ClientAddress.Cidr.bytes("1.2.3.4.5")).isNull();
    }

    @Test
    void familiesNeverMatchEachOther() {
        assertThat(ClientAddress.Cidr.parse("10.0.0.0/8").contains("::a00:1")).isFalse();
        assertThat(ClientAddress.Cidr.parse("::/0").contains("10.0.0.1")).isFalse();
    }

    @Test
    void hostNamesAndGarbageAreNeverTrustedNorResolved() {
        ClientAddress loopback = new ClientAddress(List.of("127.0.0.0/8", "::1"));

        // "localhost" would resolve to a trusted address; as a hop it is only text, so it is the client.
        assertThat(loopback.resolve("127.0.0.1", "localhost")).isEqualTo("localhost");
        assertThat(loopback.resolve("127.0.0.1", "ip6-localhost")).isEqualTo("ip6-localhost");
        assertThat(loopback.resolve("127.0.0.1", "1.2.3.4.5")).isEqualTo("1.2.3.4.5");
        assertThat(loopback.resolve("127.0.0.1", "unknown")).isEqualTo("unknown");
        assertThat(loopback.resolve("localhost", "1.2.3.4")).isEqualTo("localhost");
    }

    @Test
    void aHopThatIsNoAddressComesBackNeutralised() {
        ClientAddress loopback = new ClientAddress(List.of("127.0.0.0/8"));

        // What a client in a trusted range wrote, passed on by the proxy: it must not start a log line of its own.
        assertThat(loopback.resolve("127.0.0.1", "evil\u2028forged line")).isEqualTo("evil\\u2028forged line");
        assertThat(loopback.resolve("127.0.0.1", "z".repeat(5000))).hasSize(65);
    }

    @Test
    void trustedProxyListMustHoldAddressesNotNames() {
        assertThatThrownBy(() -> new ClientAddress(List.of("proxy.example.com")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientAddress(List.of("localhost"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/abc")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void prefixLengthLongerThanTheAddressOrNegativeIsRefused() {
        // /33 made every IPv4 lookup fail with an index error; /-1 trusted every address.
        assertThatThrownBy(() -> ClientAddress.Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientAddress.Cidr.parse("10.0.0.0/-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientAddress.Cidr.parse("::/129")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ClientAddress.Cidr.parse("::/128").contains("::")).isTrue();
    }

    @Test
    void addressesAreInRangesOrNotWhateverTheirSpelling() {
        ClientAddress exempt = new ClientAddress(List.of("127.0.0.0/8", "::1"));
        assertThat(exempt.inRanges("127.0.0.1")).isTrue();
        assertThat(exempt.inRanges("127.255.0.9")).isTrue();
        assertThat(exempt.inRanges("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(exempt.inRanges("::ffff:127.0.0.1")).isTrue();
        assertThat(exempt.inRanges("128.0.0.1")).isFalse();
        assertThat(exempt.inRanges("127.0.0.01")).as("not a canonical literal").isFalse();
        assertThat(exempt.inRanges("localhost")).as("names are never looked up").isFalse();
        assertThat(exempt.inRanges(null)).isFalse();
        assertThat(new ClientAddress(List.of()).inRanges("127.0.0.1")).isFalse();
    }

    @Test
    void dottedQuadsAreParsedByHandAsTheLiteralParserWould() {
        for (String quad : List.of("0.0.0.0", "1.2.3.4", "255.255.255.255", "10.0.100.9", "192.0.2.199")) {
            assertThat(ClientAddress.Cidr.dottedQuad(quad)).as(quad).isEqualTo(ClientAddress.Cidr.literal(quad));
        }
        for (String not : List.of(
                "",
                "1.2.3",
                "1.2.3.4.5",
                "1.2.3.",
                ".1.2.3",
                "256.1.1.1",
                "01.2.3.4",
                "1..2.3",
                "1.2.3.4 ",
                "a.b.c.d",
                "1.2.3.1000",
                "::1")) {
            assertThat(ClientAddress.Cidr.dottedQuad(not)).as(not).isNull();
        }
    }
}
