package pomf.upload.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import pomf.http.control.ClientAddress;

/** What per-client limits count by: an IPv4 address, an IPv6 prefix. */
class ClientLimitKeyTest {
    private final ClientAddress by64 = new ClientAddress(List.of());

    @Test
    void anIpv4AddressIsItsOwnKey() {
        assertThat(by64.limitKey("203.0.113.9")).isEqualTo("203.0.113.9");
        assertThat(by64.limitKey("203.0.113.10")).isEqualTo("203.0.113.10");
    }

    @Test
    void anIpv6AddressIsKeyedByItsSlash64() {
        assertThat(by64.limitKey("2001:db8:1:2::1")).isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(by64.limitKey("2001:DB8:1:2:ffff:ffff:ffff:ffff")).isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(by64.limitKey("[2001:db8:1:2::99]")).isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(by64.limitKey("2001:db8:1:3::1")).isEqualTo("2001:db8:1:3:0:0:0:0/64");
    }

    @Test
    void anIpv4MappedAddressIsTheIpv4Client() {
        assertThat(by64.limitKey("::ffff:203.0.113.9")).isEqualTo("203.0.113.9");
        assertThat(by64.limitKey("::FFFF:cb00:7109")).isEqualTo("203.0.113.9");
        assertThat(by64.limitKey("0:0:0:0:0:ffff:203.0.113.9")).isEqualTo("203.0.113.9");
    }

    @Test
    void thePrefixMayCutInsideAGroup() {
        assertThat(new ClientAddress(List.of(), 56).limitKey("2001:db8:1:2ff::1"))
                .isEqualTo("2001:db8:1:200:0:0:0:0/56");
        assertThat(new ClientAddress(List.of(), 33).limitKey("2001:db8:ffff::1"))
                .isEqualTo("2001:db8:8000:0:0:0:0:0/33");
        assertThat(new ClientAddress(List.of(), 128).limitKey("2001:db8::1")).isEqualTo("2001:db8:0:0:0:0:0:1/128");
    }

    @Test
    void thePrefixLengthIs32To128() {
        assertThatThrownBy(() -> new ClientAddress(List.of(), 31)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientAddress(List.of(), 129)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ClientAddress(List.of(), 32).limitKey("2001:db8:ff::1")).isEqualTo("2001:db8:0:0:0:0:0:0/32");
    }

    @Test
    void textThatIsNoAddressIsItsOwnKeyAndNeverLookedUp() {
        assertThat(by64.limitKey("localhost")).isEqualTo("localhost");
        assertThat(by64.limitKey("unknown")).isEqualTo("unknown");
        assertThat(by64.limitKey(null)).isEmpty();
    }
}
