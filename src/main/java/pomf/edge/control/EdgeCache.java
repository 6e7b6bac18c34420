package pomf.edge.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import pomf.edge.entity.CacheStatus;
import pomf.edge.entity.CachedObject;

/**
 * The edge's decisions, nginx's proxy_cache rules: fresh copies are hits; expired ones are revalidated (one request
 * at a time per object, the others answered stale with "updating"); an origin that fails or times out gets the
 * stale copy served (also when it is slow to answer a revalidation); unknown names pass through until min uses, then
 * one fetch fills the cache for everyone.
 */
@ApplicationScoped
public class EdgeCache {
    private static final Logger LOG = Logger.getLogger(EdgeCache.class.getName());

    @Inject
    EdgeSettings settings;

    private EdgeStore store;
    private OriginClient origin;
    private OriginBreaker breaker;
    private ChunkFiller filler;
    private UseCounter uses;
    private Revalidation revalidation;
    private final EdgeCounters counters = new EdgeCounters();
    private final ConcurrentHashMap<String, Long> lastAccess = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Described>> describing = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Answer>> refreshing = new ConcurrentHashMap<>();
    private ExecutorService fetchers;
    private ScheduledExecutorService background;

    @PostConstruct
    void open() {
        if (!settings.enabled()) {
            return;
        }
        store = new EdgeStore(Path.of(settings.cacheDir()).toAbsolutePath(), settings.maxSize(), settings.heapChunks());
        // Payara Micro skips @PreDestroy on SIGTERM: only a closed store survives a restart.
        Runtime.getRuntime().addShutdownHook(new Thread(store::close, "pomf-edge-close"));
        origin = new OriginClient(
                settings.originUrl(), (int) settings.connectTimeout().toMillis(), (int)
                        settings.readTimeout().toMillis());
        breaker = new OriginBreaker(settings.breakerFailures());
        fetchers = Executors.newCachedThreadPool(daemon("pomf-edge-fetch"));
        filler = new ChunkFiller(store, origin, breaker, fetchers, counters);
        uses = new UseCounter(settings.minUses(), settings.inactive().toMillis());
        revalidation = new Revalidation(origin, settings.valid().toMillis());
        background = Executors.newScheduledThreadPool(1, daemon("pomf-edge-background"));
        long probe = Math.max(100, settings.breakerProbe().toMillis());
        background.scheduleWithFixedDelay(this::probe, probe, probe, TimeUnit.MILLISECONDS);
        long sweep = Math.min(60_000, Math.max(1000, settings.inactive().toMillis() / 10));
        background.scheduleWithFixedDelay(this::sweepInactive, sweep, sweep, TimeUnit.MILLISECONDS);
        LOG.info(() -> "edge cache in front of " + settings.originUrl() + ", up to " + settings.maxSize() + " bytes");
    }

    @PreDestroy
    void close() {
        if (store != null) {
            background.shutdownNow();
            fetchers.shutdownNow();
            store.close();
        }
    }

    public boolean enabled() {
        return store != null;
    }

    /** False while the circuit breaker is open (the origin is known to be down). */
    public boolean originUp() {
        return !breaker.open();
    }

    public EdgeCounters counters() {
        return counters;
    }

    public ChunkFiller filler() {
        return filler;
    }

    public OriginClient origin() {
        return origin;
    }

    /** Decides how to answer a GET or HEAD of {@code name}. */
    public Answer answer(String name) {
        if (!store.usable()) {
            return Answer.bypass();
        }
        long now = System.currentTimeMillis();
        Optional<CachedObject> cached = store.object(name);
        if (cached.isPresent()) {
            lastAccess.put(name, now);
            CachedObject object = cached.get();
            return object.fresh(now) ? Answer.serve(CacheStatus.HIT, object) : expired(object);
        }
        if (!uses.reached(name, now)) {
            return Answer.proxied();
        }
        if (breaker.open()) {
            return Answer.error(CacheStatus.MISS, 504);
        }
        Described described = describe(name);
        if (described.object() == null) {
            return Answer.error(CacheStatus.MISS, described.status());
        }
        lastAccess.put(name, now);
        return Answer.serve(CacheStatus.MISS, described.object());
    }

    private Answer expired(CachedObject object) {
        if (breaker.open()) {
            return settings.staleOn("error")
                    ? Answer.serve(CacheStatus.STALE, object)
                    : Answer.error(CacheStatus.STALE, 504);
        }
        if (!settings.revalidate()) {
            store.removeChunks(object);
            Described fresh = describe(object.name());
            return fresh.object() != null ? Answer.serve(CacheStatus.EXPIRED, fresh.object()) : stale(object, "error");
        }
        CompletableFuture<Answer> mine = new CompletableFuture<>();
        CompletableFuture<Answer> running = refreshing.putIfAbsent(object.name(), mine);
        if (running != null) {
            return settings.staleOn("updating") ? Answer.serve(CacheStatus.UPDATING, object) : running.join();
        }
        // The check runs on its own thread and always finishes (its outcome is stored whoever waits for it); this
        // request waits for it only so long, then gets the stale copy, as with nginx's proxy_cache_background_update.
        fetchers.execute(() -> {
            try {
                mine.complete(refresh(object));
            } catch (RuntimeException | Error e) {
                mine.complete(stale(object, "error"));
                throw e;
            } finally {
                refreshing.remove(object.name(), mine);
            }
        });
        try {
            return mine.get(settings.revalidateWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return settings.staleOn("updating") ? Answer.serve(CacheStatus.UPDATING, object) : mine.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return stale(object, "error");
        } catch (ExecutionException e) {
            return stale(object, "error");
        }
    }

    /** One revalidation of an expired copy, and what it means for the store and the breaker. */
    private Answer refresh(CachedObject object) {
        Revalidation.Outcome outcome = revalidation.check(object);
        return switch (outcome.kind()) {
            case NOT_MODIFIED -> {
                store.put(outcome.object());
                breaker.success();
                yield Answer.serve(CacheStatus.REVALIDATED, outcome.object());
            }
            case CHANGED -> {
                store.removeChunks(object);
                store.put(outcome.object());
                breaker.success();
                yield Answer.serve(CacheStatus.EXPIRED, outcome.object());
            }
            case GONE -> {
                purge(object.name());
                yield Answer.error(CacheStatus.EXPIRED, 404);
            }
            case FAILED -> {
                breaker.failure(outcome.situation());
                yield stale(object, outcome.situation());
            }
        };
    }

    private Answer stale(CachedObject object, String situation) {
        return settings.staleOn(situation)
                ? Answer.serve(CacheStatus.STALE, object)
                : Answer.error(CacheStatus.EXPIRED, 502);
    }

    /**
     * Learns an object from the origin with the fetch of its first chunk, once for all concurrent requests; the
     * chunk's bytes stream into a fill that everyone reads.
     */
    private Described describe(String name) {
        CompletableFuture<Described> mine = new CompletableFuture<>();
        CompletableFuture<Described> running = describing.putIfAbsent(name, mine);
        if (running != null) {
            return running.join();
        }
        try {
            Described result = fetchDescription(name);
            mine.complete(result);
            return result;
        } catch (RuntimeException e) {
            mine.complete(new Described(null, 502));
            throw e;
        } finally {
            describing.remove(name, mine);
        }
    }

    /** An object learnt from the origin, or the status to answer when there is none (404, 502, 504). */
    record Described(CachedObject object, int status) {}

    private Described fetchDescription(String name) {
        int chunk = settings.chunkSize();
        try {
            OriginClient.Response response = origin.get(name, "GET", Map.of("Range", "bytes=0-" + (chunk - 1)));
            int status = response.status();
            if (status == 416) {
                response.close();
                response = origin.get(name, "GET", Map.of());
                status = response.status();
            }
            if (status != 200 && status != 206) {
                response.close();
                if (status >= 500 || response.foreignNotFound()) {
                    breaker.failure("http_" + status);
                    return new Described(null, 502);
                }
                breaker.success();
                return new Described(null, status);
            }
            breaker.success();
            long now = System.currentTimeMillis();
            CachedObject object = new CachedObject(
                    name,
                    Optional.ofNullable(response.header("ETag")).orElse("\"\""),
                    Optional.ofNullable(response.header("Last-Modified")).orElse(""),
                    response.totalSize(),
                    chunk,
                    response.keptHeaders(),
                    now,
                    now + settings.valid().toMillis());
            // The fill is registered before the object is visible: whoever finds the object finds its first chunk's
            // fill too, instead of starting a second fetch.
            if (object.size() > 0) {
                filler.adopt(object, response);
            } else {
                response.close();
            }
            store.put(object);
            return new Described(object, 200);
        } catch (IOException e) {
            boolean timeout = e instanceof SocketTimeoutException;
            breaker.failure(timeout ? "timeout" : "error");
            LOG.warning(() -> "origin fetch of " + name + " failed: " + e);
            return new Described(null, timeout ? 504 : 502);
        }
    }

    /** Removes a name from this edge (deleted at the origin). */
    public boolean purge(String name) {
        uses.forget(name);
        lastAccess.remove(name);
        Optional<CachedObject> object = store.object(name);
        object.ifPresent(store::remove);
        return object.isPresent();
    }

    private void probe() {
        if (breaker.open() && origin.reachable()) {
            breaker.success();
        }
    }

    /** proxy_cache_path inactive: objects nobody asked for within the window leave, fresh or not. */
    void sweepInactive() {
        long cutoff = System.currentTimeMillis() - settings.inactive().toMillis();
        store.forEachObject((name, object) -> {
            long accessed = lastAccess.getOrDefault(name, object.storedAtMillis());
            if (accessed < cutoff) {
                store.remove(object);
                lastAccess.remove(name);
            }
        });
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
