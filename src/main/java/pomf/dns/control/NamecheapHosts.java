package pomf.dns.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A domain's whole host list and its EmailType, as getHosts gives them and setHosts takes them back.
 *
 * <p>setHosts replaces everything: an entry left out is deleted, and an EmailType left out resets the mail
 * settings (MX entries vanish with it). So a change is always this list with one entry added or taken away, every
 * other entry sent back field for field.
 */
final class NamecheapHosts {
    private final List<NamecheapHost> hosts;
    private final String emailType;

    NamecheapHosts(List<NamecheapHost> hosts, String emailType) {
        this.hosts = List.copyOf(hosts);
        this.emailType = emailType == null ? "" : emailType;
    }

    /** From a getHosts answer; an empty zone is an empty list, not an error. */
    static NamecheapHosts of(NamecheapReply reply) throws DnsException {
        NamecheapReply.Element result = reply.first("DomainDNSGetHostsResult")
                .orElseThrow(() -> new DnsException("Namecheap answered getHosts without a host list", true));
        List<NamecheapHost> hosts = new ArrayList<>();
        for (NamecheapReply.Element host : reply.all("host")) {
            hosts.add(new NamecheapHost(
                    host.attribute("HostId"), // HostId or HostID: attribute names are compared lower-cased
                    host.attribute("Name"),
                    host.attribute("Type"),
                    host.attribute("Address"),
                    host.attribute("MXPref"),
                    host.attribute("TTL")));
        }
        return new NamecheapHosts(hosts, result.attribute("EmailType"));
    }

    List<NamecheapHost> hosts() {
        return hosts;
    }

    String emailType() {
        return emailType;
    }

    Set<String> addresses(String host) {
        Set<String> addresses = new LinkedHashSet<>();
        hosts.stream().filter(h -> h.isA(host)).forEach(h -> addresses.add(h.address()));
        return addresses;
    }

    /** This list with the A entry added, or this very list when it is already there. */
    NamecheapHosts with(String host, String address, int ttl) {
        if (hosts.stream().anyMatch(h -> h.isA(host, address))) {
            return this;
        }
        List<NamecheapHost> more = new ArrayList<>(hosts);
        more.add(NamecheapHost.a(host, address, ttl));
        return new NamecheapHosts(more, emailType);
    }

    /** This list without the A entry (every duplicate of it), or this very list when it is not there. */
    NamecheapHosts without(String host, String address) {
        List<NamecheapHost> fewer =
                hosts.stream().filter(h -> !h.isA(host, address)).toList();
        return fewer.size() == hosts.size() ? this : new NamecheapHosts(fewer, emailType);
    }

    /**
     * The setHosts parameters: HostName1..N with their RecordType, Address, MXPref and TTL, numbered afresh, and the
     * EmailType when getHosts gave one. Fields the API did not give are left out, so that it applies its defaults
     * rather than an empty value.
     */
    Map<String, String> parameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < hosts.size(); i++) {
            NamecheapHost host = hosts.get(i);
            int n = i + 1;
            parameters.put("HostName" + n, host.name());
            parameters.put("RecordType" + n, host.type());
            parameters.put("Address" + n, host.address());
            putIfGiven(parameters, "MXPref" + n, host.mxPref());
            putIfGiven(parameters, "TTL" + n, host.ttl());
        }
        putIfGiven(parameters, "EmailType", emailType);
        return parameters;
    }

    private static void putIfGiven(Map<String, String> parameters, String name, String value) {
        if (value != null && !value.isEmpty()) {
            parameters.put(name, value);
        }
    }
}
