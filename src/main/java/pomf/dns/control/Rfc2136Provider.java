package pomf.dns.control;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * RFC 2136 dynamic updates signed with TSIG (BIND, PowerDNS, Knot, Windows DNS). Every message, the confirming query
 * too, goes over TCP straight to the zone's primary and is signed, so {@link #addresses} is the primary's own,
 * authenticated answer and never a cache's. An update adds or deletes exactly one A RR, which the protocol already
 * makes idempotent: adding a present RR and deleting an absent one both succeed without a change.
 */
public final class Rfc2136Provider implements DnsProvider {
    private static final Logger LOG = Logger.getLogger(Rfc2136Provider.class.getName());
    // Host names only: an escape or a wildcard in configuration is a mistake, not a record we should touch.
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.?");

    private final Name zone;
    private final int ttl;
    private final SimpleResolver resolver;
    private final Rfc2136Verdict verdict;

    public Rfc2136Provider(
            InetSocketAddress server,
            String zone,
            String keyName,
            String algorithm,
            String secretBase64,
            int ttl,
            Duration timeout) {
        Objects.requireNonNull(server, "server");
        if (server.isUnresolved()) {
            throw new IllegalArgumentException("the DNS server must be an IP address: " + server.getHostString());
        }
        if (ttl < 0) {
            throw new IllegalArgumentException("negative TTL: " + ttl);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive: " + timeout);
        }
        this.zone = absolute(zone, "zone");
        this.ttl = ttl;
        Name key = absolute(keyName, "TSIG key name");
        Name alg = TSIG.algorithmToName(Objects.requireNonNull(algorithm, "algorithm"));
        resolver = new SimpleResolver(server);
        // TCP: a refused connection tells at once that the server is down, and no answer is ever truncated.
        resolver.setTCP(true);
        resolver.setTimeout(timeout);
        resolver.setTSIGKey(new TSIG(alg, key, secret(secretBase64)));
        verdict = new Rfc2136Verdict(server, this.zone, key, alg, timeout);
    }

    @Override
    public String name() {
        return "rfc2136";
    }

    @Override
    public Set<String> addresses(String record) throws DnsException {
        Name name = inZone(record);
        String action = "querying the A records of " + name.toString(true);
        Message response = send(Message.newQuery(Record.newRecord(name, Type.A, DClass.IN)), action);
        verdict.check(response, action);
        SortedSet<String> addresses = new TreeSet<>();
        for (Record answer : response.getSection(Section.ANSWER)) {
            if (answer instanceof ARecord a && a.getName().equals(name)) {
                addresses.add(a.getAddress().getHostAddress());
            }
        }
        return Collections.unmodifiableSortedSet(addresses);
    }

    @Override
    public void add(String record, String address) throws DnsException {
        ARecord rr = new ARecord(inZone(record), DClass.IN, ttl, Ipv4Literal.parse(address));
        Update update = new Update(zone);
        update.add(rr);
        change(update, "adding " + address + " to " + rr.getName().toString(true));
    }

    @Override
    public void remove(String record, String address) throws DnsException {
        InetAddress ip = Ipv4Literal.parse(address);
        Name name = inZone(record);
        Update update = new Update(zone);
        // Deletes this one RR (class NONE), never the whole set: the other edges stay in the round robin.
        update.delete(new ARecord(name, DClass.IN, 0, ip));
        change(update, "removing " + address + " from " + name.toString(true));
    }

    private void change(Update update, String action) throws DnsException {
        verdict.check(send(update, action), action);
        LOG.fine(() -> action + ": done");
    }

    private Message send(Message message, String action) throws DnsException {
        try {
            return resolver.send(message);
        } catch (IOException e) {
            throw verdict.unreachable(action, e);
        }
    }

    private Name inZone(String record) {
        Name name = absolute(record, "record");
        if (!name.subdomain(zone)) {
            throw new IllegalArgumentException("record " + record + " is outside zone " + zone);
        }
        return name;
    }

    private static Name absolute(String text, String what) {
        if (text == null || !HOST_NAME.matcher(text).matches()) {
            throw new IllegalArgumentException("not a valid " + what + ": " + text);
        }
        try {
            return Name.fromString(text, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a valid " + what + ": " + text, e);
        }
    }

    private static byte[] secret(String base64) {
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(Objects.requireNonNull(base64, "TSIG secret"));
        } catch (IllegalArgumentException e) {
            // Not chained: the decoder's message may quote part of the secret.
            throw new IllegalArgumentException("the TSIG secret is not valid base64");
        }
        if (secret.length == 0) {
            throw new IllegalArgumentException("the TSIG secret is empty");
        }
        return secret;
    }
}
