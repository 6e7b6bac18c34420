package pomf.dns.control;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.xbill.DNS.Address;

/**
 * An IPv4 address exactly as an A record holds it. Configuration and callers hand us strings; a host name there must
 * fail loudly instead of being resolved (a lookup would put some other machine's address into the round-robin set),
 * and only the canonical dotted quad is accepted so that the same address is always compared as the same string.
 */
final class Ipv4Literal {
    private Ipv4Literal() {}

    /** The address, parsed without any lookup; IllegalArgumentException for anything but a canonical dotted quad. */
    static InetAddress parse(String address) {
        byte[] bytes = address == null ? null : Address.toByteArray(address, Address.IPv4);
        if (bytes == null || !Address.toDottedQuad(bytes).equals(address)) {
            throw new IllegalArgumentException("not a literal IPv4 address such as 192.0.2.1: " + address);
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }
}
