package pomf.edge.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.http.control.EdgeLink;
import pomf.roles.control.Roles;
import pomf.time.control.Durations;

/**
 * The edge's configuration ({@code pomf.roles} and {@code pomf.edge.*}), with nginx's directive in each comment.
 * Read and parsed once at startup: the request path only reads plain fields.
 */
@ApplicationScoped
public class EdgeSettings {
    /** 1 MiB − 1 KiB: Ehcache rounds disk allocations up to a power of two, so this fits a 1 MiB slot. */
    public static final int DEFAULT_CHUNK = 1_047_552;

    @Inject
    Roles roles;

    /** The origin's URL and the secret edges and origin share: purges, and proof of an edge's own fetches. */
    @Inject
    EdgeLink link;

    /** proxy_cache_path ... (a folder of its own per instance: Ehcache locks it). */
    @Inject
    @ConfigProperty(name = "pomf.edge.cache-dir", defaultValue = "data/edge-cache")
    String cacheDir;

    /** proxy_cache_path max_size. */
    @Inject
    @ConfigProperty(name = "pomf.edge.max-size", defaultValue = "1073741824")
    long maxSize;

    /**
     * Disk beside max-size for plain-file copies of large hot objects, which the listener sends from the page cache
     * ({@link HotFiles}): bytes; 0 keeps none (their hits are written from the chunks); -1, the default, a quarter of
     * max-size.
     */
    @Inject
    @ConfigProperty(name = "pomf.edge.file-copies-size", defaultValue = "-1")
    long fileCopiesSize;

    /**
     * proxy_cache_path min_free, held as a floor: with fewer free bytes on the cache's disk the store serves what it
     * holds and keeps nothing new until space comes back (0: write until the disk is full).
     */
    @Inject
    @ConfigProperty(name = "pomf.edge.min-free", defaultValue = "268435456")
    long minFree;

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

    /**
     * Distinct names per inactive window that min-uses tells apart closely: 8 bytes each, fixed whatever names clients
     * make up. Up to about a fifth of it, 1 in 100 names asked once is stored at once (as if asked twice); more, more.
     */
    @Inject
    @ConfigProperty(name = "pomf.edge.min-uses-names", defaultValue = "" + UseCounter.DEFAULT_NAMES)
    int minUsesNames;

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

    /** Threads fetching from the origin at most: each runs one streaming fetch (the rest queue). */
    @Inject
    @ConfigProperty(name = "pomf.edge.fill-threads", defaultValue = "32")
    int fillThreads;

    /**
     * Connections one object may be fetched on at once. A fetch that would take more than a second on one
     * connection (an origin far away or slow per connection) hands half of what is left to another, up to this many.
     */
    @Inject
    @ConfigProperty(name = "pomf.edge.fill-connections", defaultValue = "4")
    int fillConnections;

    /**
     * How far (bytes) a fill may run ahead of the furthest byte a client asked for; a fill nobody reads any more stops
     * there, so a seek in a large video that is abandoned does not fetch the whole video.
     */
    @Inject
    @ConfigProperty(name = "pomf.edge.fill-ahead", defaultValue = "67108864")
    long fillAhead;

    /**
     * Requests this edge may have at the origin waiting for their answer's head at once (the origin's lookup of the
     * name); the rest wait in line, holding no thread, at most {@code connect-timeout} (then 503). Bodies stream
     * outside the lanes. Bounds what a flood of made-up names costs the origin (nginx: {@code max_conns} and
     * {@code queue} on the upstream server).
     */
    @Inject
    @ConfigProperty(name = "pomf.edge.origin-lanes", defaultValue = "8")
    int originLanes;

    /**
     * Small fresh hits answered by the HTTP listener itself, before the servlet container (the same answer, a fifth of
     * the work); off sends every request through the servlet filter.
     */
    @Inject
    @ConfigProperty(name = "pomf.edge.fast-hits", defaultValue = "true")
    boolean fastHits;

    /**
     * How often an edge reads the origin's list of ban changes, to catch up on takedowns whose purge it missed (it was
     * stopped, or cut off from the origin): the longest a missed takedown is still served.
     */
    @Inject
    @ConfigProperty(name = "pomf.edge.takedown-sync", defaultValue = "30s")
    String takedownSync;

    private Set<StaleCase> staleCases;
    private boolean enabled;
    private Duration takedownSyncDuration;
    private Duration inactiveDuration;
    private Duration validDuration;
    private Duration revalidateWaitDuration;
    private Duration readTimeoutDuration;
    private Duration connectTimeoutDuration;
    private Duration breakerProbeDuration;

    @PostConstruct
    void read() {
        staleCases = StaleCase.parse(useStale);
        enabled = roles.edge();
        inactiveDuration = duration(inactive);
        validDuration = duration(valid);
        revalidateWaitDuration = duration(revalidateWait);
        readTimeoutDuration = duration(readTimeout);
        connectTimeoutDuration = duration(connectTimeout);
        breakerProbeDuration = duration(breakerProbe);
        takedownSyncDuration = duration(takedownSync);
    }

    public Duration takedownSync() {
        return takedownSyncDuration;
    }

    public boolean enabled() {
        return enabled;
    }

    public String originUrl() {
        String url = link.originUrl()
                .orElseThrow(() -> new IllegalStateException("pomf.edge.origin-url is required for the edge role"));
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public Optional<String> purgeToken() {
        return link.token();
    }

    public String cacheDir() {
        return cacheDir;
    }

    public long maxSize() {
        return maxSize;
    }

    public long fileCopiesSize() {
        return fileCopiesSize < 0 ? maxSize / 4 : fileCopiesSize;
    }

    public long minFree() {
        return Math.max(0, minFree);
    }

    public int heapChunks() {
        return heapChunks;
    }

    public Duration inactive() {
        return inactiveDuration;
    }

    public Duration valid() {
        return validDuration;
    }

    public int minUses() {
        return Math.max(1, minUses);
    }

    public int minUsesNames() {
        return Math.max(1, minUsesNames);
    }

    /** Whether an old copy is answered in this proxy_cache_use_stale case (never for null: no case). */
    public boolean staleOn(StaleCase situation) {
        return situation != null && staleCases.contains(situation);
    }

    public boolean revalidate() {
        return revalidate;
    }

    public Duration revalidateWait() {
        return revalidateWaitDuration;
    }

    public Duration readTimeout() {
        return readTimeoutDuration;
    }

    public Duration connectTimeout() {
        return connectTimeoutDuration;
    }

    public int chunkSize() {
        return chunkSize;
    }

    public int breakerFailures() {
        return Math.max(1, breakerFailures);
    }

    public Duration breakerProbe() {
        return breakerProbeDuration;
    }

    public int fillThreads() {
        return Math.max(1, fillThreads);
    }

    public int originLanes() {
        return Math.max(1, originLanes);
    }

    public int fillConnections() {
        return Math.max(1, fillConnections);
    }

    public boolean fastHits() {
        return fastHits;
    }

    public long fillAhead() {
        return Math.max(chunkSize, fillAhead);
    }

    private static Duration duration(String value) {
        return Durations.parse(value).orElse(Duration.ZERO);
    }
}
