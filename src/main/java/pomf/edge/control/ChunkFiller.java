package pomf.edge.control;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.logging.Logger;
import pomf.edge.entity.CachedObject;

/**
 * Fetches chunks from the origin, one fetch per chunk however many requests want it. Fetches run on their own
 * threads: a client that goes away does not stop a fill, and the next client finds the chunk stored.
 */
public final class ChunkFiller {
    private static final Logger LOG = Logger.getLogger(ChunkFiller.class.getName());
    private final ConcurrentHashMap<String, Fill> fills = new ConcurrentHashMap<>();
    private final EdgeStore store;
    private final OriginClient origin;
    private final OriginBreaker breaker;
    private final ExecutorService fetchers;
    private final EdgeCounters counters;

    public ChunkFiller(
            EdgeStore store,
            OriginClient origin,
            OriginBreaker breaker,
            ExecutorService fetchers,
            EdgeCounters counters) {
        this.store = store;
        this.origin = origin;
        this.breaker = breaker;
        this.fetchers = fetchers;
        this.counters = counters;
    }

    /** The chunk's bytes when stored, otherwise the fill that brings them (started now, or already running). */
    public Object source(CachedObject object, int index) {
        String key = object.chunkKey(index);
        byte[] stored = store.chunk(key);
        if (stored != null && stored.length == object.chunkLength(index)) {
            return stored;
        }
        // Checked again inside the map's lock: a fill that just finished stored its chunk before leaving the map.
        Fill fill = fills.computeIfAbsent(key, k -> store.hasChunk(k) ? null : start(object, index, k));
        if (fill != null) {
            return fill;
        }
        byte[] again = store.chunk(key);
        if (again != null && again.length == object.chunkLength(index)) {
            return again;
        }
        return fills.computeIfAbsent(key, k -> start(object, index, k));
    }

    /** Starts the fill of a chunk whose first bytes already arrive on {@code response} (the describing fetch). */
    public Fill adopt(CachedObject object, OriginClient.Response response) {
        String key = object.chunkKey(0);
        Fill fill = new Fill(object.chunkLength(0));
        fills.put(key, fill);
        fetchers.execute(() -> copy(object, 0, key, fill, response));
        return fill;
    }

    /** Starts fetching a chunk a reader will want next, unless it is stored or on its way already. */
    public void prefetch(CachedObject object, int index) {
        String key = object.chunkKey(index);
        if (index < object.chunkCount() && !fills.containsKey(key) && !store.hasChunk(key)) {
            fills.computeIfAbsent(key, k -> start(object, index, k));
        }
    }

    private Fill start(CachedObject object, int index, String key) {
        Fill fill = new Fill(object.chunkLength(index));
        fetchers.execute(() -> {
            long start = object.chunkStart(index);
            long end = start + object.chunkLength(index) - 1;
            try {
                OriginClient.Response response = origin.get(
                        object.name(), "GET", Map.of("Range", "bytes=" + start + "-" + end, "If-Range", object.etag()));
                if (response.status() == 206 && object.etag().equals(response.header("ETag"))) {
                    copy(object, index, key, fill, response);
                } else if (response.status() == 200 && object.etag().equals(response.header("ETag"))) {
                    // An origin that ignores ranges: skip to the chunk in the whole body.
                    skip(response.body(), start);
                    copy(object, index, key, fill, response);
                } else {
                    response.abort();
                    fail(
                            key,
                            fill,
                            new IOException("origin answered " + response.status() + " for chunk " + index + " of "
                                    + object.name() + " (version " + object.etag() + ")"),
                            response.status() >= 500);
                }
            } catch (IOException e) {
                fail(key, fill, e, true);
            }
        });
        return fill;
    }

    private void copy(CachedObject object, int index, String key, Fill fill, OriginClient.Response response) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = response.body()) {
            while (!fill.full()) {
                int n = in.read(buffer, 0, Math.min(buffer.length, fill.capacity()));
                if (n < 0) {
                    throw new IOException("origin closed after a partial chunk");
                }
                fill.append(buffer, 0, n);
                counters.fromOrigin(n);
            }
            breaker.success();
            try {
                store.putChunk(key, fill.bytes());
            } finally {
                // Readers have every byte whatever the store did with it.
                fills.remove(key, fill);
                fill.complete();
            }
        } catch (IOException e) {
            response.abort();
            fail(key, fill, e, true);
        } catch (RuntimeException | Error e) {
            response.abort();
            fail(key, fill, new IOException("fill failed: " + e, e), false);
            throw e;
        }
    }

    private void fail(String key, Fill fill, IOException e, boolean originFault) {
        if (originFault) {
            breaker.failure(e instanceof SocketTimeoutException ? "timeout" : String.valueOf(e.getMessage()));
        }
        fills.remove(key, fill);
        fill.fail(e);
        LOG.warning(() -> "chunk " + key + " not filled: " + e.getMessage());
    }

    private static void skip(InputStream in, long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            long n = in.skip(left);
            if (n <= 0) {
                if (in.read() < 0) {
                    throw new IOException("origin body ended before the chunk");
                }
                n = 1;
            }
            left -= n;
        }
    }
}
