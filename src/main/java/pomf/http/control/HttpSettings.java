package pomf.http.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The service's address as its users see it ({@code pomf.public-url}) and how a client's own address is read
 * ({@code pomf.trusted-proxies}, {@code pomf.ipv6-prefix-length}): read once here for every feature.
 */
@ApplicationScoped
public class HttpSettings {
    @Inject
    @ConfigProperty(name = "pomf.public-url", defaultValue = "http://127.0.0.1:8080")
    String publicUrl;

    /** Proxies (addresses or CIDR ranges) whose X-Forwarded-For is believed. */
    @Inject
    @ConfigProperty(name = "pomf.trusted-proxies")
    Optional<String> trustedProxies;

    /** IPv6 clients are told apart by this many leading bits (a home or phone gets a whole /64). */
    @Inject
    @ConfigProperty(name = "pomf.ipv6-prefix-length", defaultValue = "64")
    int ipv6PrefixLength;

    private String base;
    private ClientAddress clientAddress;

    @PostConstruct
    void init() {
        base = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        clientAddress = new ClientAddress(
                Arrays.stream(trustedProxies.orElse("").split("[,\\s]+"))
                        .filter(s -> !s.isBlank())
                        .toList(),
                ipv6PrefixLength);
    }

    /** An absolute URL of this service for {@code path} (which starts with a slash). */
    public String serviceUrl(String path) {
        return base + path;
    }

    public ClientAddress clientAddress() {
        return clientAddress;
    }
}
