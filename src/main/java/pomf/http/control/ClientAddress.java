package pomf.http.control;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;
import pomf.untrusted.control.UntrustedText;

/**
 * The client's address: the peer's, or, when the peer is a trusted proxy, the right-most address in
 * {@code X-Forwarded-For} that is not itself a trusted proxy (the left part of the header is the client's word).
 * Limits per client key it by {@link #limitKey}, which treats an IPv6 client's whole prefix as one client.
 */
public final class ClientAddress {
    private final List<Cidr> trusted;
    private final int ipv6PrefixBits;

    /** IPv6 clients keyed by their /64. */
    public ClientAddress(List<String> trustedProxies) {
        this(trustedProxies, 64);
    }

    public ClientAddress(List<String> trustedProxies, int ipv6PrefixBits) {
        // Shorter than /32 would put whole providers in one bucket; a /128 keys every address on its own.
        if (ipv6PrefixBits < 32 || ipv6PrefixBits > 128) {
            throw new IllegalArgumentException("an IPv6 client prefix is 32 to 128 bits, not " + ipv6PrefixBits);
        }
        this.trusted = trustedProxies.stream()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(Cidr::parse)
                .toList();
        this.ipv6PrefixBits = ipv6PrefixBits;
    }

    /** The client of {@code request}: its peer, or what a trusted proxy in front says ({@code X-Forwarded-For}). */
    public String of(HttpServletRequest request) {
        return resolve(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"));
    }

    public String resolve(String peer, String forwardedFor) {
        if (forwardedFor == null || !isTrusted(peer)) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!hop.isEmpty() && !isTrusted(hop)) {
                // Normally an address the proxy appended; it is the header's text when the proxy passed on what a
                // client in a trusted range wrote, and it goes to logs, the audit trail and the registry.
                return UntrustedText.neutral(hop);
            }
        }
        return peer;
    }

    /**
     * What per-client limits count by. An IPv6 client is given a /64 (or more) and may use any address in it, so
     * it is its prefix; an IPv4-mapped address ({@code ::ffff:a.b.c.d}) is the IPv4 client it stands for. Text that
     * is no address literal is its own key.
     */
    public String limitKey(String address) {
        if (address == null) {
            return "";
        }
        if (Cidr.dottedQuad(address) != null) {
            return address; // already canonical, and the common case: no further parsing
        }
        byte[] bytes = Cidr.literal(address);
        if (bytes == null) {
            return address;
        }
        if (bytes.length == 4) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        }
        StringBuilder key = new StringBuilder(48);
        for (int group = 0; group < 8; group++) {
            int bits = Math.max(0, Math.min(16, ipv6PrefixBits - group * 16));
            int mask = (0xffff << (16 - bits)) & 0xffff;
            int value = ((bytes[2 * group] & 0xff) << 8 | (bytes[2 * group + 1] & 0xff)) & mask;
            key.append(group == 0 ? "" : ":").append(Integer.toHexString(value));
        }
        return key.append('/').append(ipv6PrefixBits).toString();
    }

    private boolean isTrusted(String address) {
        return trusted.stream().anyMatch(c -> c.contains(address));
    }

    /** Whether {@code address} (a literal) is in one of the ranges this was made with; parsed once. */
    public boolean inRanges(String address) {
        if (trusted.isEmpty() || address == null) {
            return false;
        }
        byte[] quad = Cidr.dottedQuad(address); // the common case, without a regular expression
        byte[] bytes = quad != null ? quad : Cidr.literal(address);
        if (bytes == null) {
            return false;
        }
        for (Cidr range : trusted) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** An address range such as {@code 10.0.0.0/8}, {@code 127.0.0.1} or {@code ::1/128}. */
    public record Cidr(byte[] network, int bits) {
        private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
        private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
        private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F]*:[0-9a-fA-F:.]*");

        public static Cidr parse(String text) {
            int slash = text.indexOf('/');
            byte[] address = literal(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("not an IP address or range: " + text);
            }
            int bits = slash < 0 ? address.length * 8 : Integer.parseInt(text.substring(slash + 1));
            if (bits < 0 || bits > address.length * 8) {
                throw new IllegalArgumentException("not a prefix length for this address: " + text);
            }
            return new Cidr(address, bits);
        }

        boolean contains(String text) {
            byte[] address = literal(text);
            return address != null && contains(address);
        }

        public boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        /**
         * A canonical dotted quad ({@code 192.0.2.1}: four decimal octets, no leading zeros) as its bytes, else null;
         * what the request path meets most, parsed by hand (a regular expression costs several times more).
         */
        static byte[] dottedQuad(String text) {
            int length = text.length();
            if (length < 7 || length > 15) {
                return null;
            }
            byte[] bytes = new byte[4];
            int octet = 0;
            int value = 0;
            int digits = 0;
            for (int i = 0; i <= length; i++) {
                char c = i < length ? text.charAt(i) : '.';
                if (c >= '0' && c <= '9') {
                    if (digits > 0 && value == 0) {
                        return null; // a leading zero
                    }
                    value = value * 10 + (c - '0');
                    if (++digits > 3 || value > 255) {
                        return null;
                    }
                } else if (c == '.' && digits > 0 && octet < 4) {
                    bytes[octet++] = (byte) value;
                    value = 0;
                    digits = 0;
                } else {
                    return null;
                }
            }
            return octet == 4 ? bytes : null;
        }

        /** An address literal's bytes (4 or 16), else null; never a name lookup. */
        public static byte[] bytes(String text) {
            byte[] quad = dottedQuad(text);
            return quad != null ? quad : literal(text);
        }

        /** The range as canonical text: its network address (host bits cleared) and prefix length. */
        public String canonical() {
            byte[] masked = network.clone();
            for (int i = bits; i < masked.length * 8; i++) {
                masked[i / 8] &= (byte) ~(0x80 >>> (i % 8));
            }
            if (masked.length == 4) {
                return (masked[0] & 0xff) + "." + (masked[1] & 0xff) + "." + (masked[2] & 0xff) + "."
                        + (masked[3] & 0xff) + "/" + bits;
            }
            return ipv6Text(masked) + "/" + bits;
        }

        /** RFC 5952's text: lower-case hex groups, the longest run of two or more zero groups as {@code ::}. */
        static String ipv6Text(byte[] address) {
            int[] groups = new int[8];
            for (int i = 0; i < 8; i++) {
                groups[i] = (address[2 * i] & 0xff) << 8 | (address[2 * i + 1] & 0xff);
            }
            int bestStart = -1;
            int bestLength = 1;
            for (int i = 0; i < 8; ) {
                int j = i;
                while (j < 8 && groups[j] == 0) {
                    j++;
                }
                if (j - i > bestLength) {
                    bestStart = i;
                    bestLength = j - i;
                }
                i = j == i ? i + 1 : j;
            }
            StringBuilder text = new StringBuilder(39);
            for (int i = 0; i < 8; i++) {
                if (i == bestStart) {
                    text.append("::");
                    i += bestLength - 1;
                    continue;
                }
                if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                    text.append(':');
                }
                text.append(Integer.toHexString(groups[i]));
            }
            return text.toString();
        }

        /** Parses literals only: a host name must never cause a DNS lookup here. */
        static byte[] literal(String text) {
            String t = text.trim();
            if (t.startsWith("[") && t.endsWith("]")) {
                t = t.substring(1, t.length() - 1);
            }
            // Only a dotted quad, or text with a colon that starts like an IPv6 address: InetAddress parses those
            // without the name service. Anything else that merely looks numeric ("1.2.3.4.5", "1.2.3.999", "1.2.3.")
            // would be looked up as a host name, and could resolve to a trusted proxy's address.
            if (!IPV4.matcher(t).matches() && !IPV6.matcher(t).matches()) {
                return null;
            }
            try {
                return InetAddress.getByName(t).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
    }
}
