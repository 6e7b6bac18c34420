package pomf.edge.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.roles.control.Roles;
import pomf.upload.control.Expiry;

/** The edge's configuration ({@code pomf.roles} and {@code pomf.edge.*}), with nginx's directive in each comment. */
@ApplicationScoped
public class EdgeSettings {
    /** 1 MiB − 1 KiB: Ehcache rounds disk allocations up to a power of two, so this fits a 1 MiB slot. */
    public static final int DEFAULT_CHUNK = 1_047_552;

    @Inject
    Roles roles;

    @Inject
    @ConfigProperty(name = "pomf.edge.origin-url")
    Optional<String> originUrl;

    /** proxy_cache_path ... (a folder of its own per instance: Ehcache locks it). */
    @Inject
    @ConfigProperty(name = "pomf.edge.cache-dir", defaultValue = "data/edge-cache")
    String cacheDir;

    /** proxy_cache_path max_size. */
    @Inject
    @ConfigProperty(name = "pomf.edge.max-size", defaultValue = "1073741824")
    long maxSize;

    /** Chunks kept on the heap as well (the hottest ones, by Ehcache's eviction). */
    @Inject
    @ConfigProperty(name = "pomf.edge.heap-chunks", defaultValue = "64")
    int heapChunks;

    /** proxy_cache_path inactive. */
    @Inject
    @ConfigProperty(name = "pomf.edge.inactive", defaultValue = "1d")
    String inactive;

    /** proxy_cache_valid 200 206 302. */
    @Inject
    @ConfigProperty(name = "pomf.edge.valid", defaultValue = "10m")
    String valid;

    /** proxy_cache_min_uses. */
    @Inject
    @ConfigProperty(name = "pomf.edge.min-uses", defaultValue = "2")
    int minUses;

    /** proxy_cache_use_stale. */
    @Inject
    @ConfigProperty(
            name = "pomf.edge.use-stale",
            defaultValue = "error,timeout,updating,http_500,http_502,http_503,http_504")
    String useStale;

    /** proxy_cache_revalidate. */
    @Inject
    @ConfigProperty(name = "pomf.edge.revalidate", defaultValue = "true")
    boolean revalidate;

    /**
     * How long the request that finds an expired copy waits for its revalidation before it is answered with that
     * copy (UPDATING) while the check finishes in the background; 0 never waits (nginx's background update).
     */
    @Inject
    @ConfigProperty(name = "pomf.edge.revalidate-wait", defaultValue = "1s")
    String revalidateWait;

    /** proxy_read_timeout: between two reads from the origin, not for the whole response. */
    @Inject
    @ConfigProperty(name = "pomf.edge.read-timeout", defaultValue = "90s")
    String readTimeout;

    /** proxy_connect_timeout. */
    @Inject
    @ConfigProperty(name = "pomf.edge.connect-timeout", defaultValue = "5s")
    String connectTimeout;

    @Inject
    @ConfigProperty(name = "pomf.edge.chunk-size", defaultValue = "" + DEFAULT_CHUNK)
    int chunkSize;

    /** Consecutive origin failures that open the circuit breaker. */
    @Inject
    @ConfigProperty(name = "pomf.edge.breaker-failures", defaultValue = "3")
    int breakerFailures;

    /** How often an open breaker probes the origin. */
    @Inject
    @ConfigProperty(name = "pomf.edge.breaker-probe", defaultValue = "2s")
    String breakerProbe;

    private Set<String> staleCases;

    @PostConstruct
    void read() {
        staleCases = split(useStale);
    }

    public boolean enabled() {
        return roles.edge();
    }

    public String originUrl() {
        String url = originUrl.orElseThrow(
                () -> new IllegalStateException("pomf.edge.origin-url is required for the edge role"));
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public String cacheDir() {
        return cacheDir;
    }

    public long maxSize() {
        return maxSize;
    }

    public int heapChunks() {
        return heapChunks;
    }

    public Duration inactive() {
        return duration(inactive);
    }

    public Duration valid() {
        return duration(valid);
    }

    public int minUses() {
        return Math.max(1, minUses);
    }

    /** One of nginx's proxy_cache_use_stale cases: error, timeout, updating, http_500, ... */
    public boolean staleOn(String situation) {
        return staleCases.contains(situation);
    }

    public boolean revalidate() {
        return revalidate;
    }

    public Duration revalidateWait() {
        return duration(revalidateWait);
    }

    public Duration readTimeout() {
        return duration(readTimeout);
    }

    public Duration connectTimeout() {
        return duration(connectTimeout);
    }

    public int chunkSize() {
        return chunkSize;
    }

    public int breakerFailures() {
        return Math.max(1, breakerFailures);
    }

    public Duration breakerProbe() {
        return duration(breakerProbe);
    }

    private static Duration duration(String value) {
        return Expiry.parse(value).orElse(Duration.ZERO);
    }

    private static Set<String> split(String csv) {
        return Arrays.stream(csv.split("[,\\s]+"))
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }
}
