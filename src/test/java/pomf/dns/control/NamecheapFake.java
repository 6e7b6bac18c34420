package pomf.dns.control;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Namecheap's XML API for one domain, as documented and as it behaves: {@code namecheap.domains.dns.getHosts} and
 * {@code setHosts} (GET query or POST form, parameter names in any case), ApiUser/ApiKey/UserName checks, a ClientIp
 * whitelist, every error as HTTP 200 with {@code Status="ERROR"} and a number, lower-case {@code <host>} tags with
 * HostId/HostID in mixed case, and setHosts replacing the whole list. Plain HTTP on 127.0.0.1, a free port.
 *
 * <p>Faults for the next calls: an HTTP status (with an error page that echoes the request URL, key included, as
 * some servers' do), an API error, or any body. Counters per command, and the last request of each.
 */
public final class NamecheapFake implements AutoCloseable {
    public record Host(String hostId, String name, String type, String address, String mxPref, int ttl) {}

    /** What a request carried; parameter names compare without case. */
    public record Request(String method, String contentType, Map<String, String> parameters) {}

    private final String sld;
    private final String tld;
    private final String apiUser;
    private final String apiKey;
    private final String userName;
    private final Set<String> whitelist = ConcurrentHashMap.newKeySet();
    private final NamecheapFakeZone zone = new NamecheapFakeZone();
    private final NamecheapFakeFaults faults = new NamecheapFakeFaults();
    private final Map<String, Integer> calls = new ConcurrentHashMap<>();
    private final Map<String, Request> last = new ConcurrentHashMap<>();
    private final FakeHttp http;
    private volatile boolean usingOurDns = true;

    private NamecheapFake(String sld, String tld, String apiUser, String apiKey, String userName) {
        this.sld = sld;
        this.tld = tld;
        this.apiUser = apiUser;
        this.apiKey = apiKey;
        this.userName = userName;
        this.http = new FakeHttp("/xml.response", this::handle);
    }

    /** A fake holding {@code sld.tld}, say {@code ("example", "co.uk")}, with no whitelisted IP yet. */
    public static NamecheapFake start(String sld, String tld, String apiUser, String apiKey, String userName) {
        return new NamecheapFake(sld, tld, apiUser, apiKey, userName);
    }

    /** {@code http://127.0.0.1:PORT/xml.response}, the provider's endpoint. */
    public URI endpoint() {
        return URI.create(http.base() + "/xml.response");
    }

    public NamecheapFake whitelist(String clientIp) {
        whitelist.add(clientIp);
        return this;
    }

    /** Adds an entry as the dashboard would (a new HostId, the name in lower case). */
    public NamecheapFake host(String name, String type, String address, String mxPref, int ttl) {
        zone.add(name, type, address, mxPref, ttl);
        return this;
    }

    public NamecheapFake host(String name, String type, String address) {
        return host(name, type, address, "10", 1800);
    }

    public List<Host> hosts() {
        return zone.hosts();
    }

    public String emailType() {
        return zone.emailType();
    }

    public NamecheapFake emailType(String emailType) {
        zone.emailType(emailType);
        return this;
    }

    /** Off: the domain uses other name servers, and the DNS commands fail with 2030288. */
    public NamecheapFake usingOurDns(boolean using) {
        usingOurDns = using;
        return this;
    }

    public NamecheapFakeFaults faults() {
        return faults;
    }

    /** Requests that named the command, {@code getHosts} or {@code setHosts}, whatever their outcome. */
    public int calls(String command) {
        return calls.getOrDefault(shortName(command), 0);
    }

    public Request lastRequest(String command) {
        return last.get(shortName(command));
    }

    @Override
    public void close() {
        http.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> parameters = parameters(exchange);
            String command = parameters.getOrDefault("Command", "");
            String name = shortName(command);
            calls.merge(name, 1, Integer::sum);
            last.put(
                    name,
                    new Request(
                            exchange.getRequestMethod(),
                            exchange.getRequestHeaders().getFirst("Content-Type"),
                            parameters));
            NamecheapFakeFaults.Fault fault = faults.next();
            if (fault != null && fault.slow()) {
                sleep(fault.delay());
            } else if (fault != null) {
                respond(exchange, fault.status(), fault.body(command, exchange.getRequestURI()));
                return;
            }
            respond(exchange, 200, answer(command, parameters));
        }
    }

    private String answer(String command, Map<String, String> p) {
        String refusal = NamecheapFakeAuth.check(p, apiUser, apiKey, userName, whitelist);
        if (refusal != null) {
            int space = refusal.indexOf(' ');
            return NamecheapFakeXml.error(command, refusal.substring(0, space), refusal.substring(space + 1));
        }
        if (!sld.equalsIgnoreCase(p.getOrDefault("SLD", "")) || !tld.equalsIgnoreCase(p.getOrDefault("TLD", ""))) {
            return NamecheapFakeXml.error(command, "2019166", "Domain not found");
        }
        if (!usingOurDns) {
            return NamecheapFakeXml.error(
                    command, "2030288", "Cannot complete this command as this domain is not using proper DNS servers");
        }
        String domain = sld + "." + tld;
        switch (shortName(command)) {
            case "gethosts":
                return NamecheapFakeXml.ok(command, NamecheapFakeXml.hosts(domain, zone.emailType(), zone.hosts()));
            case "sethosts":
                if (faults.takeUnconfirmed()) {
                    return NamecheapFakeXml.ok(command, NamecheapFakeXml.setHostsResult(domain, false));
                }
                String invalid = zone.set(p);
                return invalid == null
                        ? NamecheapFakeXml.ok(command, NamecheapFakeXml.setHostsResult(domain, true))
                        : NamecheapFakeXml.error(command, NamecheapFakeZone.INVALID_REQUEST, invalid);
            default:
                return NamecheapFakeXml.error(command, NamecheapFakeZone.INVALID_REQUEST, "Unknown command");
        }
    }

    private static Map<String, String> parameters(HttpExchange exchange) throws IOException {
        Map<String, String> parameters = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        FakeHttp.decode(exchange.getRequestURI().getRawQuery(), parameters);
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
            FakeHttp.decode(FakeHttp.body(exchange), parameters);
        }
        return parameters;
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        FakeHttp.respond(exchange, status, "text/xml; charset=utf-8", body);
    }

    /** {@code namecheap.domains.dns.getHosts} → {@code gethosts}: counters and faults do not care about the case. */
    private static String shortName(String command) {
        return command.substring(command.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    }
}
