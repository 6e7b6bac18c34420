package pomf.edge.control;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Logger;
import pomf.edge.entity.CachedObject;
import pomf.edge.entity.Chunk;

/**
 * Brings objects' bytes from the origin into the store, chunk by chunk, each chunk fetched once however many
 * answers want it. A new object is fetched with one streaming GET from the first chunk a client needs; each chunk is
 * stored as soon as it is complete and read by waiting answers while it fills. Ranges are used only where a client
 * seeks beyond what a stream will soon reach (a new stream starts there, and the first ends where it begins), and
 * for an origin that is slow per connection: a stream that would need more than a second for what is left hands
 * the second half to another connection, up to {@code fill-connections} per object. A stream runs while clients
 * want what it brings, up to {@code fill-ahead} bytes beyond the furthest one, then stops; so does a stream whose
 * object is purged.
 *
 * <p>Every chunk is at any time stored, or being filled (in {@link #fills}), or within a running stream's segment,
 * or nowhere; the changes happen under the object's {@link Plan} lock, so a reader never misses a chunk between two
 * of those states.
 */
public final class Filler {
    private static final Logger LOG = Logger.getLogger(Filler.class.getName());
    /** A reader this close (in chunks) behind a stream's next chunk waits for it rather than starting another. */
    private static final int NEAR = 2;
    /** The fewest chunks one GET asks for (fewer would pay a round trip too often). */
    private static final int MIN_SPAN = 4;

    private final ConcurrentHashMap<String, Fill> fills = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Plan> plans = new ConcurrentHashMap<>();
    private final EdgeStore store;
    private final OriginClient origin;
    private final OriginBreaker breaker;
    private final ExecutorService streams;
    private final EdgeCounters counters;
    private final int connections;
    private final int aheadChunks;

    public Filler(
            EdgeStore store,
            OriginClient origin,
            OriginBreaker breaker,
            ExecutorService streams,
            EdgeCounters counters,
            int connections,
            int aheadChunks) {
        this.store = store;
        this.origin = origin;
        this.breaker = breaker;
        this.streams = streams;
        this.counters = counters;
        this.connections = connections;
        this.aheadChunks = aheadChunks;
    }

    /**
     * How far (exclusive) a reader at {@code index} that has read {@code read} chunks so far wants the object: its
     * chunk and the next at first, twice as far with each chunk it reads, up to fill-ahead. A client that hangs up
     * before its first byte is noticed only when a write to it fails; until then it holds its stream to two chunks,
     * so thousands of ranged requests hung up at once cost the origin about what they asked for, not the file. A
     * store that keeps nothing (its disk under min-free) fetches only the chunk being read: a chunk fetched ahead would
     * be dropped before it is read.
     */
    int aheadOf(CachedObject object, int index, int lastWanted, int read) {
        if (!store.writable()) {
            return Math.min(reachOf(object, index, lastWanted), index + 1); // nothing is kept: fetch what is read
        }
        int ahead = Math.min(aheadChunks, 2 << Math.min(read, 20));
        return Math.min(reachOf(object, index, lastWanted), index + ahead);
    }

    /**
     * How far (exclusive) a reader at {@code index} will want the object if it reads on: what a GET for it may ask
     * for, so a sequential reader is served by one GET while its window grows (a stream stops reading it, and lets
     * go of it, where the readers' windows end).
     */
    int reachOf(CachedObject object, int index, int lastWanted) {
        int ahead = store.writable() ? aheadChunks : 1;
        return Math.min(Math.min(object.chunkCount(), lastWanted + 1), index + ahead);
    }

    /**
     * The source of chunk {@code index} for a reader that wants the object up to chunk {@code wanted} (exclusive):
     * the stored {@link Chunk} ({@link ChunkSource.Stored}), or the {@link Fill} bringing it, or the {@link Segment} of the
     * stream that will bring it soon (started now, or close to it): {@code wake} then runs when that stream reaches
     * the chunk or ends, and a failed stream leaves its {@link Segment#failure()}. With a null {@code wake} (a
     * prefetch) nothing is registered.
     *
     * @throws IOException when it cannot come: the origin is known to be down
     */
    public ChunkSource source(CachedObject object, Object reader, int index, int wanted, int reach, Runnable wake)
            throws IOException {
        return source(object, reader, index, index, wanted, reach, wake);
    }

    /** As above, for a reader at chunk {@code at} (at most {@code index}: a prefetch looks beyond it). */
    private ChunkSource source(
            CachedObject object, Object reader, int at, int index, int wanted, int reach, Runnable wake)
            throws IOException {
        String key = object.chunkKey(index);
        Chunk stored = store.chunk(key);
        if (stored != null && stored.length() == object.chunkLength(index)) {
            return new ChunkSource.Stored(stored);
        }
        Fill fill = fills.get(key);
        if (fill != null) {
            return fill;
        }
        Plan plan = plans.computeIfAbsent(planKey(object), k -> new Plan(object));
        synchronized (plan) {
            if (plan.retired) {
                return source(object, reader, at, index, wanted, reach, wake); // the plan ended: use the next one
            }
            fill = fills.get(key);
            if (fill != null) {
                return fill;
            }
            stored = store.chunk(key);
            if (stored != null && stored.length() == object.chunkLength(index)) {
                retireIfIdle(plan);
                return new ChunkSource.Stored(stored);
            }
            plan.want(reader, at, Math.max(index + 1, wanted), Math.max(index + 1, reach));
            Segment segment = plan.covering(index);
            if (segment == null || index - segment.next > NEAR) {
                if (breaker.open()) {
                    retireIfIdle(plan);
                    throw new IOException("the origin is down (circuit breaker open)");
                }
                segment = startSegment(plan, index, segment, null, 0);
            }
            if (wake != null) {
                segment.waiters.add(wake);
            }
            return segment;
        }
    }

    /** The stored chunk (whole), or null. */
    public Chunk stored(CachedObject object, int index) {
        Chunk chunk = store.chunk(object.chunkKey(index));
        return chunk != null && chunk.length() == object.chunkLength(index) ? chunk : null;
    }

    /** The stored chunk or the running fill of a chunk, or null; starts nothing. */
    public ChunkSource peek(CachedObject object, int index) {
        String key = object.chunkKey(index);
        Fill fill = fills.get(key);
        if (fill != null) {
            return fill;
        }
        Chunk stored = store.hasChunk(key) ? store.chunk(key) : null;
        return stored == null ? null : new ChunkSource.Stored(stored);
    }

    /**
     * Makes sure the chunk after {@code at} is stored, filling, or on a stream's way, without waiting for it, for a
     * reader at chunk {@code at} that wants the object up to chunk {@code wanted}.
     */
    public void prefetch(CachedObject object, Object reader, int at, int wanted, int reach) {
        int index = at + 1;
        String key = object.chunkKey(index);
        if (index >= object.chunkCount() || fills.containsKey(key) || store.hasChunk(key) || breaker.open()) {
            return;
        }
        if (!store.writable()) {
            return; // nothing is kept: a chunk fetched before its reader gets there would be dropped
        }
        try {
            source(object, reader, at, index, wanted, reach, null);
        } catch (IOException e) {
            // the origin is down: the reader finds out when it gets there
        }
    }

    /**
     * {@code reader}, now at chunk {@code at}, wants the object up to chunk {@code until} (exclusive): streams whose
     * chunks it wants may run that far.
     */
    public void want(CachedObject object, Object reader, int at, int until, int reach) {
        Plan plan = plans.get(planKey(object));
        if (plan != null) {
            synchronized (plan) {
                plan.want(reader, at, until, reach);
            }
        }
    }

    /** {@code reader} left (its answer ended, whole or cut): streams stop bringing what only it wanted. */
    public void release(CachedObject object, Object reader) {
        Plan plan = plans.get(planKey(object));
        if (plan != null) {
            synchronized (plan) {
                plan.release(reader);
            }
        }
    }

    /**
     * Takes over the answer of the request that described a new object ({@code response} carries its chunks from
     * {@code first} to {@code end}, exclusive) as the first stream of its fill; its first chunk's fill is registered
     * before this returns, so whoever finds the object finds that fill too.
     */
    public void adopt(CachedObject object, int first, int end, OriginClient.Response response) {
        Plan plan = plans.computeIfAbsent(planKey(object), k -> new Plan(object));
        synchronized (plan) {
            // What the describing GET asked for comes anyway, for the stream that carries it.
            plan.floorFrom = first;
            plan.floor = end;
            Segment segment = startSegment(plan, first, plan.covering(first), response, end);
            segment.fill = openFill(plan, segment, first);
        }
    }

    /** Stops every fill of {@code name} (it was purged): their readers see a cut, and nothing more is stored. */
    public void cancel(String name) {
        for (Plan plan : plans.values()) {
            if (plan.object.name().equals(name)) {
                List<Segment> running;
                synchronized (plan) {
                    plan.cancelled = true;
                    running = new ArrayList<>(plan.segments);
                    plan.notifyAll();
                }
                running.forEach(Segment::abort);
            }
        }
    }

    /** Chunks being filled now (for tests and metrics). */
    public int running() {
        return fills.size();
    }

    /** Objects with a stream under way (for tests and metrics). */
    public int streaming() {
        return plans.size();
    }

    private static String planKey(CachedObject object) {
        return object.name() + "|" + object.etag();
    }

    /**
     * A new segment from {@code index} up to the next chunk that is stored or where another segment starts. When
     * {@code inside} covers {@code index}, it ends where the new one begins.
     */
    private Segment startSegment(Plan plan, int index, Segment inside, OriginClient.Response adopted, int adoptedEnd) {
        CachedObject object = plan.object;
        int end = inside != null ? inside.end : plan.nextStart(index, object.chunkCount());
        if (inside == null) {
            for (int i = index + 1; i < end && i <= index + aheadChunks; i++) {
                if (store.hasChunk(object.chunkKey(i))) {
                    end = i;
                }
            }
        } else {
            inside.end = index;
        }
        Segment segment = new Segment(index, end);
        plan.segments.add(segment);
        try {
            streams.execute(new Stream(this, plan, segment, adopted, adoptedEnd));
        } catch (RejectedExecutionException e) {
            plan.segments.remove(segment);
            throw e;
        }
        return segment;
    }

    /** Registers the fill of the segment's next chunk and wakes whoever waits for the segment. */
    Fill openFill(Plan plan, Segment segment, int index) {
        Fill fill = new Fill(plan.object.chunkLength(index));
        fills.put(plan.object.chunkKey(index), fill);
        segment.next = index;
        segment.wakeAll();
        return fill;
    }

    EdgeStore store() {
        return store;
    }

    OriginClient origin() {
        return origin;
    }

    OriginBreaker breaker() {
        return breaker;
    }

    EdgeCounters counters() {
        return counters;
    }

    Map<String, Fill> fills() {
        return fills;
    }

    int connections() {
        return connections;
    }

    /** A chunk stored by its stream: it leaves the fills (readers holding the fill keep reading from it). */
    void filled(Plan plan, Segment segment, int index, Fill fill) {
        synchronized (plan) {
            fills.remove(plan.object.chunkKey(index), fill);
            segment.next = index + 1;
        }
    }

    /** A stream ended (done, stopped, failed): its segment leaves the plan; waiting readers look again. */
    void ended(Plan plan, Segment segment) {
        synchronized (plan) {
            plan.segments.remove(segment);
            segment.next = Integer.MAX_VALUE;
            segment.wakeAll();
            retireIfIdle(plan);
        }
    }

    /** Under the plan's lock: a plan without streams leaves the map (the next reader makes a new one). */
    private void retireIfIdle(Plan plan) {
        if (plan.segments.isEmpty()) {
            plan.retired = true;
            plans.remove(planKey(plan.object), plan);
        }
    }

    /** Chunks one GET may ask for when {@code left} remain in its segment: a share of them, at least 4. */
    int getSpan(int left) {
        return Math.max(MIN_SPAN, (left + connections - 1) / connections);
    }

    /** Chunks the describing GET of a new object asks for: small enough for its rest to be split at once. */
    public int firstSpan() {
        return Math.max(MIN_SPAN, aheadChunks / (2 * connections));
    }

    /**
     * Splits the rest of a slow stream's segment: the far half goes to a new connection, never a part its current
     * GET ({@code requested}, exclusive) already asked for.
     */
    void split(Plan plan, Segment segment, int from, int requested) {
        synchronized (plan) {
            int until = plan.wanted(from, segment.end);
            int middle = Math.max(from + (until - from + 1) / 2, requested);
            if (plan.cancelled || plan.segments.size() >= connections || until - middle < 2 || breaker.open()) {
                return;
            }
            try {
                startSegment(plan, middle, segment, null, 0);
                LOG.fine(() -> "slow origin: " + plan.object.name() + " also fetched from chunk " + middle);
            } catch (RejectedExecutionException e) {
                // no thread free: the stream goes on alone
            }
        }
    }

    /**
     * One object version's fill: its running segments, and its readers with how far each wants it. A stream runs
     * only while a reader still there wants its chunks: ranged requests at many offsets, hung up at once, leave no
     * stream fetching for nobody, whoever else reads the object.
     */
    static final class Plan {
        final CachedObject object;
        final List<Segment> segments = new ArrayList<>(2);
        /**
         * Reader → {chunk it is at, chunk it wants up to, chunk it will want up to if it reads on} (both exclusive);
         * bounded by the answers being given.
         */
        private final Map<Object, int[]> readers = new HashMap<>();
        /** Chunks from floorFrom up to floor (exclusive) are on their way anyway: the describing GET asked for them. */
        int floorFrom;

        int floor;

        boolean cancelled;
        boolean retired;

        Plan(CachedObject object) {
            this.object = object;
        }

        void want(Object reader, int at, int until, int reach) {
            int[] window = readers.get(reader);
            if (window == null) {
                readers.put(reader, new int[] {at, until, Math.max(until, reach)});
            } else if (window[0] != at || window[1] != until || window[2] != reach) {
                window[0] = at;
                window[1] = until;
                window[2] = Math.max(until, reach);
            } else {
                return;
            }
            // Wake streams only when this window reaches the chunk one of them waits for: a thousand viewers of a
            // video being filled move on a chunk each without waking every stream a thousand times.
            for (Segment s : segments) {
                if (s.waitingAt >= 0 && s.waitingAt < until && at < s.end) {
                    notifyAll();
                    return;
                }
            }
        }

        /** A stream that waits for more stops after its linger anyway: no need to wake it. */
        void release(Object reader) {
            readers.remove(reader);
        }

        /**
         * How far (exclusive, at most {@code end}) the readers still here want chunks from {@code from} on, or
         * {@code from} when none does: a reader's window reaches into [from, end) when it is before {@code end} and
         * wants beyond {@code from}.
         */
        int wanted(int from, int end) {
            return furthest(from, end, 1);
        }

        /** As {@link #wanted}, for how far those readers will want it if they read on: what a GET may ask for. */
        int reach(int from, int end) {
            return furthest(from, end, 2);
        }

        private int furthest(int from, int end, int field) {
            // The describing GET's chunks count for its own stream only: as a floor for every stream, a first
            // request far into a file made the streams of hung-up readers before it run to their ends.
            int until = from >= floorFrom && from < floor ? floor : from;
            for (int[] window : readers.values()) {
                if (window[0] < end && window[field] > until) {
                    until = window[field];
                }
            }
            return Math.min(until, end);
        }

        Segment covering(int index) {
            for (Segment s : segments) {
                if (s.next <= index && index < s.end) {
                    return s;
                }
            }
            return null;
        }

        /** Where the next segment after {@code index} starts (or the end of the object). */
        int nextStart(int index, int count) {
            int next = count;
            for (Segment s : segments) {
                if (s.next > index && s.next < next) {
                    next = s.next;
                }
            }
            return next;
        }
    }

    /** The chunks one stream fetches: from {@link #next} (the one it is on) to {@link #end}, which may shrink. */
    public static final class Segment implements ChunkSource {
        volatile int next;
        volatile int end;
        volatile Fill fill;
        volatile OriginClient.Response response;
        volatile IOException failure;
        /** The chunk its stream waits for a reader to want (under the plan's lock), or -1. */
        int waitingAt = -1;

        final List<Runnable> waiters = new ArrayList<>(4);

        Segment(int next, int end) {
            this.next = next;
            this.end = end;
        }

        /** Under the plan's lock. */
        void wakeAll() {
            if (!waiters.isEmpty()) {
                List<Runnable> due = new ArrayList<>(waiters);
                waiters.clear();
                due.forEach(Runnable::run);
            }
        }

        /** Why the stream failed, or null (running, or ended without failing). */
        IOException failure() {
            return failure;
        }

        void abort() {
            OriginClient.Response r = response;
            if (r != null) {
                r.abort();
            }
        }
    }
}
