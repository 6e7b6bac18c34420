package pomf.http.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What ties edges to their origin, read once for every role: the origin's URL (on an edge) and the secret they
 * share ({@code POMF_EDGE_PURGE_TOKEN}), which the origin's purges carry as a bearer token and an edge's own fetches
 * in {@link #FETCH_HEADER}, so that the origin never throttles nor caps them and another edge lets them through.
 */
@ApplicationScoped
public class EdgeLink {
    /**
     * Marks a request as an edge's fetch for its cache; its value is the shared token (a bare marker let any client
     * bypass a cache).
     */
    public static final String FETCH_HEADER = "X-Pomf-Edge-Fetch";

    @Inject
    @ConfigProperty(name = "pomf.edge.origin-url")
    Optional<String> originUrl;

    @Inject
    @ConfigProperty(name = "pomf.edge.purge-token")
    Optional<String> purgeToken;

    private String token;

    public EdgeLink() {}

    /** For plain-Java tests: the link as configured. */
    public EdgeLink(String originUrl, String token) {
        this.originUrl = Optional.ofNullable(originUrl);
        this.purgeToken = Optional.ofNullable(token);
        init();
    }

    @PostConstruct
    void init() {
        token = purgeToken.filter(s -> !s.isBlank()).orElse(null);
    }

    /** The bean itself rather than its client proxy, for the request path to call directly. */
    public EdgeLink instance() {
        return this;
    }

    /** The origin's URL as configured ({@code pomf.edge.origin-url}), blank as empty. */
    public Optional<String> originUrl() {
        return originUrl.filter(s -> !s.isBlank());
    }

    public Optional<String> token() {
        return Optional.ofNullable(token);
    }

    /** Whether a request's {@link #FETCH_HEADER} value proves it is an edge's fetch; never without a token. */
    public boolean fetchedByAnEdge(String header) {
        return header != null && token != null && Bearer.same(header, token);
    }

    /** Whether an {@code Authorization} header carries the shared token, as the origin's purges send it. */
    public boolean authorizes(String authorization) {
        return Bearer.carries(authorization, token);
    }
}
