package pomf.dns.control;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Round-robin A records in a domain on Namecheap's DNS, through getHosts and setHosts (what the original deployment
 * used). setHosts replaces the whole host list, so each change reads the list, changes the one entry and writes
 * every other entry and the EmailType back as they were; when nothing would change, nothing is written.
 *
 * <p>Namecheap offers no compare-and-set: a change made elsewhere between our read and our write is lost. Changes
 * through this instance are serialised; across instances the witness's own kill lock has to keep them apart.
 */
public class NamecheapProvider implements DnsProvider {
    /** The TTL range setHosts accepts. */
    static final int MIN_TTL = 60;

    static final int MAX_TTL = 60000;

    private final NamecheapApi api;
    private final NamecheapDomain domain;
    private final int ttl;
    private final Object changes = new Object();

    /**
     * @param endpoint {@code https://api.namecheap.com/xml.response} (the sandbox is {@code
     *     https://api.sandbox.namecheap.com/xml.response}, with its own account)
     * @param clientIp the public IPv4 address the calls come from; it must be whitelisted in the account
     * @param domain the registered domain, {@code example.com}; a TLD of two labels that is not on {@link
     *     NamecheapDomain}'s list is written {@code example|com.pe}
     * @param ttl for the A entries this provider adds, 60 to 60000 seconds (Namecheap's range; anything else is
     *     refused here rather than quietly changed)
     * @param timeout for each API call, answer included
     */
    public NamecheapProvider(
            URI endpoint,
            String apiUser,
            String apiKey,
            String userName,
            String clientIp,
            String domain,
            int ttl,
            Duration timeout) {
        if (ttl < MIN_TTL || ttl > MAX_TTL) {
            throw new IllegalArgumentException(
                    "Namecheap: the TTL must be between " + MIN_TTL + " and " + MAX_TTL + " s, not " + ttl);
        }
        this.api = new NamecheapApi(endpoint, apiUser, apiKey, userName, clientIp, timeout);
        this.domain = NamecheapDomain.parse(domain);
        this.ttl = ttl;
    }

    @Override
    public String name() {
        return "namecheap";
    }

    @Override
    public Set<String> addresses(String record) throws DnsException {
        return hosts().addresses(domain.hostOf(record));
    }

    @Override
    public void add(String record, String address) throws DnsException {
        String host = domain.hostOf(record);
        synchronized (changes) {
            NamecheapHosts hosts = hosts();
            write(hosts, hosts.with(host, address, ttl));
        }
    }

    @Override
    public void remove(String record, String address) throws DnsException {
        String host = domain.hostOf(record);
        synchronized (changes) {
            NamecheapHosts hosts = hosts();
            write(hosts, hosts.without(host, address));
        }
    }

    private NamecheapHosts hosts() throws DnsException {
        return NamecheapHosts.of(api.get(NamecheapApi.GET_HOSTS, domainArguments()));
    }

    private void write(NamecheapHosts before, NamecheapHosts after) throws DnsException {
        if (after == before) {
            return; // already as asked: a setHosts would only risk the rest of the list
        }
        Map<String, String> arguments = domainArguments();
        arguments.putAll(after.parameters());
        NamecheapReply reply = api.post(NamecheapApi.SET_HOSTS, arguments);
        String success = reply.first("DomainDNSSetHostsResult")
                .map(result -> result.attribute("IsSuccess"))
                .orElse("");
        if (!success.equalsIgnoreCase("true")) {
            throw api.http()
                    .failure(
                            "Namecheap did not confirm setHosts for " + domain.name() + " (IsSuccess=\"" + success
                                    + "\"); the host list may be unchanged",
                            true);
        }
    }

    private Map<String, String> domainArguments() {
        Map<String, String> arguments = new LinkedHashMap<>();
        arguments.put("SLD", domain.sld());
        arguments.put("TLD", domain.tld());
        return arguments;
    }
}
