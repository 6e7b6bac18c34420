package pomf.edge.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import pomf.edge.entity.CachedObject;
import pomf.http.entity.OriginHeaders;
import pomf.threads.control.Threads;
import pomf.traffic.control.TrafficRecorder;
import pomf.traffic.entity.CacheStatus;

/**
 * The edge's decisions, nginx's proxy_cache rules: fresh copies are hits; expired ones are revalidated (one request
 * at a time per object, the others answered stale with "updating"); an origin that fails or times out gets the
 * stale copy served (also when it is slow to answer a revalidation); unknown names pass through until min uses (and
 * while the origin is behind with describing others), then one fetch fills the cache for everyone. Nothing here waits
 * for the origin on a request's thread: what needs the origin is answered later ({@link Answer#later()}).
 */
@ApplicationScoped
public class EdgeCache {
    private static final Logger LOG = Logger.getLogger(EdgeCache.class.getName());
    private static final Answer PROXIED = Answer.proxied();
    private static final Answer BYPASS = Answer.bypass();
    /**
     * Descriptions waiting for the origin, at most, per fetch thread: names asked for faster than the origin answers
     * them (made up, mostly, each a 404) pass through beyond, still answered right, instead of queueing without end.
     */
    private static final int DESCRIBING_PER_THREAD = 64;
    /** RFC 7725: what a link whose content is banned answers, here and at the origin. */
    public static final int UNAVAILABLE_FOR_LEGAL_REASONS = 451;

    @Inject
    EdgeSettings settings;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    TrafficRecorder records;

    private EdgeStore store;
    private OriginClient origin;
    private OriginBreaker breaker;
    private Filler filler;
    private UseCounter uses;
    private Revalidation revalidation;
    private PassthroughClient passthrough;
    private EdgeCounters counters = new EdgeCounters();
    private final ConcurrentHashMap<String, AtomicLong> lastAccess = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Described>> describing = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Answer>> refreshing = new ConcurrentHashMap<>();
    private int describingLimit;
    private ThreadPoolExecutor fetchers;
    private ThreadPoolExecutor wakeups;
    private OriginLanes lanes;
    private ScheduledExecutorService background;
    private ScheduledExecutorService takedownSync;
    private TakedownFeed takedowns;
    private HotFiles hotFiles;
    private LongSupplier clock = System::currentTimeMillis;

    /**
     * What the edge's core works with: its store, the origin (lanes, client, breaker) and what fetches from it, the
     * use counts, revalidation, the pass-through client, file copies, the takedown feed, its threads, its counters
     * and its clock (milliseconds, as {@link System#currentTimeMillis()} counts them). {@link #of} makes the parts
     * the settings describe; a test may make its own.
     */
    public record Parts(
            EdgeStore store,
            OriginLanes lanes,
            OriginClient origin,
            OriginBreaker breaker,
            Filler filler,
            UseCounter uses,
            Revalidation revalidation,
            PassthroughClient passthrough,
            HotFiles hotFiles,
            TakedownFeed takedowns,
            ThreadPoolExecutor fetchers,
            ThreadPoolExecutor wakeups,
            ScheduledExecutorService background,
            ScheduledExecutorService takedownSync,
            EdgeCounters counters,
            LongSupplier clock) {
        /** The parts {@code settings} describe, on threads from {@code threads}: what the container's edge runs on. */
        public static Parts of(EdgeSettings settings, ThreadFactory threads) {
            EdgeStore store = new EdgeStore(
                    Path.of(settings.cacheDir()).toAbsolutePath(),
                    settings.maxSize(),
                    settings.heapChunks(),
                    settings.minFree());
            String fetchToken = settings.purgeToken().orElse(null);
            ThreadPoolExecutor wakeups = pool(
                    threads, "pomf-edge-write", Math.max(2, Runtime.getRuntime().availableProcessors()));
            OriginLanes lanes = new OriginLanes(
                    settings.originLanes(), settings.connectTimeout().toMillis(), wakeups);
            OriginClient origin = new OriginClient(
                    settings.originUrl(),
                    (int) settings.connectTimeout().toMillis(),
                    (int) settings.readTimeout().toMillis(),
                    fetchToken,
                    lanes);
            OriginBreaker breaker = new OriginBreaker(settings.breakerFailures());
            // Each origin fetch holds a thread while it streams (bounded; the rest queue); answers hold none.
            ThreadPoolExecutor fetchers = pool(threads, "pomf-edge-fetch", settings.fillThreads());
            EdgeCounters counters = new EdgeCounters();
            Filler filler = new Filler(store, origin, breaker, fetchers, counters, settings.fillConnections(), (int)
                    Math.max(1, settings.fillAhead() / settings.chunkSize()));
            ScheduledExecutorService background =
                    new ScheduledThreadPoolExecutor(1, Threads.named(threads, "pomf-edge-background"));
            return new Parts(
                    store,
                    lanes,
                    origin,
                    breaker,
                    filler,
                    new UseCounter(settings.minUses(), settings.inactive().toMillis(), settings.minUsesNames()),
                    new Revalidation(origin, settings.valid().toMillis()),
                    new PassthroughClient(
                            settings.originUrl(),
                            settings.connectTimeout(),
                            settings.readTimeout(),
                            fetchToken,
                            lanes,
                            wakeups,
                            background),
                    new HotFiles(
                            Path.of(settings.cacheDir()).toAbsolutePath().resolve("file-copies"),
                            settings.fileCopiesSize(),
                            HotFiles.MEMORY_LIMIT,
                            filler::stored,
                            background,
                            store.room()::roomFor),
                    new TakedownFeed(
                            settings.originUrl(), fetchToken, Path.of(settings.cacheDir()), settings.connectTimeout()),
                    fetchers,
                    wakeups,
                    background,
                    new ScheduledThreadPoolExecutor(1, Threads.named(threads, "pomf-edge-takedowns")),
                    counters,
                    System::currentTimeMillis);
        }

        private static ThreadPoolExecutor pool(ThreadFactory threads, String name, int size) {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(
                    size, size, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), Threads.named(threads, name));
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }

    /** For the container, which injects the settings and calls {@link #open()}. */
    protected EdgeCache() {}

    /** The edge's core over {@code parts}, started: its timers run and it answers at once. */
    public EdgeCache(EdgeSettings settings, Parts parts) {
        this.settings = settings;
        start(parts);
    }

    @PostConstruct
    void open() {
        if (!settings.enabled()) {
            return;
        }
        Parts parts = Parts.of(settings, threads);
        parts.counters().onFromOrigin(records.instance()::edgeFromOrigin); // bytes fetched, for the traffic records
        // Payara Micro skips @PreDestroy on SIGTERM: only a closed store survives a restart.
        Threads.atShutdown("pomf-edge-close", parts.store()::close);
        start(parts);
    }

    private void start(Parts parts) {
        store = parts.store();
        lanes = parts.lanes();
        origin = parts.origin();
        breaker = parts.breaker();
        filler = parts.filler();
        uses = parts.uses();
        revalidation = parts.revalidation();
        passthrough = parts.passthrough();
        hotFiles = parts.hotFiles();
        takedowns = parts.takedowns();
        fetchers = parts.fetchers();
        wakeups = parts.wakeups();
        background = parts.background();
        takedownSync = parts.takedownSync();
        counters = parts.counters();
        clock = parts.clock();
        describingLimit = DESCRIBING_PER_THREAD * fetchers.getMaximumPoolSize();
        // Before the first request: a takedown missed while this edge was down must not be served from its warm store.
        catchUpTakedowns();
        long sync = Math.max(1000, settings.takedownSync().toMillis());
        takedownSync.scheduleWithFixedDelay(this::catchUpTakedowns, sync, sync, TimeUnit.MILLISECONDS);
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
            takedownSync.shutdownNow();
            fetchers.shutdownNow();
            wakeups.shutdownNow();
            store.close();
        }
    }

    /** The bean itself rather than its client proxy, for the request path to call directly. */
    public EdgeCache instance() {
        return this;
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

    public Filler filler() {
        return filler;
    }

    /** The lanes this edge's requests to the origin wait their heads in. */
    public OriginLanes lanes() {
        return lanes;
    }

    public PassthroughClient passthrough() {
        return passthrough;
    }

    /** Where answers waiting for bytes are pumped from when the bytes arrive (never a fetching thread). */
    public Executor wakeups() {
        return wakeups;
    }

    /** The object stored under {@code name} now, if any (for a pass-through that may join a fill). */
    public CachedObject stored(String name) {
        return store.usable() ? store.object(name) : null;
    }

    /**
     * The stored copy of {@code name} when it is fresh (a plain hit, as {@link #answer} would decide it), else null and
     * nothing changed: for the listener's fast path, which hands every other case to {@link #answer}.
     */
    public CachedObject freshHit(String name) {
        if (!store.usable()) {
            return null;
        }
        CachedObject cached = store.object(name);
        long now = clock.getAsLong();
        if (cached == null || !cached.fresh(now) || takedowns.takenDown(name)) {
            return null;
        }
        touch(name, now);
        return cached;
    }

    /** Plain-file copies of large hot objects, which the listener sends from the page cache. */
    public HotFiles hotFiles() {
        return hotFiles;
    }

    /** Whether small fresh hits may be answered by the listener in front of the servlet container. */
    public boolean fastHits() {
        return settings.fastHits();
    }

    /**
     * Decides how to answer a GET or HEAD of {@code name} whose body starts at {@code firstByte} (0 for the whole
     * object) and ends at {@code lastByte} (-1 for the end of the object): at once for hits and pass-throughs, later
     * for what needs the origin.
     */
    public Answer answer(String name, long firstByte, long lastByte) {
        if (takedowns.takenDown(name)) {
            return Answer.error(CacheStatus.HIT, UNAVAILABLE_FOR_LEGAL_REASONS);
        }
        if (!store.usable()) {
            return BYPASS;
        }
        long now = clock.getAsLong();
        CachedObject cached = store.object(name);
        if (cached != null) {
            touch(name, now);
            return cached.fresh(now) ? Answer.serve(CacheStatus.HIT, cached) : expired(cached);
        }
        if (!store.writable()) {
            return BYPASS; // the disk is under min-free: what is stored is served, nothing new is kept
        }
        if (!uses.reached(name, now)) {
            return PROXIED;
        }
        if (breaker.open()) {
            return Answer.error(CacheStatus.MISS, 504);
        }
        if (describing.size() >= describingLimit && !describing.containsKey(name)) {
            return PROXIED;
        }
        return Answer.pending(describe(name, firstByte, lastByte).thenApply(described -> {
            if (described.location() != null) {
                return Answer.redirect(described.location());
            }
            if (described.object() == null) {
                return Answer.error(CacheStatus.MISS, described.status());
            }
            touch(name, clock.getAsLong());
            return Answer.serve(CacheStatus.MISS, described.object());
        }));
    }

    private void touch(String name, long now) {
        AtomicLong accessed = lastAccess.get(name);
        if (accessed == null) {
            lastAccess.put(name, new AtomicLong(now));
        } else {
            accessed.lazySet(now);
        }
    }

    private Answer expired(CachedObject object) {
        if (breaker.open()) {
            return settings.staleOn(StaleCase.ERROR)
                    ? Answer.serve(CacheStatus.STALE, object)
                    : Answer.error(CacheStatus.STALE, 504);
        }
        if (!settings.revalidate()) {
            store.removeChunks(object);
            return Answer.pending(describe(object.name(), 0, -1)
                    .thenApply(fresh -> fresh.object() != null
                            ? Answer.serve(CacheStatus.EXPIRED, fresh.object())
                            : stale(object, StaleCase.ERROR)));
        }
        CompletableFuture<Answer> mine = new CompletableFuture<>();
        CompletableFuture<Answer> running = refreshing.putIfAbsent(object.name(), mine);
        if (running != null) {
            return settings.staleOn(StaleCase.UPDATING)
                    ? Answer.serve(CacheStatus.UPDATING, object)
                    : Answer.pending(running);
        }
        // The check always finishes (its outcome is stored whoever waits for it); this request waits for it only so
        // long, then gets the stale copy, as with nginx's proxy_cache_background_update.
        if (!run(() -> {
            try {
                mine.complete(refresh(object));
            } catch (RuntimeException | Error e) {
                mine.complete(stale(object, StaleCase.ERROR));
                throw e;
            } finally {
                refreshing.remove(object.name(), mine);
            }
        })) {
            refreshing.remove(object.name(), mine);
            return stale(object, StaleCase.ERROR);
        }
        long wait = settings.revalidateWait().toMillis();
        if (!settings.staleOn(StaleCase.UPDATING)) {
            return Answer.pending(mine);
        }
        if (wait <= 0) {
            return Answer.serve(CacheStatus.UPDATING, object);
        }
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        mine.thenAccept(answer::complete);
        background.schedule(
                () -> answer.complete(Answer.serve(CacheStatus.UPDATING, object)), wait, TimeUnit.MILLISECONDS);
        return Answer.pending(answer);
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
            case TAKEN_DOWN -> {
                takeDown(object.name());
                yield Answer.error(CacheStatus.EXPIRED, UNAVAILABLE_FOR_LEGAL_REASONS);
            }
            case FAILED -> {
                breaker.failure(
                        outcome.situation() == null
                                ? "a 5xx answer"
                                : outcome.situation().label());
                yield stale(object, outcome.situation());
            }
        };
    }

    private Answer stale(CachedObject object, StaleCase situation) {
        return settings.staleOn(situation)
                ? Answer.serve(CacheStatus.STALE, object)
                : Answer.error(CacheStatus.EXPIRED, 502);
    }

    /**
     * Learns an object from the origin, once for all concurrent requests, with the GET that starts its fill (from
     * the chunk the first request needs): whoever finds the object finds that fill too.
     */
    private CompletableFuture<Described> describe(String name, long firstByte, long lastByte) {
        CompletableFuture<Described> mine = new CompletableFuture<>();
        CompletableFuture<Described> running = describing.putIfAbsent(name, mine);
        if (running != null) {
            return running;
        }
        if (!run(() -> {
            try {
                mine.complete(fetchDescription(name, firstByte, lastByte));
            } catch (RuntimeException | Error e) {
                mine.complete(new Described(null, 502, null));
                throw e;
            } finally {
                describing.remove(name, mine);
            }
        })) {
            describing.remove(name, mine);
            mine.complete(new Described(null, 503, null));
        }
        return mine;
    }

    /**
     * An object learnt from the origin, or the status to answer when there is none (404, 502, 504), or where the
     * origin serves this link itself ({@code location}, with 307).
     */
    record Described(CachedObject object, int status, String location) {
        Described(CachedObject object, int status) {
            this(object, status, null);
        }
    }

    private Described fetchDescription(String name, long firstByte, long lastByte) {
        int chunk = settings.chunkSize();
        int first = (int) (firstByte / chunk);
        // No further than a closed range reaches: a seek for a few bytes costs the origin one chunk, not a span.
        long ahead = lastByte < 0 ? filler.firstSpan() : Math.min(filler.firstSpan(), lastByte / chunk - first + 1);
        try {
            // A first share of the object: the fill goes on with further GETs as readers want, on more connections
            // if the origin turns out slow.
            OriginClient.Response response = origin.get(
                    name,
                    "GET",
                    Map.of("Range", "bytes=" + (long) first * chunk + "-" + ((first + ahead) * chunk - 1)));
            int status = response.status();
            if (status == 416) {
                // Past the end (a seek beyond the size, or an empty file): the whole answer describes it.
                response.close();
                first = 0;
                response = origin.get(name, "GET", Map.of());
                status = response.status();
            }
            if (status == 307
                    && response.header(OriginHeaders.ORIGIN_ONLY) != null
                    && response.header("Location") != null) {
                String location = response.header("Location");
                response.close();
                breaker.success();
                return new Described(null, 307, location); // a download-limited link: never cached here
            }
            if (status != 200 && status != 206) {
                response.close();
                if (status == UNAVAILABLE_FOR_LEGAL_REASONS) {
                    takeDown(name); // the origin says its content is banned: not asked again
                }
                if (status >= 500 || response.foreignNotFound()) {
                    breaker.failure("http_" + status);
                    return new Described(null, 502);
                }
                breaker.success();
                return new Described(null, status);
            }
            breaker.success();
            long now = clock.getAsLong();
            CachedObject object = new CachedObject(
                    name,
                    Optional.ofNullable(response.header("ETag")).orElse("\"\""),
                    Optional.ofNullable(response.header("Last-Modified")).orElse(""),
                    response.totalSize(),
                    chunk,
                    response.keptHeaders(),
                    now,
                    now + settings.valid().toMillis());
            if (first >= object.chunkCount()) {
                first = 0;
            }
            if (object.size() > 0) {
                int end = (int) Math.min(object.chunkCount(), first + ahead);
                if (status == 200) {
                    response.body().skipNBytes(object.chunkStart(first)); // an origin that ignores ranges
                    end = object.chunkCount();
                }
                filler.adopt(object, first, end, response);
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

    /** Removes a name from this edge (deleted at the origin), with any fill of it under way. */
    public boolean purge(String name) {
        takedowns.restore(name);
        return drop(name);
    }

    /**
     * Drops {@code name} and answers it 451 from now on without asking the origin: its content was banned. A later
     * plain {@link #purge} (the ban lifted) lets it be fetched again.
     *
     * @return whether a copy was stored
     */
    public boolean takeDown(String name) {
        takedowns.takeDown(name);
        return drop(name);
    }

    private boolean drop(String name) {
        hotFiles.forget(name);
        uses.forget(name);
        lastAccess.remove(name);
        filler.cancel(name);
        CachedObject object = store.object(name);
        if (object != null) {
            store.remove(object);
        }
        return object != null;
    }

    /** One catch-up on the origin's list of ban changes; a failure waits for the next one. */
    private void catchUpTakedowns() {
        try {
            int applied = takedowns.catchUp((name, takenDown) -> {
                if (takenDown) {
                    takeDown(name);
                } else {
                    takedowns.restore(name);
                }
            });
            if (applied > 0) {
                LOG.fine(() -> applied + " ban change(s) applied from the origin's list");
            }
        } catch (IOException | RuntimeException e) {
            LOG.warning(() -> "the origin's list of takedowns could not be read (retried in "
                    + settings.takedownSync().toSeconds() + " s): " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void probe() {
        if (breaker.open() && origin.reachable()) {
            breaker.success();
        }
    }

    /** proxy_cache_path inactive: objects nobody asked for within the window leave, fresh or not. */
    void sweepInactive() {
        long cutoff = clock.getAsLong() - settings.inactive().toMillis();
        store.forEachObject((name, object) -> {
            AtomicLong accessed = lastAccess.get(name);
            if ((accessed == null ? object.storedAtMillis() : accessed.get()) < cutoff) {
                store.remove(object);
                lastAccess.remove(name);
            }
        });
        // Ehcache also drops objects for room, without a word: their access times go once they are as old. A name
        // asked for again meanwhile is stored anew, and until touched its age is its storing time.
        lastAccess.values().removeIf(accessed -> accessed.get() < cutoff);
    }

    /** Names being described or waiting for it (for tests). */
    int describing() {
        return describing.size();
    }

    /** Names with an access time (for tests). */
    int accessTimes() {
        return lastAccess.size();
    }

    EdgeStore store() {
        return store;
    }

    private boolean run(Runnable task) {
        try {
            fetchers.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }
}
