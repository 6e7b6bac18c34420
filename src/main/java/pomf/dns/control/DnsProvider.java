package pomf.dns.control;

import java.util.Set;

/**
 * One DNS provider's view of round-robin A record sets. Every operation is idempotent (adding a present address or
 * removing an absent one succeeds) and touches only the one address of the one record: every other record of the
 * zone stays as it was.
 */
public interface DnsProvider {

    /** A short name for logs: rfc2136, namecheap, cloudflare, none. */
    String name();

    /**
     * The IPv4 addresses of the record's A set as the provider holds them now, read from the provider itself (not
     * a cache), so that a change can be confirmed.
     *
     * @param record a fully qualified host name without the trailing dot, such as {@code cdn.example.com}
     */
    Set<String> addresses(String record) throws DnsException;

    /** Adds one address to the record's A set (nothing happens when it is already there). */
    void add(String record, String address) throws DnsException;

    /** Removes one address from the record's A set (nothing happens when it is not there). */
    void remove(String record, String address) throws DnsException;
}
