package pomf.dns.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The DNS provider named by {@code pomf.witness.dns.provider}, built once from its keys. Only the chosen provider's
 * keys are read, so a Namecheap deployment needs no TSIG secret. Secrets (TSIG secret, API key, token) have no
 * defaults and belong in the environment ({@code POMF_WITNESS_DNS_RFC2136_KEY_SECRET}, ...).
 */
@ApplicationScoped
public class DnsProviders {
    private static final String PREFIX = "pomf.witness.dns.";

    @Inject
    Config config;

    @Inject
    @ConfigProperty(name = "pomf.witness.dns.provider", defaultValue = "none")
    String kind;

    @Inject
    @ConfigProperty(name = "pomf.witness.dns.ttl", defaultValue = "60")
    int ttl;

    @Inject
    @ConfigProperty(name = "pomf.witness.dns.timeout-ms", defaultValue = "5000")
    long timeoutMillis;

    private DnsProvider provider;

    /**
     * The zone the configured provider writes in, when its settings name it (RFC 2136's zone, Namecheap's domain);
     * empty for Cloudflare (a zone id) and for none.
     */
    public Optional<String> zone() {
        return switch (kind.trim().toLowerCase(Locale.ROOT)) {
            case "rfc2136" -> config.getOptionalValue(PREFIX + "rfc2136.zone", String.class);
            case "namecheap" -> config.getOptionalValue(PREFIX + "namecheap.domain", String.class);
            default -> Optional.empty();
        };
    }

    public synchronized DnsProvider provider() {
        if (provider == null) {
            provider = create();
        }
        return provider;
    }

    private DnsProvider create() {
        Duration timeout = Duration.ofMillis(timeoutMillis);
        return switch (kind.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> new LoggingProvider();
            case "rfc2136" ->
                new Rfc2136Provider(
                        server(value("rfc2136.server", "127.0.0.1:53")),
                        required("rfc2136.zone"),
                        required("rfc2136.key-name"),
                        value("rfc2136.key-algorithm", "hmac-sha256"),
                        required("rfc2136.key-secret"),
                        ttl,
                        timeout);
            case "namecheap" ->
                new NamecheapProvider(
                        URI.create(value("namecheap.endpoint", "https://api.namecheap.com/xml.response")),
                        required("namecheap.api-user"),
                        required("namecheap.api-key"),
                        value("namecheap.user-name", required("namecheap.api-user")),
                        required("namecheap.client-ip"),
                        required("namecheap.domain"),
                        ttl,
                        timeout);
            case "cloudflare" ->
                new CloudflareProvider(
                        URI.create(value("cloudflare.api-base", "https://api.cloudflare.com/client/v4")),
                        required("cloudflare.token"),
                        required("cloudflare.zone-id"),
                        ttl,
                        timeout);
            default ->
                throw new IllegalStateException(
                        "pomf.witness.dns.provider must be none, rfc2136, namecheap or cloudflare, not " + kind);
        };
    }

    private String value(String key, String fallback) {
        return config.getOptionalValue(PREFIX + key, String.class).orElse(fallback);
    }

    private String required(String key) {
        try {
            return config.getValue(PREFIX + key, String.class);
        } catch (NoSuchElementException e) {
            throw new IllegalStateException("the " + kind + " DNS provider needs " + PREFIX + key + " (or "
                    + (PREFIX + key).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + " in the environment)");
        }
    }

    /** host:port with a literal address: the witness must not depend on the DNS it is changing. */
    static InetSocketAddress server(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        int port = colon < 0 ? 53 : Integer.parseInt(hostPort.substring(colon + 1));
        return new InetSocketAddress(host, port);
    }
}
