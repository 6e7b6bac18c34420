package pomf.dns.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one domain {@link NamecheapFake} holds, and what getHosts and setHosts do to it. setHosts replaces the whole
 * list with what the request carries and gives every entry a new HostId; names are stored in lower case, as the live
 * API returns them.
 */
final class NamecheapFakeZone {
    /**
     * Namecheap's number for a malformed setHosts is not documented; this one keeps only the documented meaning of
     * its first digit (2: the request), so that a provider classifies it as it would the real one.
     */
    static final String INVALID_REQUEST = "2099999";

    private final List<NamecheapFake.Host> hosts = new ArrayList<>();
    private String emailType = "NONE";
    private int nextId = 100;

    synchronized void add(String name, String type, String address, String mxPref, int ttl) {
        hosts.add(host(name, type, address, mxPref, ttl));
    }

    synchronized List<NamecheapFake.Host> hosts() {
        return List.copyOf(hosts);
    }

    synchronized String emailType() {
        return emailType;
    }

    synchronized void emailType(String emailType) {
        this.emailType = emailType;
    }

    /**
     * Replaces the list, or explains why not (an error text, null on success). MX entries are kept only with
     * EmailType MX, and a missing EmailType turns mail off: so a client that drops it loses the MX entries.
     */
    synchronized String set(Map<String, String> parameters) {
        List<NamecheapFake.Host> replacement = new ArrayList<>();
        for (int n = 1; parameters.containsKey("HostName" + n); n++) {
            String type = parameters.getOrDefault("RecordType" + n, "");
            String address = parameters.getOrDefault("Address" + n, "");
            if (type.isEmpty() || address.isEmpty()) {
                return "RecordType" + n + " and Address" + n + " are required";
            }
            int ttl;
            try {
                ttl = Integer.parseInt(parameters.getOrDefault("TTL" + n, "1800"));
            } catch (NumberFormatException e) {
                return "TTL" + n + " is not a number";
            }
            if (ttl < 60 || ttl > 60000) {
                return "TTL" + n + " must be between 60 and 60000";
            }
            String mxPref = parameters.getOrDefault("MXPref" + n, "10");
            replacement.add(new NamecheapFake.Host("", parameters.get("HostName" + n), type, address, mxPref, ttl));
        }
        String newEmailType = parameters.getOrDefault("EmailType", "NONE").toUpperCase(Locale.ROOT);
        hosts.clear();
        emailType = newEmailType;
        for (NamecheapFake.Host host : replacement) {
            if (!host.type().equalsIgnoreCase("MX") || newEmailType.equals("MX")) {
                hosts.add(host(host.name(), host.type(), host.address(), host.mxPref(), host.ttl()));
            }
        }
        return null;
    }

    private NamecheapFake.Host host(String name, String type, String address, String mxPref, int ttl) {
        return new NamecheapFake.Host(
                Integer.toString(nextId++),
                name.toLowerCase(Locale.ROOT),
                type.toUpperCase(Locale.ROOT),
                address,
                mxPref,
                ttl);
    }
}
