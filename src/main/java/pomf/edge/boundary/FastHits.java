package pomf.edge.boundary;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.io.OutputBuffer;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.util.Header;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.CompositeBuffer;
import org.glassfish.grizzly.memory.MemoryManager;
import org.glassfish.grizzly.nio.NIOConnection;
import pomf.delivery.boundary.Deliveries;
import pomf.delivery.boundary.ListenerFront;
import pomf.delivery.boundary.NotFoundThrottle;
import pomf.delivery.control.Queued;
import pomf.edge.control.EdgeCache;
import pomf.edge.control.HotFiles;
import pomf.edge.entity.CachedObject;
import pomf.edge.entity.Chunk;
import pomf.http.control.EdgeLink;
import pomf.names.control.StoredNames;
import pomf.traffic.control.TrafficRecorder;
import pomf.traffic.entity.CacheStatus;

/**
 * The edge's most common answer, given at the listener ({@link ListenerFront}): a plain GET or HEAD of a fresh object
 * of at most {@link #LIMIT} bytes whose chunks are all stored, or of a larger one that has a plain-file copy
 * ({@link HotFiles}). Its answer is the servlet path's, byte for byte (status, the object's headers,
 * {@code Accept-Ranges}, {@code X-Content-Type-Options}, {@code X-Cache-Status: HIT}, the body), and it is counted and
 * recorded the same way.
 * The chunks go to the connection uncopied and at once, a file copy from its mapping (from the page cache to the
 * socket, with no copy through the heap); what the socket does not take yet waits in the connection's queue, written as the client reads
 * without a thread, watched by {@link Deliveries} for the send timeout. Anything else (a range, a condition, an
 * expired or missing object, a large one without its copy yet, an edge fetch, a connection still sending an earlier
 * answer) is left to {@link EdgeCacheFilter} untouched.
 */
final class FastHits implements ListenerFront.Door {
    /**
     * Bodies up to this size are answered here, all at once: whatever a slow client has not taken yet waits in its
     * connection's queue, about one chunk's worth, as much as the servlet path's answers hold per client.
     */
    static final int LIMIT = HotFiles.MEMORY_LIMIT;

    private static final Chunk[] NONE = {};

    private final EdgeCache cache;
    private final EdgeLink link;
    private final TrafficRecorder records;
    private final Deliveries deliveries;
    private final NotFoundThrottle throttle;
    /** The application's context path followed by {@code /f}: what comes after it is the path info. */
    private final String prefix;

    FastHits(
            EdgeCache cache,
            EdgeLink link,
            TrafficRecorder records,
            Deliveries deliveries,
            NotFoundThrottle throttle,
            String contextPath) {
        this.cache = cache;
        this.link = link;
        this.throttle = throttle;
        this.records = records;
        this.deliveries = deliveries;
        this.prefix = contextPath + "/f";
    }

    @Override
    public boolean answer(Request request, Response response) throws IOException {
        Method method = request.getMethod();
        boolean get = Method.GET.equals(method);
        if (!get && !Method.HEAD.equals(method)) {
            return false;
        }
        String uri = request.getRequestURI();
        if (uri == null || !uri.startsWith(prefix) || uri.length() <= prefix.length() + 1) {
            return false;
        }
        String name = StoredNames.fromPath(uri.substring(prefix.length()));
        if (name == null
                || request.getHeader(Header.Range) != null
                || request.getHeader(Header.IfNoneMatch) != null
                || request.getHeader(Header.IfModifiedSince) != null
                || request.getHeader(Header.IfRange) != null
                // A request asking to switch protocols (Java's HttpClient, h2c): the servlet path answers it, and
                // Grizzly closes its connection, whose later bytes it cannot tell from a body.
                || request.getHeader(Header.Upgrade) != null
                || link.fetchedByAnEdge(request.getHeader(EdgeLink.FETCH_HEADER))
                || throttle.mayRefuse(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"))) {
            return false;
        }
        CachedObject object = cache.freshHit(name);
        if (object == null) {
            return false;
        }
        OutputBuffer out = response.getOutputBuffer();
        ByteBuffer mapped = null;
        Chunk[] chunks = NONE;
        if (object.size() > LIMIT) {
            // A large object is sent from its file copy, mapped: from the page cache to the socket, with no copy
            // through the heap.
            if (!out.canWrite() || (mapped = cache.hotFiles().find(object)) == null) {
                return false;
            }
        } else {
            chunks = object.size() == 0 ? NONE : new Chunk[object.chunkCount()];
            for (int i = 0; i < chunks.length; i++) {
                chunks[i] = cache.filler().stored(object, i);
                if (chunks[i] == null) {
                    return false;
                }
            }
            if (chunks.length > 0 && object.size() > CachedResponse.DIRECT_LIMIT && !out.canWrite()) {
                return false; // an earlier answer on this connection is still queued: the servlet path waits for it
            }
        }
        response.setStatus(200);
        for (Map.Entry<String, String> h : object.headers().entrySet()) {
            response.setHeader(h.getKey(), h.getValue());
        }
        response.setHeader(Header.AcceptRanges, "bytes");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Cache-Status", "HIT");
        response.setContentLengthLong(object.size());
        cache.counters().answered(CacheStatus.HIT);
        cache.counters().answeredAtListener();
        long sent = get ? object.size() : 0;
        records.edge(200, sent, CacheStatus.HIT, name);
        if (sent > 0) {
            cache.counters().fromCache(sent);
            try {
                if (mapped != null) {
                    out.writeBuffer(Buffers.wrap(request.getContext().getMemoryManager(), mapped));
                    watchQueue(request);
                } else if (sent <= CachedResponse.DIRECT_LIMIT) {
                    for (Chunk chunk : chunks) {
                        out.write(chunk.bytes(), 0, chunk.length());
                    }
                } else {
                    MemoryManager memory = request.getContext().getMemoryManager();
                    CompositeBuffer body = CompositeBuffer.newBuffer(memory);
                    for (Chunk chunk : chunks) {
                        body.append(Buffers.wrap(
                                memory,
                                ByteBuffer.wrap(chunk.bytes(), 0, chunk.length())
                                        .slice()));
                    }
                    out.writeBuffer(body);
                    watchQueue(request);
                }
            } catch (IOException e) {
                // the client has gone; the answer was counted as the servlet path counts it (all it was promised)
            }
        }
        return true;
    }

    /** Once the answer is complete, what the socket has not taken by then waits in the queue, watched. */
    private void watchQueue(Request request) {
        if (request.getContext().getConnection() instanceof NIOConnection connection) {
            request.addAfterServiceListener(done -> {
                if (!connection.getAsyncWriteQueue().isEmpty()) {
                    deliveries.watch(new Waiting(connection));
                }
            });
        }
    }

    /** A connection's queued bytes, for {@link Deliveries}' send timeout. */
    private record Waiting(NIOConnection connection) implements Queued {
        @Override
        public long waiting() {
            return connection.isOpen() ? connection.getAsyncWriteQueue().spaceInBytes() : 0;
        }

        @Override
        public void cut() {
            connection.terminateSilently(); // a close would wait for the queue, which this client does not take
        }
    }
}
