package pomf.dns.control;

import java.util.Locale;

/**
 * One entry of a Namecheap host list, with every field setHosts takes back. The HostId is kept only to tell entries
 * apart in messages: setHosts does not take it (it numbers the list afresh).
 */
record NamecheapHost(String hostId, String name, String type, String address, String mxPref, String ttl) {

    /** The default MXPref the API itself fills in for entries that are not MX. */
    static final String NO_MX_PREF = "10";

    static NamecheapHost a(String name, String address, int ttl) {
        return new NamecheapHost("", name, "A", address, NO_MX_PREF, Integer.toString(ttl));
    }

    /** Whether this is an A entry of the host name; names compare without case, as the API lower-cases them. */
    boolean isA(String host) {
        return "A".equalsIgnoreCase(type) && name.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT));
    }

    boolean isA(String host, String ip) {
        return isA(host) && address.equals(ip);
    }
}
